/**
 * Cancelling a pending account deletion from the sign-in step: a recovery sign-in refused because
 * the account is pending deletion shows its date and the way back (the recovery key and a new
 * passphrase); a refused passphrase points to it. In English and Japanese.
 */
import { cleanup, screen, waitFor } from '@testing-library/svelte';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Onboarding from '../../../src/app/screens/onboarding/Onboarding.svelte';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';
import { STRONG, toAccountStep } from './helpers.ts';

vi.mock('@zxcvbn-ts/core', () => import('./zxcvbn-fake.ts'));
vi.mock('@zxcvbn-ts/language-common', () => ({ dictionary: {}, adjacencyGraphs: {} }));
vi.mock('@zxcvbn-ts/language-en', () => ({ dictionary: {} }));

afterEach(cleanup);

const DUE = Date.UTC(2026, 11, 29, 12); // noon UTC: the same day in every time zone in use
const CODE = 'ABCD1-EFGH2-JKLM3';
const heading = () => screen.getByRole('heading', { level: 1 }).textContent;

/** A FakeApi whose account is pending deletion: sign-ins are refused like a wrong secret. */
function pendingApi(): FakeApi {
  const api = new FakeApi();
  api.deletionDueAt = DUE;
  api.failNext('signIn', 'bad-credentials');
  return api;
}

async function signInWithRecovery(user: UserEvent): Promise<void> {
  await user.type(screen.getByLabelText('Email address'), 'hana@example.jp');
  await user.click(screen.getByRole('button', { name: 'Forgot your passphrase? Use your recovery key instead' }));
  await user.type(screen.getByLabelText('Recovery key'), ` ${CODE} `);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('undoing a deletion at sign-in', () => {
  test('the refused recovery key opens the undo with the date; a new passphrase signs in', async () => {
    const user = userEvent.setup();
    const api = pendingApi();
    const { kura } = renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin', { statistics: true });
    await signInWithRecovery(user);

    expect(await screen.findByRole('heading', { level: 1, name: 'Cancel the deletion of your account' })).toBeTruthy();
    expect(api.pendingDeletion).toHaveBeenCalledWith({ email: 'hana@example.jp', recoveryCode: CODE });
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
    expect(screen.getByText('This account is scheduled for deletion on December 29, 2026. You can cancel the deletion with your recovery key and a new passphrase.')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByLabelText('Recovery key') as HTMLTextAreaElement).value).toBe(` ${CODE} `); // kept as typed

    await user.type(screen.getByLabelText('New passphrase'), STRONG);
    await waitFor(() => expect(screen.getByText('Strong')).toBeTruthy()); // the create step's meter
    await user.type(screen.getByLabelText('Type the new passphrase again'), STRONG);
    await user.click(screen.getByRole('checkbox', { name: 'Remember this device' }));
    await user.click(screen.getByRole('button', { name: 'Cancel deletion' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Keep backups safe on this device' })).toBeTruthy();
    expect(api.undoDeletion).toHaveBeenCalledWith({ email: 'hana@example.jp', recoveryCode: CODE, newPassphrase: STRONG, remember: true });
    expect(kura.session.account?.email).toBe('hana@example.jp');
    await waitFor(() => expect(api.privacy.recordFirstRunConsent).toHaveBeenCalledWith({ 'usage-statistics': true, support: false }));
  });

  test('a weak or mistyped new passphrase is pointed out, a refusal explained, and Back returns to sign-in', async () => {
    const user = userEvent.setup();
    const api = pendingApi();
    renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin');
    await signInWithRecovery(user);
    await screen.findByRole('heading', { level: 1, name: 'Cancel the deletion of your account' });

    await user.type(screen.getByLabelText('New passphrase'), 'short');
    await user.type(screen.getByLabelText('Type the new passphrase again'), 'other');
    await user.click(screen.getByRole('button', { name: 'Cancel deletion' }));
    expect(screen.getByText('The two passphrases do not match.')).toBeTruthy();
    expect(api.undoDeletion).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(screen.getByLabelText('New passphrase'));

    await user.clear(screen.getByLabelText('New passphrase'));
    await user.type(screen.getByLabelText('New passphrase'), STRONG);
    await user.clear(screen.getByLabelText('Type the new passphrase again'));
    await user.type(screen.getByLabelText('Type the new passphrase again'), STRONG);
    api.failNext('undoDeletion', 'bad-credentials'); // past the date, or the key of another account
    await user.click(screen.getByRole('button', { name: 'Cancel deletion' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The email or recovery key is not right.');
    expect(heading()).toBe('Cancel the deletion of your account');

    await user.click(screen.getByRole('button', { name: 'Back to sign in' }));
    expect(heading()).toBe('Sign in on this device');
    expect((screen.getByLabelText('Recovery key') as HTMLTextAreaElement).value).toBe(` ${CODE} `);
    expect(document.activeElement).toBe(screen.getByLabelText('Recovery key'));
  });

  test('a wrong recovery key on an account not pending deletion stays a plain refusal', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('signIn', 'bad-credentials');
    renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin');
    await signInWithRecovery(user);
    expect((await screen.findByRole('alert')).textContent).toBe('The email or recovery key is not right.');
    expect(api.pendingDeletion).toHaveBeenCalledWith({ email: 'hana@example.jp', recoveryCode: CODE });
    expect(heading()).toBe('Sign in on this device');
  });

  test('a refused passphrase points to the recovery key, without asking the server more', async () => {
    const user = userEvent.setup();
    const api = pendingApi();
    renderScreen(Onboarding, { api });
    await toAccountStep(user, 'signin');
    await user.type(screen.getByLabelText('Email address'), 'hana@example.jp');
    await user.type(screen.getByLabelText('Passphrase'), 'old passphrase');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The email or passphrase is not right.');
    expect(alert.textContent).toContain('If you asked to delete this account, its passphrase no longer works: sign in with your recovery key to cancel the deletion.');
    expect(api.pendingDeletion).not.toHaveBeenCalled();
  });

  test('in Japanese', async () => {
    const user = userEvent.setup();
    const api = pendingApi();
    renderScreen(Onboarding, { api, language: 'ja' });
    await user.click(screen.getByRole('button', { name: '次へ' }));
    await user.click(screen.getByRole('button', { name: /アカウントをお持ちの方/ }));
    await user.click(screen.getByRole('checkbox', { name: 'プライバシーポリシーを読み、同意します' }));
    await user.click(screen.getByRole('button', { name: '次へ' }));
    await user.type(screen.getByLabelText('メールアドレス'), 'hana@example.jp');
    await user.type(screen.getByLabelText('パスフレーズ'), 'old passphrase');
    await user.click(screen.getByRole('button', { name: 'サインイン' }));
    expect((await screen.findByRole('alert')).textContent).toContain('削除を取り消すには、リカバリーキーでサインインしてください。');

    api.failNext('signIn', 'bad-credentials');
    await user.click(screen.getByRole('button', { name: 'パスフレーズをお忘れの場合：リカバリーキーを使う' }));
    await user.type(screen.getByLabelText('リカバリーキー'), CODE);
    await user.click(screen.getByRole('button', { name: 'サインイン' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'アカウントの削除を取り消す' })).toBeTruthy();
    expect(screen.getByText('このアカウントは2026年12月29日に削除される予定です。リカバリーキーと新しいパスフレーズで削除を取り消せます。')).toBeTruthy();
    await user.type(screen.getByLabelText('新しいパスフレーズ'), STRONG);
    await user.type(screen.getByLabelText('新しいパスフレーズをもう一度入力'), STRONG);
    await user.click(screen.getByRole('button', { name: '削除を取り消す' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'この端末のバックアップを守る' })).toBeTruthy();
    expect(api.undoDeletion).toHaveBeenCalledWith({ email: 'hana@example.jp', recoveryCode: CODE, newPassphrase: STRONG, remember: false });
  });
});
