import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import Calendar from '../../../../src/app/screens/records/calendar/Calendar.svelte';
import { recordKey } from '../../../../src/core/records/kinds.ts';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import { calendarFixture, NOW, SERIES_UID, TOKYO } from './fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ');

function show(files: string[], language: 'en' | 'ja' = 'en') {
  const api = new FakeApi();
  api.recordsFake.seed('calendar', files.flatMap(calendarFixture));
  const onexport = vi.fn();
  const rendered = renderScreen(Calendar, { api, language, props: { onexport, timeZone: TOKYO } });
  return { ...rendered, api, onexport };
}

async function openEvent(name: string | RegExp) {
  const user = userEvent.setup();
  await screen.findByRole('table');
  await user.click(screen.getAllByRole('button', { name })[0]!);
  return { user, dialog: await screen.findByRole('dialog') };
}

describe('Calendar: event details', () => {
  test('a series: when, rule in words, exceptions, place, notes, status; Export hands over the series with its moved instance', async () => {
    const { onexport } = show(['google-weekly-exdate.ics']);
    const { user, dialog } = await openEvent(/^10:00 AM 週次ミーティング$/);
    expect(within(dialog).getByRole('heading', { level: 2, name: '週次ミーティング' })).toBeTruthy();
    expect(text(dialog)).toContain('Apr 1, 2024, 10:00 – 11:00 AM');
    expect(text(dialog)).toContain('Every week on Monday');
    expect(text(dialog)).toContain('3 exceptions'); // two EXDATEs and one moved instance
    expect(text(dialog)).toContain('会議室A');
    expect(text(dialog)).toContain('週次の定例, 議題は共有ドキュメント');
    expect(text(dialog)).toContain('Confirmed');
    expect(text(dialog)).not.toContain('Eastern');
    // Its history: one version, seeded the day before.
    expect(await within(dialog).findByText('No earlier versions.')).toBeTruthy();
    expect(within(dialog).getByText(/週次ミーティング · Apr 1, 2024, 10:00/)).toBeTruthy();

    await user.click(within(dialog).getByRole('button', { name: 'Export this event' }));
    const [master, moved] = calendarFixture('google-weekly-exdate.ics');
    expect(onexport).toHaveBeenCalledWith([recordKey('calendar', master!), recordKey('calendar', moved!)]);

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  test('an event in another zone: shown in the user’s, with its own noted; reminders in words', async () => {
    const user = userEvent.setup();
    show(['apple-alarms.ics']);
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: 'Previous month' }));
    await user.click(screen.getByRole('button', { name: /Dentist appointment/ }));
    const dialog = await screen.findByRole('dialog');
    expect(text(dialog)).toContain('Mar 12, 2024, 10:00 – 11:00 PM');
    expect(text(dialog)).toContain('Mar 12, 2024, 9:00 – 10:00 AM (Eastern Time)');
    expect(text(dialog)).toContain('30 minutes before');
    expect(text(dialog)).toContain('At Mar 12, 2024, 7:00 AM');
    expect(within(dialog).getByRole('link', { name: 'https://example.com/appointments/42' })).toBeTruthy();
  });

  test('attendees with their replies, the organizer; in Japanese', async () => {
    const user = userEvent.setup();
    show(['attendees.ics'], 'ja');
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: '次の月' }));
    await user.click(screen.getByRole('button', { name: /Design review/ }));
    const dialog = await screen.findByRole('dialog');
    expect(text(dialog)).toContain('Hanako Sato <hanako@example.com>');
    expect(text(dialog)).toMatch(/出席/);
    expect(text(dialog)).toMatch(/未回答/);
    expect(text(dialog)).toMatch(/欠席/);
    expect(text(dialog)).toContain('2024/05/20 10時00分～11時00分');
    expect(within(dialog).getByRole('button', { name: 'この予定を書き出す' })).toBeTruthy();
  });

  test('an all-day event: its dates and "All day"', async () => {
    const user = userEvent.setup();
    show(['google-allday.ics']);
    await screen.findByRole('table');
    await user.click(screen.getAllByRole('button', { name: '京都旅行' })[0]!);
    const dialog = await screen.findByRole('dialog');
    expect(text(dialog)).toContain('April 27 – 29, 2024');
    expect(text(dialog)).toContain('All day');
  });

  test('Delete asks first; Cancel keeps it; Delete removes the series and reloads', async () => {
    const { api, dialog, user } = await (async () => {
      const r = show(['google-weekly-exdate.ics']);
      return { ...r, ...(await openEvent(/^10:00 AM 週次ミーティング$/)) };
    })();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    let confirm = screen.getByRole('dialog', { name: 'Delete this event?' });
    expect(confirm.textContent).toContain('Every occurrence of “週次ミーティング” will be removed');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog', { name: 'Delete this event?' })).toBeNull();
    expect(api.deleteRecords).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    confirm = screen.getByRole('dialog', { name: 'Delete this event?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete event' }));
    const [master, moved] = calendarFixture('google-weekly-exdate.ics');
    expect(api.deleteRecords).toHaveBeenCalledWith('calendar', [recordKey('calendar', master!), recordKey('calendar', moved!)]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(screen.queryByText('週次ミーティング')).toBeNull());
    expect(api.records).toHaveBeenCalledTimes(2);
  });

  test('a failed delete is explained in the confirmation and nothing closes', async () => {
    const r = show(['google-allday.ics']);
    const user = userEvent.setup();
    await screen.findByRole('table');
    await user.click(screen.getAllByRole('button', { name: '京都旅行' })[0]!);
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete this event?' });
    expect(confirm.textContent).toContain('“京都旅行” will be removed');
    r.api.failNext('deleteRecords', 'network-unavailable');
    await user.click(within(confirm).getByRole('button', { name: 'Delete event' }));
    expect((await within(confirm).findByRole('alert')).textContent).toBe('The server cannot be reached. Check your connection.');
    expect(screen.getByRole('dialog', { name: 'Delete this event?' })).toBeTruthy();
  });

  test('restoring an earlier version reloads the list and the details show it', async () => {
    const api = new FakeApi();
    const [master] = calendarFixture('google-weekly-exdate.ics');
    api.recordsFake.seed('calendar', [{ ...master!, summary: 'Weekly sync (old)' }], NOW - 2 * 86_400_000);
    api.recordsFake.seed('calendar', [master!], NOW - 86_400_000);
    renderScreen(Calendar, { api, props: { onexport: vi.fn(), timeZone: TOKYO } });
    const { user, dialog } = await openEvent(/^10:00 AM 週次ミーティング$/);
    await user.click(await within(dialog).findByRole('button', { name: 'Restore this version' }));
    expect(api.restoreRecordVersion).toHaveBeenCalledWith('calendar', SERIES_UID, NOW - 2 * 86_400_000);
    await waitFor(() => expect(within(dialog).getByRole('heading', { level: 2 }).textContent).toBe('Weekly sync (old)'));
    expect(api.records).toHaveBeenCalledTimes(2);
  });
});
