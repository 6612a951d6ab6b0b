/**
 * Recently deleted: what was deleted (on any device) is listed when opened, newest first, and
 * Restore makes its last state current again; in English and Japanese.
 */
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { parseContacts } from '../../../../src/core/records/index.ts';
import { FakeApi } from '../../fake-api.ts';
import { fixture, renderHub } from './fixtures.ts';

async function seeded(): Promise<FakeApi> {
  const api = new FakeApi();
  const contacts = parseContacts(new Uint8Array(await fixture('contacts/iphone-share-several.vcf').arrayBuffer())).records;
  api.recordsFake.seed('contacts', contacts);
  await api.recordsFake.deleteRecords('contacts', [contacts[1]!.uid]);
  await api.recordsFake.deleteRecords('contacts', [contacts[3]!.uid]);
  api.deletedRecords.mockClear();
  return api;
}

describe('recently deleted records', () => {
  test('read when opened, newest deletion first; Restore brings one back and the list follows', async () => {
    const user = userEvent.setup();
    const api = await seeded();
    renderHub({ api });
    expect(api.deletedRecords).not.toHaveBeenCalled();
    await user.click(screen.getByText('Recently deleted'));
    const list = await screen.findByRole('list', { name: 'Recently deleted' });
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('.what')?.textContent)).toEqual(['高橋 · 06-3333-4444', '鈴木 美咲 · 03-1111-2222']);
    expect(api.deletedRecords).toHaveBeenCalledWith('contacts');

    await user.click(within(list).getByRole('button', { name: 'Restore 高橋 · 06-3333-4444' }));
    expect(api.restoreRecordVersion).toHaveBeenCalledWith('contacts', expect.stringMatching(/^vcard-/), expect.any(Number));
    await screen.findByText('Restored 高橋 · 06-3333-4444.');
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Recently deleted' })).getAllByRole('listitem')).toHaveLength(1));
    expect(api.recordsFake.current('contacts').map((c) => c.formattedName)).toContain('高橋');
  });

  test('a restore reads the list again once, through the hub', async () => {
    const user = userEvent.setup();
    const api = await seeded();
    renderHub({ api });
    await user.click(screen.getByText('Recently deleted'));
    const list = await screen.findByRole('list', { name: 'Recently deleted' });
    expect(api.deletedRecords).toHaveBeenCalledTimes(1);
    await user.click(within(list).getByRole('button', { name: 'Restore 高橋 · 06-3333-4444' }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Recently deleted' })).getAllByRole('listitem')).toHaveLength(1));
    expect(api.deletedRecords).toHaveBeenCalledTimes(2);
  });

  test('nothing deleted, and a failure, said so; in Japanese', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    renderHub({ api, language: 'ja' });
    await user.click(screen.getByText('最近削除した項目'));
    await screen.findByText('削除した記録はありません。');
    api.failNext('deletedRecords', 'network-unavailable');
    await user.click(screen.getByText('最近削除した項目'));
    await user.click(screen.getByText('最近削除した項目'));
    expect((await screen.findByRole('alert')).textContent).toBeTruthy();
  });
});
