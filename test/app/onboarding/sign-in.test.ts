/**
 * Signing in on this device: with the passphrase or the recovery key, after consent, with every
 * refusal explained in the user's words.
 */
import { cleanup, screen, waitFor } from '@testing-library/svelte';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { KuraError } from '../../../src/core/errors.ts';
import Onboarding from '../../../src/app/screens/onboarding/Onboarding.svelte';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';
import { toAccountStep } from './helpers.ts';

afterEach(cleanup);

async function signIn(user: UserEvent, secret: { passphrase: string } | { recoveryCode: string }, remember = false): Promise<void> {
  await user.type(screen.getByLabelText('Email address'), 'hana@example.jp');
  if ('recoveryCode' in secret) {
    await user.click(screen.getByRole('button', { name: 'Forgot your passphrase? Use your recovery key instead' }));
    await user.type(screen.getByLabelText('Recovery key'), secret.recoveryCode);
  } else await user.type(screen.getByLabelText('Passphrase'), secret.passphrase);
  if (remember) await user.click(screen.getByRole('checkbox', { name: 'Remember this device' }));
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('signing in', () => {
  test('nothing is sent before consent', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.click(screen.getByRole('button', { name: /I already have an account/ }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Your privacy');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Your privacy');
    expect(screen.queryByLabelText('Email address')).toBeNull();
    expect(api.signIn).not.toHaveBeenCalled();
  });

  test('records the consent chosen before it in the ledger, each optional purpose only when switched on', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding);
    await toAccountStep(user, 'signin', { statistics: true, support: true });
    expect(api.privacy.recordFirstRunConsent).not.toHaveBeenCalled();
    await signIn(user, { passphrase: 'maple lantern orbit velvet' });
    await waitFor(() => expect(api.privacy.recordFirstRunConsent).toHaveBeenCalledWith({ 'usage-statistics': true, support: true }));
    // Recorded once the fake has chained every entry (hashing is asynchronous).
    await waitFor(async () => expect((await api.privacy.consents()).entries).toHaveLength(4));
    const ledger = await api.privacy.consents();
    expect(ledger.entries.map((e) => [e.purpose, e.granted, e.screen]).sort()).toEqual([
      ['security-logging', true, 'onboarding'],
      ['service-operation', true, 'onboarding'],
      ['support', true, 'onboarding'],
      ['usage-statistics', true, 'onboarding'],
    ]);
  });

  test('with the passphrase', async () => {
    const user = userEvent.setup();
    const { api, kura } = renderScreen(Onboarding);
    await toAccountStep(user, 'signin');
    expect(screen.getByText('Step 4 of 5')).toBeTruthy();
    await signIn(user, { passphrase: 'maple lantern orbit velvet' }, true);
    expect(api.signIn).toHaveBeenCalledWith({ email: 'hana@example.jp', remember: true, passphrase: 'maple lantern orbit velvet' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Keep backups safe on this device' })).toBeTruthy();
    expect(kura.session.account?.email).toBe('hana@example.jp');
    expect(screen.queryByRole('button', { name: 'Back' })).toBeNull();
  });

  test('with the recovery key instead', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding);
    await toAccountStep(user, 'signin');
    await signIn(user, { recoveryCode: '  abcd1-efgh2  ' });
    expect(api.signIn).toHaveBeenCalledWith({ email: 'hana@example.jp', remember: false, recoveryCode: 'abcd1-efgh2' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Keep backups safe on this device' })).toBeTruthy();
  });

  test('the passphrase shows and hides', async () => {
    const user = userEvent.setup();
    renderScreen(Onboarding);
    await toAccountStep(user, 'signin');
    const field = screen.getByLabelText('Passphrase') as HTMLInputElement;
    expect(field.type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Show passphrase' }));
    expect(field.type).toBe('text');
    await user.click(screen.getByRole('button', { name: 'Hide passphrase' }));
    expect(field.type).toBe('password');
  });

  test('empty fields are pointed out, not sent', async () => {
    const user = userEvent.setup();
    const { api } = renderScreen(Onboarding);
    await toAccountStep(user, 'signin');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Enter your email address.')).toBeTruthy();
    expect(screen.getByText('Enter your passphrase.')).toBeTruthy();
    expect(api.signIn).not.toHaveBeenCalled();
  });

  test.each([
    ['bad-credentials', { passphrase: 'wrong wrong wrong' }, 'The email or passphrase is not right.'],
    ['bad-credentials', { recoveryCode: 'AAAAA-BBBBB' }, 'The email or recovery key is not right.'],
    ['network-unavailable', { passphrase: 'maple lantern orbit velvet' }, 'The Kura server cannot be reached. Check your connection and try again.'],
    ['unwrap-failed', { passphrase: 'maple lantern orbit velvet' }, 'The passphrase is not right.'],
    ['unwrap-failed', { recoveryCode: 'AAAAA-BBBBB' }, 'The recovery key is not right for this account.'],
    ['recovery-key-malformed', { recoveryCode: 'hello' }, 'That is not a Kura recovery key. Check that you typed all of it.'],
    ['held-for-another-account', { passphrase: 'maple lantern orbit velvet' }, 'This device still holds backups of another Kura account that have not been uploaded yet'],
  ] as const)('%s (%o) is explained', async (code, secret, text) => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('signIn', code);
    const { kura } = renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin');
    await signIn(user, secret);
    expect((await screen.findByRole('alert')).textContent).toContain(text);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Sign in on this device');
    expect(kura.session.account).toBeUndefined();
  });

  test('a typo in the recovery key names its group', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('signIn', new KuraError('recovery-key-typo', { group: 4 }));
    renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin');
    await signIn(user, { recoveryCode: 'AAAAA-BBBBB-CCCCC-DDDDX' });
    expect((await screen.findByRole('alert')).textContent).toBe('Group 4 of the recovery key has a mistyped character. Check it and try again.');
    expect(document.activeElement).toBe(screen.getByLabelText('Recovery key'));
  });

  test('busy while the keys are checked', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const held = api.hold('signIn');
    renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin');
    await signIn(user, { passphrase: 'maple lantern orbit velvet' });
    expect(((await screen.findByRole('button', { name: 'Signing in…' })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('This takes a few seconds: your keys are checked on this device.')).toBeTruthy();
    held.reject(new KuraError('bad-credentials'));
    expect((await screen.findByRole('alert')).textContent).toContain('The email or passphrase is not right.');
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
