import { cleanup, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import Calendar from '../../../../src/app/screens/records/calendar/Calendar.svelte';
import { recordKey } from '../../../../src/core/records/kinds.ts';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import Bound from './Bound.svelte';
import { calendarFixture, NOW, TOKYO } from './fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

test('Calendar: a parent’s `selected` shows as picked, and picks reach the parent', async () => {
  const user = userEvent.setup();
  const trip = calendarFixture('google-allday.ics').find((e) => e.summary === '京都旅行')!;
  const holiday = calendarFixture('google-allday.ics').find((e) => e.summary === '憲法記念日')!;
  const api = new FakeApi();
  api.recordsFake.seed('calendar', calendarFixture('google-allday.ics'));
  renderScreen(Bound, { api, props: { view: Calendar, initial: [recordKey('calendar', trip)], timeZone: TOKYO } });
  await screen.findByRole('table');
  expect(screen.getByText('1 event selected')).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'Agenda' }));
  expect(screen.getAllByRole('checkbox', { name: 'Select 京都旅行 for export' })[0]).toHaveProperty('checked', true);
  await user.click(screen.getByRole('checkbox', { name: 'Select 憲法記念日 for export' }));
  expect(screen.getByTestId('bound').textContent).toBe(`${recordKey('calendar', trip)}|${recordKey('calendar', holiday)}`);
});
