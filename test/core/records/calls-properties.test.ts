import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCallLog, toCallLogCsv, CALL_TYPES, PRESENTATIONS, type Call } from '../../../src/core/records/calls.ts';
import { makeCall } from '../../../src/core/records/calls-model.ts';

const nameChars = fc.constantFrom('山', '田', '花', '子', 'ｱ', 'a', 'Z', ' ', ',', ';', '\t', '"', "'", '\n', '\r\n', '😀', '=', '(', ')');
const name = fc
  .array(nameChars, { minLength: 1, maxLength: 12 })
  .map((cs) => cs.join(''))
  .filter((s) => s.trim() === s && s !== '');

const call: fc.Arbitrary<Call> = fc
  .record({
    number: fc.stringMatching(/^\+?[0-9][0-9 ()-]{1,14}[0-9]$/),
    name: fc.option(name, { nil: undefined }),
    type: fc.constantFrom(...CALL_TYPES),
    start: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    durationSeconds: fc.integer({ min: 0, max: 200_000 }),
    subscriptionId: fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: undefined }),
    presentation: fc.option(fc.constantFrom(...PRESENTATIONS), { nil: undefined }),
    countryIso: fc.option(fc.constantFrom('jp', 'us', 'DE'), { nil: undefined }),
    postDialDigits: fc.option(fc.stringMatching(/^[,;0-9*#]{1,6}$/), { nil: undefined }),
  })
  .map((f) => makeCall(f));

/** SMS Backup & Restore's layout, as the tests need it. */
function toSbrXml(calls: readonly Call[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
  const code = { incoming: 1, outgoing: 2, missed: 3, voicemail: 4, rejected: 5, blocked: 6 };
  const lines = calls.map(
    (c) =>
      `  <call number="${esc(c.number)}" duration="${c.durationSeconds}" date="${c.start}" type="${code[c.type]}" presentation="1" subscription_id="${c.subscriptionId ?? '-1'}" post_dial_digits="${esc(c.postDialDigits ?? '')}" readable_date="x" contact_name="${esc(c.name ?? '(Unknown)')}" />\n`,
  );
  return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count="${calls.length}" type="full">\n${lines.join('')}</calls>\n`;
}

describe('call log properties', () => {
  test('random calls survive toCallLogCsv → parseCallLog', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 15 }), fc.constantFrom('UTC', 'Asia/Tokyo', 'America/New_York'), (calls, timeZone) => {
        const csv = toCallLogCsv(calls);
        const back = parseCallLog(csv, { timeZone });
        expect(back.errors).toEqual([]);
        expect(back.records).toEqual(calls);
        expect(parseCallLog(new TextEncoder().encode(csv)).records).toEqual(calls);
      }),
      { numRuns: 300 },
    );
  });

  test('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('', 'Date,Number,Type\n', '<calls>\n<call '), (bytes, prefix) => {
        const input = prefix ? new Uint8Array([...new TextEncoder().encode(prefix), ...bytes]) : bytes;
        const r = parseCallLog(input);
        expect(Array.isArray(r.records)).toBe(true);
        expect(Array.isArray(r.errors)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('random text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom('<', '>', '/', '"', "'", '=', 'call', 's', ' ', '\n', ',', ';', '1', '&', '#', 'date', 'number', 'Number', 'Date', '日時', '着信') }), (text) => {
        parseCallLog(text);
      }),
      { numRuns: 500 },
    );
  });

  test('a truncated CSV keeps every row before the cut', () => {
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (calls, at) => {
        const csv = toCallLogCsv(calls);
        const cut = Math.floor(csv.length * at);
        // The writer concatenates rows, so row i ends where the CSV of the first i + 1 calls ends.
        let whole = 0;
        for (let i = 1; i <= calls.length; i++) if (toCallLogCsv(calls.slice(0, i)).length <= cut) whole = i;
        const r = parseCallLog(csv.slice(0, cut));
        expect(r.records.slice(0, whole)).toEqual(calls.slice(0, whole));
        expect(r.records.length).toBeLessThanOrEqual(whole + 1);
      }),
      { numRuns: 300 },
    );
  });

  test('a truncated SMS Backup & Restore file keeps every complete <call/>', () => {
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (calls, at) => {
        const xml = toSbrXml(calls);
        const full = parseCallLog(xml);
        expect(full.errors).toEqual([]);
        expect(full.records).toHaveLength(calls.length);
        const cut = Math.floor(xml.length * at);
        const truncated = xml.slice(0, cut);
        const whole = (truncated.match(/\/>\n/g) ?? []).length;
        const r = parseCallLog(truncated);
        expect(r.records).toEqual(full.records.slice(0, Math.min(whole, calls.length)));
        if (cut < xml.length - 1) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
