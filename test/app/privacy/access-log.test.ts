import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { filterOf, rangeReversed, EMPTY_FORM } from '../../../src/app/screens/privacy/access-log.svelte.ts';
import { formatDateTime } from '../../../src/app/i18n/format.ts';
import { accessEntry, FakePrivacy } from '../fake-privacy.ts';
import { renderPrivacy } from './render-privacy.ts';

afterEach(cleanup);

function withLog(): FakePrivacy {
  const privacy = new FakePrivacy();
  privacy.log = [
    accessEntry(0, { action: 'snapshot.commit' }),
    accessEntry(1, { deviceId: 'dev_phone', deviceName: 'Hana’s phone', ip: '198.51.100.7', action: 'chunk.put', status: 201 }),
    accessEntry(2, { action: 'sign-in', status: 401 }),
    accessEntry(30, { deviceId: 'dev_phone', deviceName: 'Hana’s phone', action: 'sign-in' }),
    accessEntry(60, { action: 'snapshot.list' }),
  ];
  return privacy;
}

const rows = () => within(screen.getByRole('region', { name: 'Your requests, newest first' })).getAllByRole('row').slice(1);

describe('filters', () => {
  test('dates become the local day’s first and last millisecond; empty fields are left out', () => {
    expect(filterOf(EMPTY_FORM)).toEqual({});
    expect(filterOf({ from: '2026-11-01', to: '2026-11-02', deviceId: 'dev_phone', action: 'sign-in' })).toEqual({
      from: new Date(2026, 10, 1).getTime(),
      to: new Date(2026, 10, 3).getTime() - 1,
      deviceId: 'dev_phone',
      action: 'sign-in',
    });
    expect(rangeReversed({ ...EMPTY_FORM, from: '2026-11-02', to: '2026-11-01' })).toBe(true);
    expect(rangeReversed({ ...EMPTY_FORM, from: '2026-11-01', to: '2026-11-01' })).toBe(false);
  });
});

describe('the access log', () => {
  test('lists the requests with time, IP, device, action and status, a page at a time', async () => {
    const privacy = withLog();
    renderPrivacy('access-log', { privacy });
    await screen.findByRole('region', { name: 'Your requests, newest first' });
    expect(privacy.accessLog).toHaveBeenCalledWith({}, undefined);
    expect(rows()).toHaveLength(2);
    expect(within(rows()[1]!).getAllByRole('cell').map((c) => c.textContent)).toEqual([
      formatDateTime(privacy.log[1]!.at, 'en'),
      '198.51.100.7',
      'Hana’s phone',
      'chunk.put',
      '201',
    ]);
    expect(screen.getByText('2 requests shown')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(privacy.accessLog).toHaveBeenLastCalledWith({}, '2');
    await waitFor(() => expect(rows()).toHaveLength(4));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  test('filters are passed to accessLog and start again from the first page', async () => {
    const privacy = withLog();
    renderPrivacy('access-log', { privacy });
    await screen.findByRole('region', { name: 'Your requests, newest first' });
    const filters = within(screen.getByRole('form', { name: 'Filter' }));
    await userEvent.selectOptions(filters.getByLabelText('Device'), 'Hana’s phone');
    await userEvent.type(filters.getByLabelText('Action'), 'chunk.put');
    await userEvent.type(filters.getByLabelText('From'), '2026-11-01');
    await userEvent.click(filters.getByRole('button', { name: 'Apply' }));
    expect(privacy.accessLog).toHaveBeenLastCalledWith({ from: new Date(2026, 10, 1).getTime(), deviceId: 'dev_phone', action: 'chunk.put' }, undefined);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByText('1 request shown')).toBeTruthy();

    await userEvent.click(filters.getByRole('button', { name: 'Clear' }));
    expect(privacy.accessLog).toHaveBeenLastCalledWith({}, undefined);
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  test('an end before the start is explained and not applied', async () => {
    const privacy = withLog();
    renderPrivacy('access-log', { privacy });
    const filters = within(screen.getByRole('form', { name: 'Filter' }));
    await userEvent.type(filters.getByLabelText('From'), '2026-11-05');
    await userEvent.type(filters.getByLabelText('To'), '2026-11-01');
    expect(filters.getByRole('alert').textContent).toBe('The end date is before the start date.');
    expect(filters.getByRole('button', { name: 'Apply' })).toHaveProperty('disabled', true);
  });

  test('no match says so', async () => {
    renderPrivacy('access-log');
    expect(await screen.findByText('No request matches these filters.')).toBeTruthy();
  });

  test('exports CSV and JSON with the filter applied', async () => {
    const privacy = withLog();
    renderPrivacy('access-log', { privacy });
    await screen.findByRole('region', { name: 'Your requests, newest first' });
    const filters = within(screen.getByRole('form', { name: 'Filter' }));
    await userEvent.type(filters.getByLabelText('Action'), ' sign-in ');
    await userEvent.click(filters.getByRole('button', { name: 'Apply' }));
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(privacy.downloadAccessLog).toHaveBeenLastCalledWith({ action: 'sign-in' }, 'csv');
    await userEvent.click(screen.getByRole('button', { name: 'Download JSON' }));
    expect(privacy.downloadAccessLog).toHaveBeenLastCalledWith({ action: 'sign-in' }, 'json');
  });

  test('a failed page says why and Try again fetches it again', async () => {
    const privacy = withLog();
    privacy.failNext('accessLog', 'internal');
    renderPrivacy('access-log', { privacy });
    expect(await screen.findByText('The server had a problem. Try again later.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  test('in Japanese', async () => {
    const privacy = withLog();
    renderPrivacy('access-log', { privacy, language: 'ja' });
    const table = await screen.findByRole('region', { name: 'あなたのリクエスト（新しい順）' });
    expect(within(table).getAllByRole('columnheader').map((c) => c.textContent)).toEqual(['日時', 'IP アドレス', '端末', '操作', '結果']);
    expect(screen.getByText('2件を表示中')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'さらに読み込む' }));
    expect(await screen.findByText('4件を表示中')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'CSV をダウンロード' }));
    expect(privacy.downloadAccessLog).toHaveBeenCalledWith({}, 'csv');
  });
});
