import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Calls from '../../../../src/app/screens/records/calls/Calls.svelte';
import { makeCall } from '../../../../src/core/records/calls-model.ts';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import '../calendar/fixtures.ts';

afterEach(() => cleanup());

const props = { onexport: vi.fn(), timeZone: 'Asia/Tokyo' };
const CALL = makeCall({ number: '+81 90-1234-5678', name: 'Hanako', type: 'incoming', start: Date.parse('2024-04-01T01:00:00Z'), durationSeconds: 185, countryIso: 'jp', subscriptionId: 'SIM 1' });

describe.each([
  {
    language: 'en' as const,
    loading: 'Loading your call history…',
    empty: 'No call history yet. Import a call log (CSV, or the XML of SMS Backup & Restore).',
    offline: 'Offline: showing the call history kept on this device.',
    error: 'The server cannot be reached. Check your connection.',
    retry: 'Try again',
    row: 'Hanako Incoming · 10:00 AM · 3 min 5 sec',
    country: ['Country', 'Japan (JP)'],
  },
  {
    language: 'ja' as const,
    loading: '通話履歴を読み込んでいます…',
    empty: '通話履歴はまだありません。通話履歴のファイル（CSV、または SMS Backup & Restore の XML）を読み込んでください。',
    offline: 'オフラインです。この端末に保存されている通話履歴を表示しています。',
    error: 'サーバーに接続できません。通信環境をご確認ください。',
    retry: '再試行',
    row: 'Hanako 着信 · 10:00 · 3 分 5 秒',
    country: ['国', '日本 (JP)'],
  },
])('Calls states ($language)', ({ language, loading, empty, offline, error, retry, row, country }) => {
  test('loading, then empty with what to do', async () => {
    const api = new FakeApi();
    const held = api.hold('records');
    renderScreen(Calls, { api, language, props });
    expect(screen.getByRole('status').textContent).toBe(loading);
    held.resolve({ records: [], offline: false });
    expect(await screen.findByText(empty)).toBeTruthy();
    expect(screen.queryByRole('search')).toBeNull();
  });

  test('offline: a quiet note and the calls kept on this device; the country in the details', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.recordsFake.seed('calls', [CALL]);
    api.recordsFake.offline = true;
    renderScreen(Calls, { api, language, props });
    expect(await screen.findByText(offline)).toBeTruthy();
    const item = screen.getAllByRole('listitem')[1]!;
    expect(item.textContent!.replace(/\s+/g, ' ').trim()).toBe(row);
    await user.click(within(item).getByRole('button'));
    const dialog = await screen.findByRole('dialog');
    const dt = [...dialog.querySelectorAll('dt')].find((d) => d.textContent === country[0]);
    expect(dt?.nextElementSibling?.textContent).toBe(country[1]);
  });

  test('an error is explained; Try again loads the list', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.recordsFake.seed('calls', [CALL]);
    api.failNext('records', 'network-unavailable');
    renderScreen(Calls, { api, language, props });
    expect((await screen.findByRole('alert')).textContent).toContain(error);
    await user.click(screen.getByRole('button', { name: retry }));
    expect(await screen.findByRole('search')).toBeTruthy();
    expect(api.records).toHaveBeenCalledTimes(2);
  });
});

test('a new `refresh` (after an import) loads the list again', async () => {
  const api = new FakeApi();
  const { result } = renderScreen(Calls, { api, props: { ...props, refresh: 0 } });
  expect(await screen.findByText(/No call history yet\./)).toBeTruthy();
  api.recordsFake.seed('calls', [CALL]);
  await result.rerender({ ...props, refresh: 1 });
  await waitFor(() => expect(screen.getByText('1 call')).toBeTruthy());
  expect(api.records).toHaveBeenLastCalledWith('calls');
});
