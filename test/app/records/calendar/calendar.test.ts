import { cleanup, screen, within } from '@testing-library/svelte';
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

function seeded(...files: string[]): FakeApi {
  const api = new FakeApi();
  api.recordsFake.seed('calendar', files.flatMap(calendarFixture));
  return api;
}

function show(api: FakeApi, language: 'en' | 'ja' = 'en', timeZone = TOKYO) {
  const onexport = vi.fn();
  const rendered = renderScreen(Calendar, { api, language, props: { onexport, timeZone } });
  return { ...rendered, onexport };
}

/** The grid cell of a day, found by its day button's name (which starts with the full date). */
/** Text as a person reads it: Intl puts thin and narrow no-break spaces around range dashes. */
const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ');

function cell(date: string): HTMLElement {
  const button = screen.getByRole('button', { name: new RegExp(`^${date}`) });
  return button.closest('td')!;
}

describe('Calendar: month', () => {
  test('a weekly series on its Mondays minus the EXDATEs, the moved instance at its new day and time, today marked', async () => {
    show(seeded('google-weekly-exdate.ics'));
    const table = await screen.findByRole('table', { name: 'April 2024' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    expect(cell('Monday, April 1, 2024, 1 event').textContent).toContain('10:00 AM');
    expect(cell('Monday, April 1, 2024').textContent).toContain('週次ミーティング');
    expect(cell('Monday, April 8, 2024').textContent).toContain('週次ミーティング');
    expect(cell('Monday, April 15, 2024, no events').textContent).not.toContain('週次');
    expect(cell('Monday, April 22, 2024, no events').textContent).not.toContain('週次');
    expect(cell('Tuesday, April 23, 2024').textContent).toContain('2:00 PM');
    expect(cell('Tuesday, April 23, 2024').textContent).toContain('週次ミーティング（振替）');
    expect(cell('Monday, April 29, 2024, no events').textContent).not.toContain('週次');
    expect(cell('Wednesday, April 10, 2024').getAttribute('aria-current')).toBe('date');
    expect(cell('Tuesday, April 9, 2024').getAttribute('aria-current')).toBeNull();
  });

  test('the same series seen from New York falls on Sunday evenings', async () => {
    show(seeded('google-weekly-exdate.ics'), 'en', 'America/New_York');
    await screen.findByRole('table', { name: 'April 2024' });
    expect(cell('Sunday, April 7, 2024').textContent).toContain('9:00 PM');
    expect(cell('Monday, April 8, 2024, no events')).toBeTruthy();
  });

  test('previous, next and today move the month; all-day events span their days', async () => {
    const user = userEvent.setup();
    show(seeded('google-weekly-exdate.ics', 'google-allday.ics'));
    await screen.findByRole('table', { name: 'April 2024' });
    for (const day of ['Saturday, April 27, 2024', 'Sunday, April 28, 2024', 'Monday, April 29, 2024']) expect(cell(day).textContent).toContain('京都旅行');
    expect(cell('Tuesday, April 30, 2024, no events')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Next month' }));
    expect(screen.getByRole('table', { name: 'May 2024' })).toBeTruthy();
    expect(cell('Friday, May 3, 2024').textContent).toContain('憲法記念日');
    expect(cell('Monday, May 6, 2024').textContent).toContain('週次ミーティング');

    await user.click(screen.getByRole('button', { name: 'Previous month' }));
    await user.click(screen.getByRole('button', { name: 'Previous month' }));
    expect(screen.getByRole('table', { name: 'March 2024' })).toBeTruthy();
    // Only the days of April that end the grid show the series.
    expect(screen.getAllByText('週次ミーティング')).toHaveLength(1);
    expect(cell('Monday, April 1, 2024').textContent).toContain('週次ミーティング');
    await user.click(screen.getByRole('button', { name: 'Today' }));
    expect(screen.getByRole('table', { name: 'April 2024' })).toBeTruthy();
  });

  test('a crowded day shows two and "+N more", which opens that day in the agenda', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.recordsFake.seed(
      'calendar',
      [9, 10, 11, 12, 13].map((h) => ({ uid: `e${h}`, summary: `Slot ${h}`, start: { dateTime: `2024-04-12T${String(h).padStart(2, '0')}:00:00`, timeZone: TOKYO }, end: { dateTime: `2024-04-12T${String(h).padStart(2, '0')}:30:00`, timeZone: TOKYO } })),
    );
    show(api);
    await screen.findByRole('table');
    const friday = cell('Friday, April 12, 2024, 5 events');
    expect(within(friday).getAllByRole('listitem').map((li) => li.textContent?.trim())).toEqual(['9:00 AM Slot 9', '10:00 AM Slot 10', '+3 more']);
    await user.click(within(friday).getByRole('button', { name: '+3 more' }));
    expect(screen.getByRole('heading', { name: 'Friday, April 12, 2024' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Agenda', pressed: true })).toBeTruthy();
    expect(screen.getAllByText(/^Slot/).map((e) => e.textContent)).toEqual(['Slot 9', 'Slot 10', 'Slot 11', 'Slot 12', 'Slot 13']);
  });

  test('the days are one Tab stop; arrows move by day and week, Page Down by month', async () => {
    const user = userEvent.setup();
    show(seeded('google-weekly-exdate.ics'));
    await screen.findByRole('table', { name: 'April 2024' });
    const today = screen.getByRole('button', { name: /^Wednesday, April 10, 2024/ });
    expect(today.tabIndex).toBe(0);
    expect(screen.getByRole('button', { name: /^Thursday, April 11, 2024/ }).tabIndex).toBe(-1);
    today.focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Thursday, April 11, 2024/);
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Thursday, May 2, 2024/);
    expect(screen.getByRole('table', { name: 'May 2024' })).toBeTruthy();
    await user.keyboard('{Home}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Sunday, April 28, 2024/);
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Saturday, April 27, 2024/);
    expect(screen.getByRole('table', { name: 'April 2024' })).toBeTruthy();
    await user.keyboard('{PageDown}{Enter}');
    expect(screen.getByRole('heading', { name: /^May 27, 2024 –/ })).toBeTruthy();
  });

  test('in Japanese: the month, weekday headers and day names', async () => {
    show(seeded('google-weekly-exdate.ics'), 'ja');
    const table = await screen.findByRole('table', { name: '2024年4月' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['日', '月', '火', '水', '木', '金', '土']);
    expect(cell('2024年4月23日火曜日、予定1件').textContent).toContain('14:00');
    expect(cell('2024年4月15日月曜日、予定なし')).toBeTruthy();
    expect(screen.getByRole('button', { name: '今日' })).toBeTruthy();
  });
});

describe('Calendar: agenda', () => {
  test('a day opens the agenda from that day, in order, with times, places and "All day"', async () => {
    const user = userEvent.setup();
    show(seeded('google-weekly-exdate.ics', 'google-allday.ics'));
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: /^Monday, April 8, 2024/ }));
    // Focus moves to the agenda's heading: the day's button is gone with the month.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'April 8, 2024 – June 6, 2024' }));
    const days = screen.getAllByRole('heading', { level: 4 }).map((h) => h.textContent);
    expect(days.slice(0, 6)).toEqual([
      'Monday, April 8, 2024',
      'Tuesday, April 23, 2024',
      'Saturday, April 27, 2024',
      'Sunday, April 28, 2024',
      'Monday, April 29, 2024',
      'Friday, May 3, 2024',
    ]);
    const first = screen.getByRole('region', { name: 'Monday, April 8, 2024' });
    expect(text(first)).toContain('10:00 – 11:00 AM');
    expect(first.textContent).toContain('会議室A');
    const moved = screen.getByRole('region', { name: 'Tuesday, April 23, 2024' });
    expect(text(moved)).toContain('2:00 – 3:00 PM');
    expect(moved.textContent).toContain('会議室B');
    expect(screen.getByRole('region', { name: 'Saturday, April 27, 2024' }).textContent).toContain('All day');

    await user.click(screen.getByRole('button', { name: 'Later' }));
    expect(screen.getByRole('heading', { name: 'June 7, 2024 – August 5, 2024' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'June 7, 2024 – August 5, 2024' }));
  });

  test('checkboxes pick events; Export selected hands over their keys', async () => {
    const user = userEvent.setup();
    const { onexport } = show(seeded('google-weekly-exdate.ics', 'google-allday.ics'));
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: 'Agenda' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select 週次ミーティング（振替） for export' }));
    await user.click(screen.getAllByRole('checkbox', { name: 'Select 京都旅行 for export' })[0]!);
    // Every day of the trip shows it picked: the selection is of events, not of days.
    expect(screen.getAllByRole('checkbox', { name: 'Select 京都旅行 for export' }).map((c) => (c as HTMLInputElement).checked)).toEqual([true, true, true]);
    expect(screen.getByText('2 events selected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export selected' }));
    const moved = calendarFixture('google-weekly-exdate.ics')[1]!;
    const trip = calendarFixture('google-allday.ics').find((e) => e.summary === '京都旅行')!;
    expect(recordKey('calendar', moved)).toMatch(new RegExp(`^${SERIES_UID}#`));
    expect(onexport).toHaveBeenCalledWith([recordKey('calendar', moved), recordKey('calendar', trip)]);

    await user.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('button', { name: 'Export selected' })).toBeNull();

    // Picking a series picks its moved instance too (an export without it would lose the move).
    await user.click(screen.getAllByRole('checkbox', { name: 'Select 週次ミーティング for export' })[0]!);
    expect(screen.getByRole('checkbox', { name: 'Select 週次ミーティング（振替） for export' })).toHaveProperty('checked', true);
    await user.click(screen.getByRole('button', { name: 'Export selected' }));
    const [master] = calendarFixture('google-weekly-exdate.ics');
    expect(onexport).toHaveBeenLastCalledWith([recordKey('calendar', master!), recordKey('calendar', moved)]);
  });

  test('in Japanese', async () => {
    const user = userEvent.setup();
    show(seeded('google-weekly-exdate.ics'), 'ja');
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: '予定リスト' }));
    expect(screen.getByRole('heading', { name: '2024年4月10日～2024年6月8日' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '2024年4月23日火曜日' }).textContent).toContain('14時00分～15時00分');
    await user.click(screen.getByRole('checkbox', { name: '週次ミーティング（振替）を書き出しに選択' }));
    expect(screen.getByText('1件を選択中')).toBeTruthy();
    expect(screen.getByRole('button', { name: '選択した予定を書き出す' })).toBeTruthy();
  });
});

test('a cancelled event is struck through and says so in the agenda', async () => {
  const user = userEvent.setup();
  const api = new FakeApi();
  api.recordsFake.seed('calendar', [{ uid: 'c1', summary: 'Dinner', status: 'CANCELLED', start: { dateTime: '2024-04-12T19:00:00', timeZone: TOKYO }, end: { dateTime: '2024-04-12T21:00:00', timeZone: TOKYO } }]);
  show(api);
  await screen.findByRole('table');
  expect(screen.getByRole('button', { name: '7:00 PM Dinner' }).classList.contains('cancelled')).toBe(true);
  await user.click(screen.getByRole('button', { name: 'Agenda' }));
  expect(text(screen.getByRole('region', { name: 'Friday, April 12, 2024' }))).toContain('Dinner Cancelled');
});
