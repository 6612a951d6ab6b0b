import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Calls from '../../../../src/app/screens/records/calls/Calls.svelte';
import { parseCallLog, type Call } from '../../../../src/core/records/index.ts';
import { makeCall } from '../../../../src/core/records/calls-model.ts';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import '../calendar/fixtures.ts'; // the <dialog> methods jsdom lacks

afterEach(() => cleanup());

const TOKYO = 'Asia/Tokyo';
const xmlCalls = (): Call[] => parseCallLog(readFileSync(join(__dirname, '../../../fixtures/records/calls/sms-backup-restore.xml'))).records;
const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

function show(calls: readonly Call[], language: 'en' | 'ja' = 'en') {
  const api = new FakeApi();
  api.recordsFake.seed('calls', calls);
  const onexport = vi.fn();
  const rendered = renderScreen(Calls, { api, language, props: { onexport, timeZone: TOKYO } });
  return { ...rendered, api, onexport };
}

/** The value a details list gives for a term. */
function fact(dialog: HTMLElement, term: string): string | undefined {
  const dt = [...dialog.querySelectorAll('dt')].find((d) => text(d) === term);
  return dt?.nextElementSibling ? text(dt.nextElementSibling) : undefined;
}

const list = () => screen.getByRole('list', { name: /^(Calls|通話)$/ });
const rowTexts = () => within(list()).getAllByRole('listitem').map(text);

describe('Calls: list', () => {
  test('newest first under day headings, with type, who, time and duration (none when not connected)', async () => {
    show(xmlCalls());
    expect(await screen.findByText('9 calls')).toBeTruthy();
    const rows = rowTexts();
    expect(rows[0]).toBe('Wednesday, November 15, 2023');
    expect(rows[1]).toBe('0120123456 Outgoing · 3:13 PM · 48 sec');
    expect(rows).toContain('山田 花子 Incoming · 7:13 AM · 1 min 5 sec');
    expect(rows).toContain('Private number Incoming · 10:13 AM · 30 sec');
    expect(rows).toContain('+819087654321 Missed · 9:13 AM');
    expect(rows).toContain('田中 一郎 Rejected · 12:13 PM');
    expect(rows).toContain('+815011113333 Blocked · 1:13 PM');
    expect(rows).toContain('1417 Voicemail · 11:13 AM · 20 sec');
    expect(rows).toHaveLength(10);
  });

  test('in Japanese: 非通知, the types and durations in Japanese', async () => {
    show(xmlCalls(), 'ja');
    await screen.findByText('9件');
    const rows = rowTexts();
    expect(rows[0]).toBe('2023年11月15日水曜日');
    expect(rows).toContain('非通知 着信 · 10:13 · 30 秒');
    expect(rows).toContain('山田 花子 着信 · 7:13 · 1 分 5 秒');
    expect(rows).toContain('+819087654321 不在着信 · 9:13');
  });

  test('tens of thousands of calls: only the rows in view are in the page', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => makeCall({ number: `090${String(i).padStart(8, '0')}`, type: 'incoming', start: Date.UTC(2024, 0, 1) + i * 600_000, durationSeconds: 60 }));
    show(many);
    expect(await screen.findByText('20,000 calls')).toBeTruthy();
    const items = within(list()).getAllByRole('listitem');
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(60);
    expect(text(items[1]!)).toContain('09000019999');
  });

  test('arrow keys move between calls, over day headings', async () => {
    const user = userEvent.setup();
    show([
      makeCall({ number: '0311112222', type: 'incoming', start: Date.parse('2024-04-02T01:00:00Z'), durationSeconds: 5 }),
      makeCall({ number: '0333334444', type: 'outgoing', start: Date.parse('2024-04-01T01:00:00Z'), durationSeconds: 5 }),
    ]);
    await screen.findByText('2 calls');
    const first = screen.getByRole('button', { name: /0311112222/ });
    first.focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /0333334444/ }));
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(first);
  });
});

describe('Calls: filters', () => {
  test('by type', async () => {
    const user = userEvent.setup();
    show(xmlCalls());
    await screen.findByText('9 calls');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Missed');
    expect(screen.getByText('1 call of 9')).toBeTruthy();
    expect(rowTexts()).toEqual(['Wednesday, November 15, 2023', '+819087654321 Missed · 9:13 AM']);
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(screen.getByText('9 calls')).toBeTruthy();
  });

  test('by number (digits, either form) and by name', async () => {
    const user = userEvent.setup();
    show(xmlCalls());
    await screen.findByText('9 calls');
    const search = screen.getByRole('searchbox', { name: 'Search by name or number' });
    await user.type(search, '090 1234');
    expect(rowTexts().slice(1)).toEqual(['山田 花子 Incoming · 7:13 AM · 1 min 5 sec']);
    await user.clear(search);
    await user.type(search, '０３－１２３４');
    expect(rowTexts().slice(1)).toEqual(['佐藤 & 鈴木 法律事務所 Outgoing · 8:13 AM · 5 min 12 sec']);
    await user.clear(search);
    await user.type(search, '田中');
    expect(rowTexts().slice(1)).toEqual(['田中 一郎 Rejected · 12:13 PM']);
    await user.clear(search);
    await user.type(search, 'nobody');
    expect(screen.getByText('No calls match these filters.')).toBeTruthy();
    expect(screen.getByText('0 calls of 9')).toBeTruthy();
  });

  test('by dates, read as whole days in the user’s zone', async () => {
    const calls = [
      makeCall({ number: '0311112222', type: 'incoming', start: Date.parse('2024-04-01T14:59:00Z'), durationSeconds: 5 }), // 1 Apr 23:59 JST
      makeCall({ number: '0322223333', type: 'incoming', start: Date.parse('2024-04-01T15:00:00Z'), durationSeconds: 5 }), // 2 Apr 00:00 JST
      makeCall({ number: '0344445555', type: 'incoming', start: Date.parse('2024-04-03T01:00:00Z'), durationSeconds: 5 }),
    ];
    show(calls);
    await screen.findByText('3 calls');
    await fireEvent.change(screen.getByLabelText('From'), { target: { value: '2024-04-02' } });
    await fireEvent.change(screen.getByLabelText('To'), { target: { value: '2024-04-02' } });
    expect(screen.getByText('1 call of 3')).toBeTruthy();
    expect(rowTexts()).toEqual(['Tuesday, April 2, 2024', '0322223333 Incoming · 12:00 AM · 5 sec']);
    expect((screen.getByLabelText('To') as HTMLInputElement).min).toBe('2024-04-02');
  });
});

describe('Calls: selection and details', () => {
  test('pick calls, or all shown, and export them', async () => {
    const user = userEvent.setup();
    const calls = xmlCalls();
    const { onexport } = show(calls);
    await screen.findByText('9 calls');
    await user.click(screen.getByRole('checkbox', { name: 'Select the call with 山田 花子 at 7:13 AM' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select the call with Private number at 10:13 AM' }));
    expect(screen.getByText('2 calls selected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export selected' }));
    const yamada = calls.find((c) => c.name === '山田 花子')!;
    const hidden = calls.find((c) => c.presentation === 'restricted')!;
    expect(onexport).toHaveBeenLastCalledWith([yamada.uid, hidden.uid]);

    await user.click(screen.getByRole('button', { name: 'Clear selection' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Outgoing');
    await user.click(screen.getByRole('button', { name: 'Select all shown' }));
    expect(screen.getByText('2 calls selected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export selected' }));
    expect(new Set(onexport.mock.lastCall![0])).toEqual(new Set(calls.filter((c) => c.type === 'outgoing').map((c) => c.uid)));
  });

  test('details: every field; Export this call; Delete after a confirmation, then the list without it', async () => {
    const user = userEvent.setup();
    const calls = xmlCalls();
    const { api, onexport } = show(calls);
    await screen.findByText('9 calls');
    await user.click(screen.getByRole('button', { name: /^0120123456/ }));
    const dialog = await screen.findByRole('dialog', { name: '0120123456' });
    expect(fact(dialog, 'Number')).toBe('0120123456');
    expect(fact(dialog, 'Name')).toBeUndefined();
    expect(fact(dialog, 'Type')).toBe('Outgoing');
    expect(fact(dialog, 'Date and time')).toBe('Wednesday, November 15, 2023 at 3:13:20 PM');
    expect(fact(dialog, 'Duration')).toBe('48 sec');
    expect(fact(dialog, 'SIM')).toBe('2');
    expect(fact(dialog, 'Caller ID')).toBe('Shown');
    expect(fact(dialog, 'Digits dialled after connecting')).toBe(',123#');
    expect(await within(dialog).findByText('No earlier versions.')).toBeTruthy();

    const call = calls.find((c) => c.number === '0120123456')!;
    await user.click(within(dialog).getByRole('button', { name: 'Export this call' }));
    expect(onexport).toHaveBeenCalledWith([call.uid]);

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete this call?' });
    expect(text(confirm)).toContain('The call with 0120123456 on Wednesday, November 15, 2023 at 3:13:20 PM will be removed');
    await user.click(within(confirm).getByRole('button', { name: 'Delete call' }));
    expect(api.deleteRecords).toHaveBeenCalledWith('calls', [call.uid]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('8 calls')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^0120123456/ })).toBeNull();
  });

  test('details in Japanese, for a withheld number', async () => {
    const user = userEvent.setup();
    show(xmlCalls(), 'ja');
    await screen.findByText('9件');
    await user.click(screen.getByRole('button', { name: /^非通知/ }));
    const dialog = await screen.findByRole('dialog', { name: '非通知' });
    expect(fact(dialog, '電話番号')).toBe('非通知');
    expect(fact(dialog, '発信者番号')).toBe('非通知（発信者が設定）');
    expect(fact(dialog, '通話時間')).toBe('30 秒');
    expect(fact(dialog, '日時')).toBe('2023年11月15日水曜日 10:13:20');
    await user.click(within(dialog).getByRole('button', { name: '削除' }));
    expect(screen.getByRole('dialog', { name: 'この通話を削除しますか？' })).toBeTruthy();
  });
});
