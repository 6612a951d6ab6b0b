/**
 * The root: the phase decides the screen (first run, unlock, the app), the language follows the
 * saved choice, and files shared to the app are taken once the account is open (contacts and
 * calendar exports by the records import: test/app/records/hub/launched.test.ts).
 */
import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import App from '../../src/app/App.svelte';
import { ACCOUNT, FakeApi } from './fake-api.ts';

describe('App', () => {
  test('first run: the language step, in the language saved on this device', async () => {
    const api = new FakeApi();
    api.preferences = { ...api.preferences, language: 'ja' };
    render(App, { props: { api } });
    expect(await screen.findByRole('heading', { level: 1, name: '言語を選んでください' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('ja');
  });

  test('a locked account asks for its passphrase; an open one shows Backup', async () => {
    const locked = new FakeApi();
    locked.startState = { kind: 'locked', email: 'hana@example.jp' };
    const first = render(App, { props: { api: locked } });
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome back' })).toBeTruthy();
    first.unmount();

    const open = new FakeApi();
    open.startState = { kind: 'ready', account: ACCOUNT };
    render(App, { props: { api: open } });
    expect(await screen.findByRole('heading', { level: 1, name: 'Backup' })).toBeTruthy();
    expect(open.watchSync).toHaveBeenCalledTimes(1);
  });

  test('files shared to the app are backed up once the account is open', async () => {
    const api = new FakeApi();
    api.startState = { kind: 'ready', account: ACCOUNT };
    render(App, { props: { api } });
    await screen.findByRole('heading', { level: 1, name: 'Backup' });
    const shared = [new File([new Uint8Array([0xff, 0xd8, 0xff])], 'IMG_0001.jpg', { type: 'image/jpeg' })];
    api.launchCallback?.(shared);
    await waitFor(() => expect(api.backUpInputFiles).toHaveBeenCalledWith(shared, 'IMG_0001.jpg', expect.any(Function)));
  });
});
