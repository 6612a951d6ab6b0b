/**
 * When Kura cannot start: the reason in the user's words, and Try again that starts once more.
 */
import { cleanup, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { KuraError } from '../../../src/core/errors.ts';
import StartFailed from '../../../src/app/screens/onboarding/StartFailed.svelte';
import { FakeApi } from '../fake-api.ts';
import { makeKura, renderScreen } from '../render.ts';

afterEach(cleanup);

function renderFailed(api: FakeApi, language: 'en' | 'ja' = 'en') {
  const kura = makeKura(api, { language });
  kura.session.phase = 'failed';
  kura.session.startError = new KuraError('kdf-out-of-memory');
  return renderScreen(StartFailed, { kura });
}

describe('start failed', () => {
  test('shows the reason; Try again starts again and leaves the screen when it works', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const held = api.hold('start');
    const { kura } = renderFailed(api);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Kura could not start');
    expect(screen.getByRole('alert').textContent).toContain('This device does not have enough memory to unlock Kura.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(api.start).toHaveBeenCalledOnce();
    expect(screen.getByRole('status').textContent).toContain('Starting Kura…');
    expect((screen.getByRole('button', { name: 'Try again' }) as HTMLButtonElement).disabled).toBe(true);
    held.resolve({ kind: 'new' });
    await waitFor(() => expect(kura.session.phase).toBe('new'));
  });

  test('a second failure shows its own reason and says it still did not work', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('start', 'network-unavailable');
    renderFailed(api);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The server cannot be reached. Check your connection.'));
    expect(screen.getByText('It still did not work.')).toBeTruthy();
  });

  test('in Japanese', () => {
    renderFailed(new FakeApi(), 'ja');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Kuraを起動できませんでした');
    expect(screen.getByRole('button', { name: '再試行' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'ページを再読み込み' })).toBeTruthy();
  });
});
