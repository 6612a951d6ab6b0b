/**
 * The lock screen: the passphrase opens the account kept here (offline too), a wrong one keeps
 * the focus in the field, and signing out of the device asks what happens to unsent backups.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import Unlock from '../../../src/app/screens/onboarding/Unlock.svelte';
import { ACCOUNT, FakeApi } from '../fake-api.ts';
import { makeKura, renderScreen } from '../render.ts';

afterEach(cleanup);

function renderLocked(options: { api?: FakeApi; language?: 'en' | 'ja'; online?: boolean } = {}) {
  const kura = makeKura(options.api, options);
  kura.session.phase = 'locked';
  kura.session.lockedEmail = ACCOUNT.email;
  return renderScreen(Unlock, { kura });
}

describe('unlock', () => {
  test('welcomes back the account kept here, says it works offline, and opens with the passphrase', async () => {
    const user = userEvent.setup();
    const { api, kura } = renderLocked({ online: false });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Welcome back');
    expect(screen.getByText('Unlock hana@example.jp')).toBeTruthy();
    expect(screen.getByText('Enter your passphrase to open Kura. This works offline too.')).toBeTruthy();
    const field = screen.getByLabelText('Passphrase');
    expect(document.activeElement).toBe(field);
    await user.type(field, 'maple lantern orbit velvet');
    await user.keyboard('{Enter}');
    expect(api.unlock).toHaveBeenCalledWith('maple lantern orbit velvet');
    expect(kura.session.phase).toBe('ready');
    // Unlocking is local: no other account or recovery key is offered here.
    expect(screen.queryByText(/recovery key/i)).toBeNull();
  });

  test('a wrong passphrase is said so, and the field keeps the focus', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('unlock', 'unwrap-failed');
    const { kura } = renderLocked({ api });
    const field = screen.getByLabelText('Passphrase');
    await user.type(field, 'not it');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText('That passphrase is not right. Try again.')).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe('unlock-passphrase-error');
    expect(document.activeElement).toBe(field);
    expect(kura.session.phase).toBe('locked');
  });

  test('an empty passphrase is not tried', async () => {
    const user = userEvent.setup();
    const { api } = renderLocked();
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(screen.getByText('Enter your passphrase.')).toBeTruthy();
    expect(api.unlock).not.toHaveBeenCalled();
  });

  test('busy while the key is derived', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const held = api.hold('unlock');
    const { kura } = renderLocked({ api });
    await user.type(screen.getByLabelText('Passphrase'), 'maple lantern orbit velvet');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(((await screen.findByRole('button', { name: 'Unlocking…' })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toContain('Unlocking…');
    held.resolve(ACCOUNT);
    await waitFor(() => expect(kura.session.phase).toBe('ready'));
  });

  test.each([
    [false, 'Sign out and keep'],
    [true, 'Sign out and erase'],
  ] as const)('sign out of this device (erase: %s)', async (erase, action) => {
    const user = userEvent.setup();
    const { api, kura } = renderLocked();
    await user.click(screen.getByRole('button', { name: 'Sign out of this device' }));
    const dialog = screen.getByRole('dialog', { name: 'Sign out of this device?' });
    expect(within(dialog).getByText(/sent when you sign in to this account here again/)).toBeTruthy();
    expect(within(dialog).getByText(/including backups that were not uploaded yet/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: action }));
    expect(api.signOut).toHaveBeenCalledWith(erase);
    expect(kura.session.phase).toBe('new');
    expect(kura.session.lockedEmail).toBeUndefined();
  });

  test('the sign-out dialog can be cancelled, and a failure is explained', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const { kura } = renderLocked({ api });
    await user.click(screen.getByRole('button', { name: 'Sign out of this device' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.signOut).not.toHaveBeenCalled();

    api.failNext('signOut', 'internal');
    await user.click(screen.getByRole('button', { name: 'Sign out of this device' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Sign out and erase' }));
    expect((await within(screen.getByRole('dialog')).findByRole('alert')).textContent).toBe('The server had a problem. Try again later.');
    expect(kura.session.phase).toBe('locked');
  });

  test('in Japanese', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('unlock', 'unwrap-failed');
    renderLocked({ api, language: 'ja' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('おかえりなさい');
    expect(screen.getByText('hana@example.jp のロックを解除')).toBeTruthy();
    expect(screen.getByText(/オフラインでも使えます/)).toBeTruthy();
    await user.type(screen.getByLabelText('パスフレーズ'), 'ちがう');
    await user.click(screen.getByRole('button', { name: 'ロックを解除' }));
    expect(await screen.findByText('パスフレーズが正しくありません。もう一度お試しください。')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'この端末からサインアウト' }));
    const dialog = screen.getByRole('dialog', { name: 'この端末からサインアウトしますか？' });
    expect(within(dialog).getByRole('button', { name: '残してサインアウト' })).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: '消去してサインアウト' })).toBeTruthy();
  });
});

