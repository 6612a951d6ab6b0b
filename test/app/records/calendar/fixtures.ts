/**
 * What the calendar tests share: the fixture files parsed by the real parser, a fixed "now" in
 * April 2024 (Tokyo), and a minimal `<dialog>` (jsdom has the element but not showModal/close).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCalendar, type CalendarEvent } from '../../../../src/core/records/index.ts';

const dialogProto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal: () => void; close: () => void };
if (typeof dialogProto.showModal !== 'function') {
  dialogProto.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  dialogProto.close = function (this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

export function calendarFixture(name: string): CalendarEvent[] {
  const { records, errors } = parseCalendar(readFileSync(join(__dirname, '../../../fixtures/records/calendar', name)));
  if (errors.length) throw new Error(`${name}: ${errors.map((e) => e.message).join(', ')}`);
  return records;
}

/** Wednesday 10 April 2024, 12:00 in Tokyo. */
export const NOW = Date.parse('2024-04-10T03:00:00Z');
export const TOKYO = 'Asia/Tokyo';
export const SERIES_UID = '7kukuqrfedlm2f9t6vmpbsl2bc@google.com';
