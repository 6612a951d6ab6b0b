/**
 * Contacts for the contacts view's tests: a builder with every list empty, a mixed address book
 * (kana, katakana, half-width, kanji with and without a reading, Latin, digits), and rendering the
 * view over a FakeApi holding them.
 */
import { cleanup, screen } from '@testing-library/svelte';
import { afterEach, vi } from 'vitest';
import type { Language } from '../../../../src/client/app-api.ts';
import type { Contact } from '../../../../src/core/records/index.ts';
import { recordKey } from '../../../../src/core/records/kinds.ts';
import Contacts from '../../../../src/app/screens/records/contacts/Contacts.svelte';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen, type Rendered } from '../../render.ts';

afterEach(() => cleanup());

// jsdom knows <dialog> but not its methods: enough of them for the confirmation.
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

export function contact(uid: string, formattedName: string, overrides: Partial<Contact> = {}): Contact {
  return { uid, formattedName, phones: [], emails: [], addresses: [], urls: [], categories: [], ...overrides };
}

export const key = (c: Contact) => recordKey('contacts', c);

/** A little address book in no particular order. */
export const BOOK = {
  sato: contact('sato', 'ｻﾄｳ ﾊﾅｺ', { phones: [{ value: '+81 90-1234-5678', types: ['cell'] }] }),
  yamada: contact('yamada', '山田 太郎', { name: { family: '山田', given: '太郎', additional: '', prefix: '', suffix: '' }, reading: { family: 'やまだ', given: 'たろう' }, emails: [{ value: 'Taro@Example.JP', types: ['home'] }] }),
  gakko: contact('gakko', 'がっこう'),
  kato: contact('kato', 'カトウ'),
  abe: contact('abe', '安倍', { reading: { family: 'アベ' } }),
  suzuki: contact('suzuki', '鈴木 一郎'),
  emile: contact('emile', 'Émile Zola', { emails: [{ value: 'emile@example.fr', types: [] }] }),
  anna: contact('anna', 'anna Smith', { phones: [{ value: '０３−５５５５−１２３４', types: ['work'] }] }),
  room: contact('room', '101号室'),
};
export const ALL = Object.values(BOOK);

/** What the list shows, in order: headings and contact names. */
export function listed(): string[] {
  const list = screen.getByRole('list', { name: /Contacts by reading|よみがな順の連絡先/ });
  return [...list.querySelectorAll('h3, .name')].map((el) => (el.tagName === 'H3' ? `[${el.textContent}]` : (el.firstChild?.textContent ?? '')));
}

/** Object URLs and window scrolling as jsdom lacks them: every one made and revoked is recorded. */
export function stubBrowser() {
  let n = 0;
  const create = vi.fn((_blob: Blob) => `blob:kura/${++n}`);
  const revoke = vi.fn((_url: string) => {});
  URL.createObjectURL = create;
  URL.revokeObjectURL = revoke;
  window.scrollTo = vi.fn() as typeof window.scrollTo;
  return { create, revoke };
}

export function renderContacts(
  options: { records?: readonly Contact[]; api?: FakeApi; language?: Language; props?: Partial<{ refresh: number; selected: string[]; onexport: (keys: string[]) => void }> } = {},
): Rendered & { onexport: ReturnType<typeof vi.fn> } {
  const api = options.api ?? new FakeApi();
  if (options.records) api.recordsFake.seed('contacts', options.records);
  const onexport = vi.fn();
  const rendered = renderScreen(Contacts, { api, language: options.language ?? 'en', props: { onexport, ...options.props } });
  return { ...rendered, onexport };
}
