import { readFileSync } from 'node:fs';
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test } from 'vitest';
import { parseContacts, type Contact } from '../../../../src/core/records/index.ts';
import { FakeApi } from '../../fake-api.ts';
import { BOOK, contact, key, listed, renderContacts, stubBrowser } from './fixtures.ts';

let urls: ReturnType<typeof stubBrowser>;
beforeEach(() => (urls = stubBrowser()));

/** 山田 太郎 as an iPhone exports him: reading, company, labelled phones, address, URL, dates, note, photo. */
function taro(): Contact {
  const parsed = parseContacts(readFileSync('test/fixtures/records/contacts/iphone-labels-photo.vcf'));
  return parsed.records[0]!;
}

async function openTaro(language: 'en' | 'ja' = 'en') {
  const user = userEvent.setup();
  const rendered = renderContacts({ records: [taro(), BOOK.emile], language });
  await user.click(await screen.findByRole('button', { name: /山田 太郎/ }));
  const detail = await screen.findByRole('article', { name: '山田 太郎' });
  return { user, detail, ...rendered };
}

describe('Contact detail (English)', () => {
  test('shows every field, common labels translated and the user’s own as written', async () => {
    const { detail } = await openTaro();
    const d = within(detail);
    expect(d.getByRole('heading', { level: 2, name: '山田 太郎' })).toBe(document.activeElement);
    expect(detail.textContent).toContain('やまだ たろう');
    expect(detail.textContent).toContain('株式会社クラ · 開発部 · エンジニア');
    const name = d.getByRole('heading', { name: 'Name' }).parentElement!;
    expect([...name.querySelectorAll('dt, dd')].map((e) => e.textContent)).toEqual(['Family name', '山田', 'Given name', '太郎']);
    const phones = d.getByRole('heading', { name: 'Phone' }).parentElement!;
    expect([...phones.querySelectorAll('dt')].map((e) => e.textContent)).toEqual(['Mobile', 'Other', '実家']);
    expect(within(phones).getByRole('link', { name: '090-1234-5678' }).getAttribute('href')).toBe('tel:09012345678');
    const emails = d.getByRole('heading', { name: 'Email' }).parentElement!;
    expect(emails.querySelector('dt')?.textContent).toBe('Home');
    expect(within(emails).getByRole('link', { name: 'taro@example.jp' }).getAttribute('href')).toBe('mailto:taro@example.jp');
    const address = d.getByRole('heading', { name: 'Address' }).parentElement!;
    expect(address.querySelector('dd')?.textContent).toBe('〒100-0001\n東京都千代田区千代田1-1');
    expect(d.getByRole('link', { name: 'https://example.jp/taro' }).getAttribute('href')).toBe('https://example.jp/taro');
    expect(d.getByText('Home page')).toBeTruthy();
    expect(d.getByText('March 15')).toBeTruthy(); // birthday without a year
    expect(d.getByText('June 1, 2015')).toBeTruthy();
    expect(d.getByText('Anniversary')).toBeTruthy();
    expect(d.getByText(/メモ\s+二行目, カンマ/)).toBeTruthy();
    expect(d.getByText('友人')).toBeTruthy();
    expect(d.getByText('仕事')).toBeTruthy();
    // The photo: a Blob URL made from the card's own bytes.
    expect(urls.create).toHaveBeenCalled();
    const blob = urls.create.mock.calls[0]![0];
    expect(blob.type).toBe('image/jpeg');
    expect(detail.querySelector('img')?.getAttribute('src')).toMatch(/^blob:kura\//);
  });

  test('Export this contact hands its key to the hub', async () => {
    const { user, detail, onexport } = await openTaro();
    await user.click(within(detail).getByRole('button', { name: 'Export this contact' }));
    expect(onexport).toHaveBeenCalledWith([key(taro())]);
  });

  test('Back returns to the list, focus on the contact, its photo URL revoked', async () => {
    const { user, detail } = await openTaro();
    const made = urls.create.mock.results.map((r) => r.value as string);
    await user.click(within(detail).getByRole('button', { name: 'Back to contacts' }));
    expect(screen.queryByRole('article')).toBeNull();
    await waitFor(() => expect(document.activeElement?.textContent).toContain('山田 太郎'));
    const detailUrl = made.at(-1)!;
    expect(urls.revoke).toHaveBeenCalledWith(detailUrl);
  });

  test('Delete asks first, explains the history stays, then deletes and offers the history to undo it', async () => {
    const { user, api, detail } = await openTaro();
    await user.click(within(detail).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete 山田 太郎?' });
    expect(dialog.textContent).toContain('Its history is kept, so you can bring it back from the history at any time.');

    // Cancel leaves it alone.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.deleteRecords).not.toHaveBeenCalled();

    await user.click(within(detail).getByRole('button', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete contact' }));
    expect(api.deleteRecords).toHaveBeenCalledWith('contacts', [key(taro())]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(listed()).toEqual(['[E]', 'Émile Zola']));
    expect(within(detail).getByText(/This contact has been deleted/)).toBeTruthy();
    expect(within(detail).queryByRole('button', { name: 'Delete' })).toBeNull();
    // The button that opened the confirmation is gone: focus is on the contact's name.
    await waitFor(() => expect(document.activeElement).toBe(within(detail).getByRole('heading', { level: 2 })));

    // Restoring the state before the deletion brings it back.
    const history = within(detail).getByRole('region', { name: 'History' });
    await user.click(await within(history).findByRole('button', { name: 'Restore this version' }));
    expect(api.restoreRecordVersion).toHaveBeenCalledWith('contacts', key(taro()), api.recordsFake.clock - 86_400_000 - 2000);
    await waitFor(() => expect(listed()).toContain('山田 太郎'));
    expect(within(detail).queryByText(/This contact has been deleted/)).toBeNull();
  });

  test('a failed delete says why and keeps the dialog open', async () => {
    const { user, api, detail } = await openTaro();
    api.failNext('deleteRecords', 'network-unavailable');
    await user.click(within(detail).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete contact' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('The server cannot be reached');
    expect(listed()).toContain('山田 太郎');
  });

  test('restoring an earlier version from the history reloads the list with it', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const before = contact('hana', 'Hana Old', { phones: [{ value: '03-0000-0000', types: [] }] });
    const after = contact('hana', 'Hana New');
    api.recordsFake.seed('contacts', [before], api.recordsFake.clock - 2 * 86_400_000);
    api.recordsFake.seed('contacts', [after]);
    renderContacts({ api });
    await user.click(await screen.findByRole('button', { name: /Hana New/ }));
    const history = await screen.findByRole('region', { name: 'History' });
    expect(await within(history).findByText('Hana Old · 03-0000-0000')).toBeTruthy();
    await user.click(within(history).getByRole('button', { name: 'Restore this version' }));
    expect(api.restoreRecordVersion).toHaveBeenCalledWith('contacts', 'hana', api.recordsFake.clock - 1000 - 2 * 86_400_000);
    expect(await screen.findByRole('heading', { level: 2, name: 'Hana Old' })).toBeTruthy();
    await waitFor(() => expect(listed()).toEqual(['[H]', 'Hana Old']));
    expect(api.records).toHaveBeenCalledTimes(2);
  });
});

describe('Contact detail (Japanese)', () => {
  test('fields, labels and dates read in Japanese; delete goes through the confirmation', async () => {
    const { user, api, detail } = await openTaro('ja');
    const d = within(detail);
    const phones = d.getByRole('heading', { name: '電話' }).parentElement!;
    expect([...phones.querySelectorAll('dt')].map((e) => e.textContent)).toEqual(['携帯', 'その他', '実家']);
    const name = d.getByRole('heading', { name: '氏名' }).parentElement!;
    expect([...name.querySelectorAll('dt, dd')].map((e) => e.textContent)).toEqual(['姓', '山田', '名', '太郎']);
    expect(d.getByText('3月15日')).toBeTruthy();
    expect(d.getByText('2015年6月1日')).toBeTruthy();
    expect(d.getByText('誕生日')).toBeTruthy();
    expect(d.getByText('ホームページ')).toBeTruthy();

    await user.click(d.getByRole('button', { name: 'この連絡先を書き出す' }));
    await user.click(d.getByRole('button', { name: '削除' }));
    const dialog = await screen.findByRole('dialog', { name: '山田 太郎を削除しますか？' });
    expect(dialog.textContent).toContain('履歴は残るため、いつでも履歴から元に戻せます。');
    await user.click(within(dialog).getByRole('button', { name: '連絡先を削除' }));
    expect(api.deleteRecords).toHaveBeenCalledWith('contacts', [key(taro())]);
    expect(await d.findByText(/この連絡先は削除されました/)).toBeTruthy();
    await user.click(d.getByRole('button', { name: '連絡先一覧に戻る' }));
    expect(screen.queryByRole('article')).toBeNull();
    // The deleted contact is no longer listed: focus goes to the list's title.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: '連絡先' })));
  });
});
