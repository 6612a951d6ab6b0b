/**
 * The first run on the create path, driven as a user would: language, what Kura is, consent
 * (which blocks until ticked), a passphrase judged by strength, the account created, the
 * recovery key shown and checked, storage persistence, then into the app.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import Onboarding from '../../../src/app/screens/onboarding/Onboarding.svelte';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';
import { fillCreate, STRONG, stubObjectUrls, toAccountStep } from './helpers.ts';

vi.mock('@zxcvbn-ts/core', () => import('./zxcvbn-fake.ts'));
vi.mock('@zxcvbn-ts/language-common', () => ({ dictionary: {}, adjacencyGraphs: {} }));
vi.mock('@zxcvbn-ts/language-en', () => ({ dictionary: {} }));

beforeEach(stubObjectUrls);
afterEach(cleanup);

const heading = () => screen.getByRole('heading', { level: 1 }).textContent;

describe('creating an account', () => {
  test('the whole flow, from the language to the app', async () => {
    const user = userEvent.setup();
    const { api, kura } = renderScreen(Onboarding);
    const clipboard = vi.spyOn(navigator.clipboard, 'writeText');

    expect(heading()).toBe('Choose your language');
    expect(screen.getByText('Step 1 of 5')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull();
    expect((screen.getByRole('radio', { name: 'English' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    expect(heading()).toBe('Your files, safe and private');
    expect(screen.getByText('Step 2 of 5')).toBeTruthy();
    expect(screen.getByText('Encrypted on your device')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    // Consent: nothing goes on until the policy is agreed to.
    expect(heading()).toBe('Your privacy');
    expect(screen.getByText('Step 3 of 5')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(heading()).toBe('Your privacy');
    const agree = screen.getByRole('checkbox', { name: 'I have read and agree to the privacy policy' });
    expect(agree.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('To continue, tick the box to agree to the privacy policy.')).toBeTruthy();
    expect(document.activeElement).toBe(agree);
    await user.click(agree);
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    expect(heading()).toBe('Create your account');
    expect(screen.getByText('Step 4 of 5')).toBeTruthy();
    // A weak passphrase is refused, with the reason beside the field.
    await fillCreate(user, 'hana@example.jp', 'sunflowers');
    await waitFor(() => expect(screen.getByText('Weak')).toBeTruthy());
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(api.createAccount).not.toHaveBeenCalled();
    const passphrase = screen.getByLabelText('Passphrase');
    expect(passphrase.getAttribute('aria-invalid')).toBe('true');
    expect(passphrase.getAttribute('aria-describedby')).toContain('create-passphrase-error');
    expect(screen.getByText('This passphrase is too easy to guess. Add another word or make it longer.')).toBeTruthy();
    expect(document.activeElement).toBe(passphrase);

    // A strong one, confirmed, is taken; "remember this device" goes with it.
    await user.clear(passphrase);
    await user.type(passphrase, STRONG);
    await user.clear(screen.getByLabelText('Type the passphrase again'));
    await user.type(screen.getByLabelText('Type the passphrase again'), STRONG);
    expect(screen.getByText('Strong')).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: 'Remember this device' }));
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(api.createAccount).toHaveBeenCalledWith({ email: 'hana@example.jp', passphrase: STRONG, remember: true });
    // The consent given above goes into the ledger once the account exists: statistics stayed off.
    await waitFor(() => expect(api.privacy.recordFirstRunConsent).toHaveBeenCalledWith({ 'usage-statistics': false, support: false }));

    // The recovery key, shown once, to copy or download.
    await waitFor(() => expect(heading()).toBe('Save your recovery key'));
    const code = 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789';
    expect(screen.getByText(code)).toBeTruthy();
    expect(screen.getByText(/Kura cannot recover your account without your passphrase or this key/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull();
    const download = screen.getByRole('link', { name: 'Download' });
    expect(download.getAttribute('download')).toBe('kura-recovery-key.txt');
    expect(download.getAttribute('href')).toBe('blob:kura-recovery');
    const blob = vi.mocked(URL.createObjectURL).mock.calls.at(-1)?.[0] as Blob;
    expect(await blob.text()).toContain(code);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(clipboard).toHaveBeenCalledWith(code);
    expect(screen.getByText('Copied')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'I have saved my recovery key' }));

    // Typing a group back: a wrong one is refused, the asked one continues.
    expect(heading()).toBe('Check your recovery key');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(screen.getByText(/^Type group \d of your recovery key\.$/)).toBeTruthy();
    const label = screen.getByText(/^Group \d$/).textContent!;
    const group = Number(label.replace('Group ', ''));
    const input = screen.getByLabelText(label);
    await user.type(input, group === 1 ? 'EFGH' : 'ABCD');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(heading()).toBe('Check your recovery key');
    expect(screen.getByText(new RegExp(`That is not group ${group} of your key`))).toBeTruthy();
    await user.clear(input);
    await user.type(input, code.split('-')[group - 1]!.toLowerCase()); // case does not matter
    await user.click(screen.getByRole('button', { name: 'Confirm' }));

    // Storage persistence, then the app.
    expect(heading()).toBe('Keep backups safe on this device');
    expect(screen.getByText('Step 5 of 5')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Allow' }));
    expect(api.requestPersistence).toHaveBeenCalledOnce();
    expect(await screen.findByText('Allowed.')).toBeTruthy();
    expect(kura.session.phase).not.toBe('ready');
    await user.click(screen.getByRole('button', { name: 'Open Kura' }));
    expect(kura.session.phase).toBe('ready');
    expect(kura.session.account?.email).toBe('hana@example.jp');
  });

  test('the language step switches the screen at once, and the choice is saved', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding);
    await user.click(screen.getByRole('radio', { name: '日本語' }));
    expect(api.savePreferences).toHaveBeenCalledWith({ language: 'ja' });
    expect(await screen.findByRole('heading', { level: 1, name: '言語を選んでください' })).toBeTruthy();
    expect(screen.getByText('ステップ 1/5')).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Choose your language' })).toBeTruthy();
  });

  test('the optional statistics purpose is off by default; the required ones are on and locked', async () => {
    const user = userEvent.setup();
    renderScreen(Onboarding);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.click(screen.getByRole('button', { name: 'Create an account' }));
    const statistics = screen.getByRole('checkbox', { name: 'Anonymous usage statistics' }) as HTMLInputElement;
    expect(statistics.checked).toBe(false);
    expect(statistics.disabled).toBe(false);
    for (const name of ['Running the service', 'Security log of IP address and device']) {
      const box = screen.getByRole('checkbox', { name }) as HTMLInputElement;
      expect(box.checked).toBe(true);
      expect(box.disabled).toBe(true);
    }
    expect(screen.getAllByText('Required')).toHaveLength(2);
    expect(screen.getByText(/access is logged with its IP address and device/)).toBeTruthy();
    await user.click(statistics);
    expect(statistics.checked).toBe(true);
  });

  test('Back returns through the steps, and consent given once is kept', async () => {
    const user = userEvent.setup();
    renderScreen(Onboarding);
    await toAccountStep(user, 'create');
    expect(heading()).toBe('Create your account');
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(heading()).toBe('Your privacy');
    expect((screen.getByRole('checkbox', { name: 'I have read and agree to the privacy policy' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(heading()).toBe('Your files, safe and private');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
    await user.click(screen.getByRole('button', { name: /I already have an account/ }));
    expect(heading()).toBe('Sign in on this device');
  });

  test('the passphrase must be long enough and typed the same twice', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding);
    await toAccountStep(user, 'create');
    await fillCreate(user, 'not-an-email', 'short', 'other');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText('Enter an email address like name@example.com.')).toBeTruthy();
    expect(screen.getByText('Use at least 10 characters.')).toBeTruthy();
    expect(screen.getByText('The two passphrases do not match.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Email address'));
    expect(api.createAccount).not.toHaveBeenCalled();
  });

  test('while the keys are made, the form says so and cannot be sent twice', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const held = api.hold('createAccount');
    renderScreen(Onboarding, { api });
    await toAccountStep(user, 'create');
    await fillCreate(user, 'hana@example.jp', STRONG);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const busy = await screen.findByRole('button', { name: 'Creating your keys…' });
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('This takes a few seconds: your keys are made on this device.')).toBeTruthy();
    expect((screen.getByLabelText('Email address') as HTMLInputElement).closest('fieldset')?.disabled).toBe(true);
    held.resolve({ accountId: 'acc', email: 'hana@example.jp', deviceId: 'dev', recoveryCode: 'AAAAA-BBBBB' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Save your recovery key' })).toBeTruthy();
    expect(api.createAccount).toHaveBeenCalledOnce();
  });

  test.each([
    ['email-taken', 'An account with this email already exists. Sign in instead.'],
    ['network-unavailable', 'The Kura server cannot be reached. Check your connection and try again.'],
    ['rate-limited', 'Too many attempts. Wait a minute and try again.'],
  ] as const)('a %s failure is explained and the form stays', async (code, text) => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('createAccount', code);
    const { kura } = renderScreen(Onboarding, { api });
    await toAccountStep(user, 'create');
    await fillCreate(user, 'hana@example.jp', STRONG);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(text);
    expect(heading()).toBe('Create your account');
    expect(kura.session.account).toBeUndefined();
    if (code === 'email-taken') {
      await user.click(within(alert).getByRole('button', { name: 'Sign in with this email' }));
      expect(heading()).toBe('Sign in on this device');
      expect((screen.getByLabelText('Email address') as HTMLInputElement).value).toBe('hana@example.jp');
    }
  });

  test('offline, the account step says a connection is needed', async () => {
    const user = userEvent.setup();
    renderScreen(Onboarding, { online: false });
    await toAccountStep(user, 'create');
    expect(screen.getByText('You are offline. Creating an account or signing in needs a connection to the Kura server.')).toBeTruthy();
  });

  test('Skip on the storage step opens the app without asking the browser', async () => {
    const user = userEvent.setup();
    const { api, kura } = renderScreen(Onboarding);
    await toAccountStep(user, 'signin');
    await user.type(screen.getByLabelText('Email address'), 'hana@example.jp');
    await user.type(screen.getByLabelText('Passphrase'), 'anything at all');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { level: 1, name: 'Keep backups safe on this device' });
    expect(screen.getByText('Signed in as hana@example.jp.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Skip' }));
    expect(api.requestPersistence).not.toHaveBeenCalled();
    expect(kura.session.phase).toBe('ready');
  });

  test('persistence refused is explained, then Open Kura', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.requestPersistence.mockResolvedValueOnce(false);
    const { kura } = renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin');
    await user.type(screen.getByLabelText('Email address'), 'hana@example.jp');
    await user.type(screen.getByLabelText('Passphrase'), 'anything at all');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { level: 1, name: 'Keep backups safe on this device' });
    await user.click(screen.getByRole('button', { name: 'Allow' }));
    expect(await screen.findByText('Not allowed for now.')).toBeTruthy();
    expect(screen.getByText(/the browser may clear backups that have not been uploaded yet/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Skip' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Open Kura' }));
    expect(kura.session.phase).toBe('ready');
  });
});
