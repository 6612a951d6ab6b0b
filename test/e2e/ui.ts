/**
 * Driving Kura's screens as a person would, by role and accessible name, with the names taken from
 * the English catalogue (so a reworded button does not break the journeys, a missing one does).
 */
import type { Page } from 'playwright-core';
import { CATALOGUES } from '../../src/app/i18n/index.ts';

export const en = CATALOGUES.en;
export const ja = CATALOGUES.ja;

/** The text of a catalogue message with ICU arguments, e.g. "Step {step} of {total}" → a RegExp. */
export function pattern(message: string): RegExp {
  // Each top-level {…} (an argument, a plural with nested branches) becomes '.*'.
  let out = '';
  let depth = 0;
  for (const ch of message) {
    if (ch === '{') {
      if (depth++ === 0) out += '.*';
    } else if (ch === '}') depth--;
    else if (depth === 0) out += ch.replace(/[.*+?^$()|[\]\\]/, '\\$&');
  }
  return new RegExp(out);
}

/** First run in English: language, intro, consent, create account, recovery key, storage. Returns the recovery code. */
export async function createAccountThroughUi(
  page: Page,
  account: { email: string; passphrase: string; remember: boolean },
  onStep: (name: string) => Promise<void> = async () => undefined,
): Promise<string> {
  await page.getByRole('radio', { name: en.onboarding.language.en }).check();
  await page.getByRole('button', { name: en.common.actions.continue }).click();
  await onStep('01-intro');
  await page.getByRole('button', { name: en.onboarding.intro.create }).click();
  await onStep('01-consent');
  await page.getByRole('checkbox', { name: en.onboarding.consent.agree }).check();
  await page.getByRole('button', { name: en.common.actions.continue }).click();
  await page.getByLabel(en.onboarding.fields.email).fill(account.email);
  await page.getByLabel(en.onboarding.fields.passphrase, { exact: true }).fill(account.passphrase);
  await page.getByLabel(en.onboarding.create.confirm).fill(account.passphrase);
  if (account.remember) await page.getByRole('checkbox', { name: en.onboarding.remember.label }).check();
  await page.getByRole('meter').or(page.getByRole('progressbar')).first().waitFor();
  await onStep('01-create');
  await page.getByRole('button', { name: en.onboarding.create.submit }).click();
  await page.getByRole('heading', { name: en.onboarding.recovery.title }).waitFor({ timeout: 60_000 });
  await onStep('01-recovery-key');
  const code = (await page.locator('#recovery-key').textContent())?.trim() ?? '';
  await page.getByRole('button', { name: en.onboarding.recovery.saved }).click();
  const intro = (await page.getByText(pattern(en.onboarding.confirm.intro)).textContent()) ?? '';
  const group = Number(/(\d+)/.exec(intro)?.[1]);
  await page.getByRole('textbox').fill(code.split('-')[group - 1] ?? '');
  await onStep('01-confirm-key');
  await page.getByRole('button', { name: en.common.actions.confirm }).click();
  await finishStorageStep(page, onStep);
  return code;
}

/**
 * First run on another device: sign in with the passphrase, in English or Japanese (`t`), with a
 * look at the consent step before it is agreed to (`atConsent`).
 */
export async function signInThroughUi(
  page: Page,
  account: { email: string; passphrase: string; remember: boolean },
  t: typeof en | typeof ja = en,
  atConsent: () => Promise<void> = async () => undefined,
): Promise<void> {
  await page.getByRole('radio', { name: t === ja ? ja.onboarding.language.ja : en.onboarding.language.en }).check();
  await page.getByRole('button', { name: t.common.actions.continue }).click();
  await page.getByRole('button', { name: t.onboarding.intro.signin }).click();
  await atConsent();
  await page.getByRole('checkbox', { name: t.onboarding.consent.agree }).check();
  await page.getByRole('button', { name: t.common.actions.continue }).click();
  await page.getByLabel(t.onboarding.fields.email).fill(account.email);
  await page.getByLabel(t.onboarding.fields.passphrase, { exact: true }).fill(account.passphrase);
  if (account.remember) await page.getByRole('checkbox', { name: t.onboarding.remember.label }).check();
  await page.getByRole('button', { name: t.onboarding.signin.submit }).click();
  await finishStorageStep(page, undefined, t);
}

async function finishStorageStep(page: Page, onStep: (name: string) => Promise<void> = async () => undefined, t: typeof en | typeof ja = en): Promise<void> {
  await page.getByRole('heading', { name: t.onboarding.storage.title }).waitFor({ timeout: 60_000 });
  await onStep('01-storage');
  await page.getByRole('button', { name: t.onboarding.storage.allow }).click();
  await page.getByRole('button', { name: t.onboarding.storage.open }).click();
  await page.getByRole('heading', { name: t.home.title, level: 1 }).waitFor();
}

/** Goes to a main screen through the navigation. */
export async function navigate(page: Page, to: 'home' | 'browse' | 'records' | 'devices' | 'settings', catalogue: typeof en | typeof ja = en): Promise<void> {
  await page.getByRole('navigation', { name: catalogue.common.nav.label }).getByRole('link', { name: catalogue.common.nav[to] }).click();
}
