/** One line per record (contacts, events, calls) and the names of the fields an import changes. */
import { readFileSync } from 'node:fs';
import { get } from 'svelte/store';
import { _ } from 'svelte-i18n';
import { describe, expect, test } from 'vitest';
import { startI18n } from '../../../src/app/i18n/index.ts';
import { changedFields, describeCall, describeContact, describeEvent, describeRecord, fieldLabel, formatCalendarTime, type Translate } from '../../../src/app/screens/records/import/describe.ts';
import { parseCalendar, parseContacts, type Call, type Contact } from '../../../src/core/records/index.ts';

function t(language: 'en' | 'ja'): Translate {
  startI18n(language);
  return get(_) as Translate;
}

const contact = (overrides: Partial<Contact> = {}): Contact => ({ uid: 'c1', formattedName: '山田 花子', phones: [], emails: [], addresses: [], urls: [], categories: [], ...overrides });
const call: Call = { uid: 'call-1', number: '+819012345678', normalized: '+819012345678', name: '山田 花子', type: 'missed', start: Date.UTC(2026, 10, 25, 3, 30), durationSeconds: 0 };

describe('describeContact', () => {
  test('the name and the first phone, else the first email, else the name alone', () => {
    const en = t('en');
    expect(describeContact(contact({ phones: [{ value: '090-1234-5678', types: ['cell'] }], emails: [{ value: 'h@example.jp', types: [] }] }), { t: en })).toBe('山田 花子 · 090-1234-5678');
    expect(describeContact(contact({ emails: [{ value: 'h@example.jp', types: [] }] }), { t: en })).toBe('山田 花子 · h@example.jp');
    expect(describeContact(contact(), { t: en })).toBe('山田 花子');
  });

  test('no name: the company, else a word for it in the language', () => {
    expect(describeContact(contact({ formattedName: '', organization: 'Kura Inc.' }), { t: t('en') })).toBe('Kura Inc.');
    expect(describeContact(contact({ formattedName: ' ' }), { t: t('en') })).toBe('(no name)');
    expect(describeContact(contact({ formattedName: '' }), { t: t('ja') })).toBe('（名前なし）');
  });

  test('a fixture contact', () => {
    const [alice] = parseContacts(new Uint8Array(readFileSync('test/fixtures/records/contacts/google.vcf'))).records;
    expect(describeRecord('contacts', alice!, { language: 'en', t: t('en') })).toBe('Alice Example · +44 7700 900123');
  });
});

describe('describeEvent', () => {
  const [weekly] = parseCalendar(new Uint8Array(readFileSync('test/fixtures/records/calendar/google-weekly-exdate.ics'))).records;

  test('the summary and the start, in the user’s zone, in each language', () => {
    expect(describeEvent(weekly!, { language: 'en', t: t('en'), timeZone: 'Asia/Tokyo' })).toBe('週次ミーティング · Apr 1, 2024, 10:00 AM');
    expect(describeEvent(weekly!, { language: 'ja', t: t('ja'), timeZone: 'Asia/Tokyo' })).toBe('週次ミーティング · 2024/04/01 10:00');
    expect(describeEvent(weekly!, { language: 'en', t: t('en'), timeZone: 'UTC' })).toBe('週次ミーティング · Apr 1, 2024, 1:00 AM');
  });

  test('all-day dates, UTC and floating times', () => {
    expect(formatCalendarTime({ date: '2026-11-29' }, 'en', 'America/Los_Angeles')).toBe('Nov 29, 2026');
    expect(formatCalendarTime({ dateTime: '2026-11-29T00:30:00', timeZone: 'UTC' }, 'en', 'Asia/Tokyo')).toBe('Nov 29, 2026, 9:30 AM');
    expect(formatCalendarTime({ dateTime: '2026-11-29T09:00:00' }, 'en', 'America/Los_Angeles')).toBe('Nov 29, 2026, 9:00 AM');
    expect(formatCalendarTime({ dateTime: '2026-11-29T09:00:00', tzid: 'Custom' }, 'ja', 'UTC')).toBe('2026/11/29 9:00');
  });

  test('no summary', () => {
    expect(describeEvent({ uid: 'e', start: { date: '2026-01-01' } }, { language: 'ja', t: t('ja'), timeZone: 'UTC' })).toBe('（タイトルなし） · 2026/01/01');
  });
});

describe('describeCall', () => {
  test('type, who and when', () => {
    expect(describeCall(call, { language: 'en', t: t('en'), timeZone: 'Asia/Tokyo' })).toBe('Missed · 山田 花子 (+819012345678) · Nov 25, 2026, 12:30 PM');
    expect(describeCall(call, { language: 'ja', t: t('ja'), timeZone: 'Asia/Tokyo' })).toBe('不在着信 · 山田 花子 (+819012345678) · 2026/11/25 12:30');
  });

  test('a hidden number', () => {
    const hidden: Call = { ...call, name: undefined as never, number: '', presentation: 'restricted' };
    delete (hidden as { name?: string }).name;
    expect(describeCall(hidden, { language: 'en', t: t('en'), timeZone: 'UTC' })).toBe('Missed · Unknown number · Nov 25, 2026, 3:30 AM');
  });
});

describe('changedFields', () => {
  test('fields that differ, added or removed, in a fixed order; the key and derived fields never', () => {
    const before = contact({ note: 'old', phones: [{ value: '1', types: [] }] });
    const after = contact({ uid: 'c2', phones: [{ value: '2', types: [] }], nickname: 'Hana' });
    expect(changedFields(before, after)).toEqual(['nickname', 'phones', 'note']);
    expect(changedFields(call, { ...call, number: '+81 90', normalized: '+8190', durationSeconds: 3 })).toEqual(['number', 'durationSeconds']);
    expect(changedFields(call, { ...call })).toEqual([]);
  });

  test('names the common fields in each language, others as spelled', () => {
    expect(['phones', 'emails', 'summary', 'start', 'durationSeconds', 'x-custom'].map((f) => fieldLabel(f, t('en')))).toEqual([
      'Phone numbers',
      'Email addresses',
      'Title',
      'Start',
      'Call length',
      'x-custom',
    ]);
    expect(['phones', 'summary', 'type'].map((f) => fieldLabel(f, t('ja')))).toEqual(['電話番号', 'タイトル', '通話の種類']);
  });
});
