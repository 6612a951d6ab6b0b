import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Settings from '../../../src/app/screens/settings/Settings.svelte';
import { ACCOUNT, FakeApi } from '../fake-api.ts';
import { makeKura, renderScreen } from '../render.ts';

vi.mock('virtual:kura-notices', async () => ({ default: (await import('./notices-mock.ts')).NOTICES }));

afterEach(cleanup);

const security = (name = 'Security') => within(screen.getByRole('region', { name }));

/** Settings for an unlocked account, with `commits` backups not yet uploaded. */
function signedIn(commits = 0, language: 'en' | 'ja' = 'en') {
  const api = new FakeApi();
  api.pendingState = { commits, stagedBytes: commits * 1_500_000 };
  const kura = makeKura(api, { language });
  kura.session.phase = 'ready';
  kura.session.account = ACCOUNT;
  return renderScreen(Settings, { kura });
}

describe('lock and remember', () => {
  test('the lock-after choice updates the preferences', async () => {
    const { api, kura } = renderScreen(Settings);
    const select = security().getByLabelText('Lock Kura after') as HTMLSelectElement;
    expect(select.value).toBe('15');
    expect([...select.options].map((o) => o.textContent)).toEqual([
      '1 minute without use',
      '5 minutes without use',
      '15 minutes without use',
      '30 minutes without use',
      '60 minutes without use',
      'Never',
    ]);
    await userEvent.selectOptions(select, 'Never');
    expect(api.savePreferences).toHaveBeenLastCalledWith({ lockAfterMinutes: 0 });
    expect(kura.prefs.value.lockAfterMinutes).toBe(0);
    await userEvent.selectOptions(select, '5 minutes without use');
    expect(kura.prefs.value.lockAfterMinutes).toBe(5);
  });

  test('the remember switch starts from the device and calls setRemembered', async () => {
    const api = new FakeApi();
    api.remembered = true;
    renderScreen(Settings, { api });
    const toggle = await security().findByRole('switch', { name: 'Remember this device' });
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    expect(security().getByText(/you enter your passphrase each time Kura opens/)).toBeTruthy();
    await userEvent.click(toggle);
    expect(api.setRemembered).toHaveBeenCalledWith(false);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
  });

  test('a failed change stays as it was and says why', async () => {
    const api = new FakeApi();
    api.failNext('setRemembered', 'internal');
    renderScreen(Settings, { api });
    const toggle = security().getByRole('switch', { name: 'Remember this device' });
    await waitFor(() => expect(toggle).toHaveProperty('disabled', false));
    await userEvent.click(toggle);
    expect((await security().findByRole('alert')).textContent).toBe('The server had a problem. Try again later.');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });

  test('Lock now locks', async () => {
    const { api, kura } = signedIn();
    await userEvent.click(security().getByRole('button', { name: 'Lock now' }));
    expect(api.lock).toHaveBeenCalled();
    expect(kura.session.phase).toBe('locked');
  });
});

describe('signing out', () => {
  async function openSignOut() {
    await userEvent.click(security().getByRole('button', { name: 'Sign out…' }));
    return within(screen.getByRole('dialog', { name: 'Sign out of Kura' }));
  }

  test('with everything uploaded: says so, and either choice signs out at once', async () => {
    const { api, kura } = signedIn(0);
    const dialog = await openSignOut();
    expect(await dialog.findByText('Everything on this device has been uploaded.')).toBeTruthy();
    expect(dialog.queryByRole('checkbox')).toBeNull();
    await userEvent.click(dialog.getByRole('button', { name: 'Sign out and erase everything on this device' }));
    expect(api.signOut).toHaveBeenCalledWith(true);
    await waitFor(() => expect(kura.session.phase).toBe('new'));
  });

  test('keeping unsent backups', async () => {
    const { api, kura } = signedIn(2);
    const dialog = await openSignOut();
    expect(await dialog.findByText('2 backups are not uploaded yet (3 MB).')).toBeTruthy();
    await userEvent.click(dialog.getByRole('button', { name: 'Sign out and keep unsent backups on this device' }));
    expect(api.signOut).toHaveBeenCalledWith(false);
    await waitFor(() => expect(kura.session.phase).toBe('new'));
  });

  test('erasing unsent backups needs "I understand" ticked', async () => {
    const { api } = signedIn(1);
    const dialog = await openSignOut();
    expect(await dialog.findByText('1 backup is not uploaded yet (1.5 MB).')).toBeTruthy();
    const erase = dialog.getByRole('button', { name: 'Sign out and erase everything on this device' });
    expect(erase).toHaveProperty('disabled', true);
    await userEvent.click(erase);
    expect(api.signOut).not.toHaveBeenCalled();
    await userEvent.click(dialog.getByRole('checkbox', { name: 'I understand unsent backups will be lost' }));
    expect(erase).toHaveProperty('disabled', false);
    await userEvent.click(erase);
    expect(api.signOut).toHaveBeenCalledWith(true);
  });

  test('while checking, nothing can be chosen; if the check fails, erasing asks to confirm', async () => {
    const api = new FakeApi();
    const held = api.hold('pending');
    const kura = makeKura(api);
    renderScreen(Settings, { kura });
    const dialog = await openSignOut();
    expect(dialog.getByText('Checking for backups not yet uploaded…')).toBeTruthy();
    expect(dialog.getByRole('button', { name: 'Sign out and keep unsent backups on this device' })).toHaveProperty('disabled', true);
    held.reject(new Error('locked'));
    expect(await dialog.findByText(/could not check for backups not yet uploaded/)).toBeTruthy();
    expect(dialog.getByRole('button', { name: 'Sign out and erase everything on this device' })).toHaveProperty('disabled', true);
    expect(dialog.getByRole('checkbox')).toBeTruthy();
  });

  test('a failure is shown and Cancel closes', async () => {
    const { api } = signedIn(0);
    api.failNext('signOut', 'held-for-another-account');
    const dialog = await openSignOut();
    await dialog.findByText('Everything on this device has been uploaded.');
    await userEvent.click(dialog.getByRole('button', { name: 'Sign out and keep unsent backups on this device' }));
    expect((await dialog.findByRole('alert')).textContent).toMatch(/holds unsent backups of another account/);
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(security().getByRole('button', { name: 'Sign out…' }));
  });

  test('in Japanese', async () => {
    signedIn(3, 'ja');
    await userEvent.click(security('セキュリティ').getByRole('button', { name: 'サインアウト…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Kura からサインアウト' }));
    expect(await dialog.findByText('まだアップロードされていないバックアップが3件（4.5 MB）あります。')).toBeTruthy();
    expect(dialog.getByRole('checkbox', { name: '未送信のバックアップが失われることを理解しました' })).toBeTruthy();
  });
});
