import { cleanup, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import Calendar from '../../../../src/app/screens/records/calendar/Calendar.svelte';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import { calendarFixture, NOW, TOKYO } from './fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const props = { onexport: vi.fn(), timeZone: TOKYO };

describe.each([
  {
    language: 'en' as const,
    loading: 'Loading your schedules…',
    empty: 'No schedules yet. Import a calendar file (.ics) from Google Calendar, Apple Calendar or Outlook.',
    offline: 'Offline: showing the schedules kept on this device.',
    error: 'The server cannot be reached. Check your connection.',
    retry: 'Try again',
  },
  {
    language: 'ja' as const,
    loading: '予定を読み込んでいます…',
    empty: '予定はまだありません。Google カレンダー、Apple のカレンダー、Outlook から書き出したカレンダーファイル（.ics）を読み込んでください。',
    offline: 'オフラインです。この端末に保存されている予定を表示しています。',
    error: 'サーバーに接続できません。通信環境をご確認ください。',
    retry: '再試行',
  },
])('Calendar states ($language)', ({ language, loading, empty, offline, error, retry }) => {
  test('loading, then empty with what to do', async () => {
    const api = new FakeApi();
    const held = api.hold('records');
    renderScreen(Calendar, { api, language, props });
    expect(screen.getByRole('status').textContent).toBe(loading);
    held.resolve({ records: [], offline: false });
    expect(await screen.findByText(empty)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  test('offline: a quiet note and the events kept on this device', async () => {
    const api = new FakeApi();
    api.recordsFake.seed('calendar', calendarFixture('google-weekly-exdate.ics'));
    api.recordsFake.offline = true;
    renderScreen(Calendar, { api, language, props });
    expect(await screen.findByText(offline)).toBeTruthy();
    expect(screen.getAllByText('週次ミーティング').length).toBeGreaterThan(0);
  });

  test('an error is explained; Try again loads the list', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.recordsFake.seed('calendar', calendarFixture('google-weekly-exdate.ics'));
    api.failNext('records', 'network-unavailable');
    renderScreen(Calendar, { api, language, props });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(error);
    await user.click(screen.getByRole('button', { name: retry }));
    expect(await screen.findByRole('table')).toBeTruthy();
    expect(api.records).toHaveBeenCalledTimes(2);
  });
});

test('a new `refresh` (after an import) loads the list again and keeps the view meanwhile', async () => {
  const api = new FakeApi();
  const { result } = renderScreen(Calendar, { api, props: { ...props, refresh: 0 } });
  expect(await screen.findByText(/No schedules yet\./)).toBeTruthy();
  api.recordsFake.seed('calendar', calendarFixture('google-weekly-exdate.ics'));
  await result.rerender({ ...props, refresh: 1 });
  await waitFor(() => expect(screen.getAllByText('週次ミーティング').length).toBeGreaterThan(0));
  expect(api.records).toHaveBeenCalledTimes(2);
  expect(api.records).toHaveBeenLastCalledWith('calendar');
});
