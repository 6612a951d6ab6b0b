import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test } from 'vitest';
import { FakeApi } from '../../fake-api.ts';
import { ALL, BOOK, contact, key, listed, renderContacts, stubBrowser } from './fixtures.ts';

beforeEach(() => void stubBrowser());

describe('Contacts (English)', () => {
  test('lists contacts by reading: kana rows, then A–Z, then #, with headings', async () => {
    renderContacts({ records: ALL });
    await screen.findByText('山田 太郎');
    expect(listed()).toEqual(['[あ]', '安倍', '[か]', 'がっこう', 'カトウ', '[さ]', 'ｻﾄｳ ﾊﾅｺ', '[や]', '山田 太郎', '[A]', 'anna Smith', '[E]', 'Émile Zola', '[# Other]', '101号室', '鈴木 一郎']);
    expect(screen.getByRole('heading', { level: 2, name: 'Contacts' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'さ' })).toBeTruthy();
    expect(screen.getByText('9 contacts')).toBeTruthy();
    // The reading shows small when it differs; the first phone or email under the name.
    const yamada = screen.getByRole('button', { name: /山田 太郎/ });
    expect(yamada.textContent).toContain('やまだ たろう');
    expect(yamada.textContent).toContain('Taro@Example.JP');
    expect(screen.getByRole('button', { name: /ｻﾄｳ ﾊﾅｺ/ }).textContent).toContain('+81 90-1234-5678');
  });

  test('the index lists the rows present; choosing one moves focus to its first contact', async () => {
    const user = userEvent.setup();
    renderContacts({ records: ALL });
    const index = await screen.findByRole('navigation', { name: 'Index' });
    const buttons = within(index).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['あ', 'か', 'さ', 'や', 'A', 'E', '#']);
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toContain('Jump to さ');
    expect(buttons.at(-1)?.getAttribute('aria-label')).toBe('Jump to # (other names)');

    await user.click(within(index).getByRole('button', { name: 'Jump to や' }));
    await waitFor(() => expect(document.activeElement?.textContent).toContain('山田 太郎'));

    // Keyboard: one Tab stop, arrows move along the index, Enter jumps.
    const jumpE = within(index).getByRole('button', { name: 'Jump to E' });
    within(index).getByRole('button', { name: 'Jump to A' }).focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(jumpE);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(document.activeElement?.textContent).toContain('Émile Zola'));
    // Down arrow in the list goes on to the next contact, past the # heading.
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement?.textContent).toContain('101号室'));
    expect(buttons.filter((b) => b.tabIndex === 0)).toHaveLength(1);
  });

  test.each([
    ['a name', '山田', ['山田 太郎']],
    ['a reading in katakana', 'ヤマダ', ['山田 太郎']],
    ['a reading in hiragana for a half-width name', 'さとう', ['ｻﾄｳ ﾊﾅｺ']],
    ['a phone number with dashes', '090-1234', ['ｻﾄｳ ﾊﾅｺ']],
    ['full-width digits', '０３５５５５', ['anna Smith']],
    ['an email', 'EXAMPLE.FR', ['Émile Zola']],
  ])('searches by %s', async (_what, query, names) => {
    const user = userEvent.setup();
    renderContacts({ records: ALL });
    await screen.findByText('山田 太郎');
    await user.type(screen.getByRole('searchbox', { name: 'Search contacts' }), query);
    await waitFor(() => expect(listed().filter((n) => !n.startsWith('['))).toEqual(names));
    expect(screen.getByText(names.length === 1 ? '1 contact found' : `${names.length} contacts found`)).toBeTruthy();
  });

  test('says when nothing matches the search', async () => {
    const user = userEvent.setup();
    renderContacts({ records: ALL });
    await screen.findByText('山田 太郎');
    await user.type(screen.getByRole('searchbox', { name: 'Search contacts' }), 'nobody');
    expect(await screen.findByText('No contacts match “nobody”.')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Contacts by reading' })).toBeNull();
  });

  test('selects contacts, all of a search’s results, clears, and exports the selection', async () => {
    const user = userEvent.setup();
    const { onexport } = renderContacts({ records: ALL });
    await screen.findByText('山田 太郎');
    const exportButton = screen.getByRole('button', { name: 'Export selected' });
    expect(exportButton).toHaveProperty('disabled', true);

    await user.click(screen.getByRole('checkbox', { name: 'Select 山田 太郎' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select カトウ' }));
    expect(screen.getByText('2 selected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export 2 selected' }));
    expect(onexport).toHaveBeenCalledWith([key(BOOK.yamada), key(BOOK.kato)]);

    await user.click(screen.getByRole('checkbox', { name: 'Select 山田 太郎' }));
    expect(screen.getByText('1 selected')).toBeTruthy();

    // Select all within a search adds only its results.
    await user.type(screen.getByRole('searchbox', { name: 'Search contacts' }), 'example');
    await user.click(await screen.findByRole('button', { name: 'Select all 2 results' }));
    await user.click(screen.getByRole('button', { name: 'Export 3 selected' }));
    expect(onexport).toHaveBeenLastCalledWith([key(BOOK.kato), key(BOOK.yamada), key(BOOK.emile)]);

    await user.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.getByText('None selected')).toBeTruthy();
    await user.clear(screen.getByRole('searchbox', { name: 'Search contacts' }));
    await user.click(screen.getByRole('button', { name: 'Select all 9' }));
    expect(screen.getByText('9 selected')).toBeTruthy();
  });

  test('shows the selection it is given, and reloads when refresh changes (an import)', async () => {
    const api = new FakeApi();
    api.recordsFake.seed('contacts', [BOOK.yamada]);
    const { result } = renderContacts({ api, props: { selected: [key(BOOK.yamada)], refresh: 0 } });
    const box = await screen.findByRole('checkbox', { name: 'Select 山田 太郎' });
    expect(box).toHaveProperty('checked', true);
    api.recordsFake.seed('contacts', [BOOK.emile]);
    await result.rerender({ refresh: 1 });
    expect(await screen.findByText('Émile Zola')).toBeTruthy();
    expect(api.records).toHaveBeenCalledTimes(2);
    expect(api.records).toHaveBeenCalledWith('contacts');
  });

  test('keeps thousands of contacts out of the DOM but the ones in view', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => contact(`c${i}`, `Person ${String(i).padStart(4, '0')}`));
    renderContacts({ records: many });
    expect(await screen.findByText('3,000 contacts')).toBeTruthy();
    const rendered = screen.getAllByRole('checkbox');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(100);
  });

  test('loading, then an empty account explains what to do', async () => {
    const api = new FakeApi();
    const held = api.hold('records');
    renderContacts({ api });
    expect(screen.getByText('Loading contacts…')).toBeTruthy();
    held.resolve({ records: [], offline: false });
    expect(await screen.findByText('No contacts yet. Import a contacts file (vCard) from your phone or address book.')).toBeTruthy();
  });

  test('offline: a quiet note, and the contacts kept here', async () => {
    const api = new FakeApi();
    api.recordsFake.offline = true;
    renderContacts({ api, records: [BOOK.yamada] });
    expect(await screen.findByText(/You are offline\. These are the contacts kept on this device/)).toBeTruthy();
    expect(screen.getByText('山田 太郎')).toBeTruthy();
  });

  test('an error says what happened, and Try again loads again', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('records', 'network-unavailable');
    renderContacts({ api, records: [BOOK.yamada] });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server cannot be reached. Check your connection.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('山田 太郎')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('Contacts (Japanese)', () => {
  test('kana rows, index, search and selection read in Japanese', async () => {
    const user = userEvent.setup();
    const { onexport } = renderContacts({ records: ALL, language: 'ja' });
    await screen.findByText('山田 太郎');
    expect(screen.getByRole('heading', { level: 2, name: '連絡先' })).toBeTruthy();
    expect(screen.getByText('連絡先 9件')).toBeTruthy();
    expect(listed()).toContain('[# その他]');
    const index = screen.getByRole('navigation', { name: '索引' });
    await user.click(within(index).getByRole('button', { name: 'かへ移動' }));
    await waitFor(() => expect(document.activeElement?.textContent).toContain('がっこう'));
    expect(within(index).getByRole('button', { name: '#（その他）へ移動' })).toBeTruthy();

    await user.type(screen.getByRole('searchbox', { name: '連絡先を検索' }), 'ｶﾄｳ');
    expect(await screen.findByText('1件見つかりました')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '検索結果1件をすべて選択' }));
    expect(screen.getByText('1件選択中')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '選択した1件を書き出す' }));
    expect(onexport).toHaveBeenCalledWith([key(BOOK.kato)]);

    await user.clear(screen.getByRole('searchbox', { name: '連絡先を検索' }));
    await user.type(screen.getByRole('searchbox', { name: '連絡先を検索' }), 'だれでもない');
    expect(await screen.findByText('「だれでもない」に一致する連絡先はありません。')).toBeTruthy();
  });

  test('the empty state in Japanese', async () => {
    const api = new FakeApi();
    renderContacts({ api, language: 'ja' });
    expect(await screen.findByText('連絡先はまだありません。スマートフォンやアドレス帳から書き出した連絡先ファイル（vCard）を取り込んでください。')).toBeTruthy();
  });

  test('offline and error in Japanese', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.recordsFake.offline = true;
    api.failNext('records', 'internal');
    renderContacts({ api, records: [BOOK.yamada], language: 'ja' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('サーバーで問題が発生しました');
    await user.click(within(alert).getByRole('button', { name: '再試行' }));
    expect(await screen.findByText(/オフラインです。この端末に保存されている連絡先を表示しています/)).toBeTruthy();
    expect(screen.getByText('山田 太郎')).toBeTruthy();
  });
});
