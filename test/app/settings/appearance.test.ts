import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Settings from '../../../src/app/screens/settings/Settings.svelte';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';

vi.mock('virtual:kura-notices', async () => ({ default: (await import('./notices-mock.ts')).NOTICES }));

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
});

const region = (name: string) => within(screen.getByRole('region', { name }));

describe('language', () => {
  test('choosing 日本語 turns the screen Japanese, and back', async () => {
    const { api, kura } = renderScreen(Settings);
    const appearance = region('Appearance and language');
    expect(appearance.getByRole('radio', { name: 'English' })).toHaveProperty('checked', true);
    await userEvent.click(appearance.getByRole('radio', { name: '日本語' }));
    expect(api.savePreferences).toHaveBeenLastCalledWith({ language: 'ja' });
    expect(await screen.findByRole('heading', { level: 1, name: '設定' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('ja');
    expect(kura.prefs.language).toBe('ja');
    await userEvent.click(region('表示と言語').getByRole('radio', { name: 'English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
  });

  test('"Same as browser" forgets the choice', async () => {
    const { api, kura } = renderScreen(Settings);
    await userEvent.click(region('Appearance and language').getByRole('radio', { name: 'Same as browser' }));
    expect(api.savePreferences).toHaveBeenLastCalledWith({ language: undefined });
    expect(kura.prefs.value.language).toBeUndefined();
    expect(region('Appearance and language').getByRole('radio', { name: 'Same as browser' })).toHaveProperty('checked', true);
  });
});

describe('theme', () => {
  test('sets the preference and the page theme', async () => {
    const { api, kura } = renderScreen(Settings);
    const appearance = region('Appearance and language');
    expect(appearance.getByRole('radio', { name: 'Same as device' })).toHaveProperty('checked', true);
    await userEvent.click(appearance.getByRole('radio', { name: 'Dark' }));
    expect(api.savePreferences).toHaveBeenLastCalledWith({ theme: 'dark' });
    expect(kura.prefs.value.theme).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    await userEvent.click(appearance.getByRole('radio', { name: 'Light' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    await userEvent.click(appearance.getByRole('radio', { name: 'Same as device' }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});

describe('notifications', () => {
  test('turning on asks the browser and is on once allowed', async () => {
    const { api, kura } = renderScreen(Settings);
    const toggle = region('Notifications').getByRole('switch', { name: 'Notify me when a backup finishes' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    await userEvent.click(toggle);
    expect(api.enableNotifications).toHaveBeenCalledOnce();
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    expect(kura.prefs.value.notifications).toBe(true);
    await userEvent.click(toggle);
    expect(kura.prefs.value.notifications).toBe(false);
    expect(api.enableNotifications).toHaveBeenCalledOnce();
  });

  test('when the browser blocks them it stays off and says how to allow them', async () => {
    const api = new FakeApi();
    api.enableNotifications.mockResolvedValueOnce(false);
    renderScreen(Settings, { api });
    const toggle = region('Notifications').getByRole('switch', { name: 'Notify me when a backup finishes' });
    await userEvent.click(toggle);
    expect(await region('Notifications').findByText(/Your browser blocked notifications for Kura/)).toBeTruthy();
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(api.savePreferences).not.toHaveBeenCalled();
  });

  test('a browser without notifications gets an explanation instead of the switch', () => {
    const api = new FakeApi();
    api.capabilities = { ...api.capabilities, notifications: false };
    renderScreen(Settings, { api });
    expect(region('Notifications').queryByRole('switch')).toBeNull();
    expect(region('Notifications').getByText('This browser cannot show notifications from Kura.')).toBeTruthy();
  });

  test('in Japanese', async () => {
    const api = new FakeApi();
    api.enableNotifications.mockResolvedValueOnce(false);
    renderScreen(Settings, { api, language: 'ja' });
    await userEvent.click(region('通知').getByRole('switch', { name: 'バックアップが完了したら通知する' }));
    expect(await region('通知').findByText(/ブラウザが Kura の通知をブロックしています/)).toBeTruthy();
  });
});
