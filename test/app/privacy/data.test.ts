import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { formatDate } from '../../../src/app/i18n/format.ts';
import { FakePrivacy, NOW } from '../fake-privacy.ts';
import { renderPrivacy } from './render-privacy.ts';

afterEach(cleanup);

const card = (name: string) => within(screen.getByRole('region', { name }));

describe('disclosure', () => {
  test('says what the archive holds and downloads it', async () => {
    const { privacy } = renderPrivacy('data');
    const disclosure = card('Download everything we hold about you');
    expect(disclosure.getByText('your consent history')).toBeTruthy();
    expect(disclosure.getByText('your access log')).toBeTruthy();
    await userEvent.click(disclosure.getByRole('button', { name: 'Download my data' }));
    expect(privacy.downloadDisclosure).toHaveBeenCalledTimes(1);
    expect(await disclosure.findByText('Your download has started. Check your browser’s downloads.')).toBeTruthy();
  });

  test('a failed download says why', async () => {
    const privacy = new FakePrivacy();
    privacy.failNext('downloadDisclosure', 'rate-limited');
    renderPrivacy('data', { privacy });
    await userEvent.click(card('Download everything we hold about you').getByRole('button', { name: 'Download my data' }));
    expect(await screen.findByText('Too many attempts. Wait a minute and try again.')).toBeTruthy();
  });
});

describe('correcting the email address', () => {
  test('a new address gets a code, and the code confirms it', async () => {
    const { privacy } = renderPrivacy('data');
    await screen.findByRole('region', { name: 'Correct your details' });
    const email = () => card('Correct your details');
    expect(await email().findByText('Email address: hana@example.jp')).toBeTruthy();
    await userEvent.click(email().getByRole('button', { name: 'Change email address' }));
    const field = email().getByLabelText('New email address');
    await userEvent.type(field, 'not-an-email{Enter}');
    expect(email().getByRole('alert').textContent).toBe('Enter an email address like name@example.com.');
    expect(privacy.changeEmail).not.toHaveBeenCalled();
    await userEvent.clear(field);
    await userEvent.type(field, '  hana@new.example.jp ');
    await userEvent.click(email().getByRole('button', { name: 'Send code' }));
    expect(privacy.changeEmail).toHaveBeenCalledWith('hana@new.example.jp');
    expect(await email().findByText('We sent a code to hana@new.example.jp. Enter it here to confirm the new address.')).toBeTruthy();
    await waitFor(() => expect(email().getByRole('status').textContent).toBe('A code has been sent to hana@new.example.jp.'));

    const code = email().getByLabelText('Confirmation code');
    await userEvent.type(code, '999999');
    await userEvent.click(email().getByRole('button', { name: 'Confirm' }));
    expect(privacy.confirmEmail).toHaveBeenLastCalledWith('999999');
    expect((await email().findByText(/That code is not right or has expired/)).getAttribute('role')).toBe('alert');

    await userEvent.clear(code);
    await userEvent.type(code, '123 456');
    await userEvent.click(email().getByRole('button', { name: 'Confirm' }));
    expect(privacy.confirmEmail).toHaveBeenLastCalledWith('123456');
    expect(await email().findByText('Email address: hana@new.example.jp')).toBeTruthy();
    await waitFor(() => expect(email().getByRole('status').textContent).toBe('Your email address is now hana@new.example.jp.'));
  });

  test('device names are corrected on the Devices screen', async () => {
    renderPrivacy('data');
    expect((await screen.findByRole('link', { name: 'Rename them in Devices' })).getAttribute('href')).toBe('#/devices');
  });

  test('in Japanese', async () => {
    const { privacy } = renderPrivacy('data', { language: 'ja' });
    await screen.findByRole('region', { name: '登録情報の訂正' });
    const email = () => card('登録情報の訂正');
    await userEvent.click(await email().findByRole('button', { name: 'メールアドレスを変更' }));
    await userEvent.type(email().getByLabelText('新しいメールアドレス'), 'hana@new.example.jp');
    await userEvent.click(email().getByRole('button', { name: 'コードを送信' }));
    expect(privacy.changeEmail).toHaveBeenCalledWith('hana@new.example.jp');
    await userEvent.type(await email().findByLabelText('確認コード'), '123456');
    await userEvent.click(email().getByRole('button', { name: '確定' }));
    expect(await email().findByText('メールアドレス: hana@new.example.jp')).toBeTruthy();
  });
});

describe('suspension', () => {
  test('Suspend asks in a dialog, then the banner and Resume show', async () => {
    const { privacy } = renderPrivacy('data');
    await screen.findByRole('region', { name: 'Suspend your account' });
    const suspension = () => card('Suspend your account');
    expect(await suspension().findByText('Your other devices are signed out.')).toBeTruthy();
    await userEvent.click(suspension().getByRole('button', { name: 'Suspend account…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Suspend your account?' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(privacy.suspendAccount).not.toHaveBeenCalled();

    await userEvent.click(suspension().getByRole('button', { name: 'Suspend account…' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Suspend' }));
    expect(privacy.suspendAccount).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('Your account is suspended: sync is stopped and your data is kept as it is.')).toBeTruthy();
    await waitFor(() => expect(suspension().getByRole('status').textContent).toBe('Your account is suspended.'));

    await userEvent.click(suspension().getByRole('button', { name: 'Resume account' }));
    expect(privacy.resumeAccount).toHaveBeenCalledTimes(1);
    expect(await suspension().findByRole('button', { name: 'Suspend account…' })).toBeTruthy();
    await waitFor(() => expect(suspension().getByRole('status').textContent).toBe('Your account is active again.'));
    expect(screen.queryByText('Your account is suspended: sync is stopped and your data is kept as it is.')).toBeNull();
  });

  test('a failed suspension keeps the dialog open and says why', async () => {
    const privacy = new FakePrivacy();
    privacy.failNext('suspendAccount', 'internal');
    renderPrivacy('data', { privacy });
    await screen.findByRole('region', { name: 'Suspend your account' });
    await userEvent.click(await card('Suspend your account').findByRole('button', { name: 'Suspend account…' }));
    const dialog = within(screen.getByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Suspend' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('The server had a problem. Try again later.');
  });

  test('a suspended account shows the banner on every section, in Japanese too', async () => {
    const privacy = new FakePrivacy();
    privacy.account = { ...privacy.account, status: 'suspended' };
    renderPrivacy('policy', { privacy, language: 'ja' });
    expect(await screen.findByText('アカウントは利用停止中です。同期は止まっており、データはそのまま保管されています。')).toBeTruthy();
    expect(screen.getByRole('link', { name: '「あなたのデータ」で再開する' }).getAttribute('href')).toBe('#/privacy/data');
  });

  test('in Japanese, suspend and resume', async () => {
    const { privacy } = renderPrivacy('data', { language: 'ja' });
    await userEvent.click(await screen.findByRole('button', { name: '利用を停止…' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'アカウントの利用を停止しますか？' })).getByRole('button', { name: '利用を停止' }));
    await userEvent.click(await screen.findByRole('button', { name: '利用を再開' }));
    expect(privacy.resumeAccount).toHaveBeenCalledTimes(1);
  });
});

describe('deletion', () => {
  test('explains the retention period', async () => {
    renderPrivacy('data');
    await screen.findByRole('region', { name: 'Delete your account' });
    const deletion = card('Delete your account');
    expect(await deletion.findByText('purges your data from the server after 30 days;')).toBeTruthy();
    expect(deletion.getByText('can be undone until then by signing in with your recovery key.')).toBeTruthy();
  });

  test('needs the passphrase, then shows the receipt id and the purge date', async () => {
    const { privacy } = renderPrivacy('data');
    await screen.findByRole('region', { name: 'Delete your account' });
    await userEvent.click(await card('Delete your account').findByRole('button', { name: 'Delete account…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Delete your account?' }));
    expect(dialog.getByText(/data is purged after 30 days/)).toBeTruthy();
    await userEvent.click(dialog.getByRole('button', { name: 'Delete my account' }));
    expect(dialog.getByRole('alert').textContent).toBe('Enter your passphrase to confirm.');
    expect(privacy.deleteAccount).not.toHaveBeenCalled();

    await userEvent.type(dialog.getByLabelText('Your passphrase'), 'wrong');
    await userEvent.click(dialog.getByRole('button', { name: 'Delete my account' }));
    expect(privacy.deleteAccount).toHaveBeenLastCalledWith('wrong');
    await waitFor(() => expect(dialog.getByRole('alert').textContent).toBe('That passphrase is not right.'));

    const field = dialog.getByLabelText('Your passphrase');
    await userEvent.clear(field);
    await userEvent.type(field, 'correct horse battery staple{Enter}');
    expect(privacy.deleteAccount).toHaveBeenLastCalledWith('correct horse battery staple');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const due = formatDate(NOW + 30 * 86_400_000, 'en');
    const deletion = card('Delete your account');
    expect(deletion.getByText(`Your account is deleted. Its data will be purged on ${due}.`)).toBeTruthy();
    expect(deletion.getByText('del_7Q2M-9XKD')).toBeTruthy();
    expect(deletion.getByText(/Keep this receipt id/)).toBeTruthy();
    expect(await screen.findByText(`Your account is scheduled for deletion. Its data will be purged on ${due}.`)).toBeTruthy();
  });

  test('in Japanese', async () => {
    const { privacy } = renderPrivacy('data', { language: 'ja' });
    expect(await screen.findByText('30日後に、データをサーバーから完全に消去します。')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'アカウントを削除…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'アカウントを削除しますか？' }));
    await userEvent.type(dialog.getByLabelText('パスフレーズ'), privacy.passphrase);
    await userEvent.click(dialog.getByRole('button', { name: 'アカウントを削除する' }));
    expect(await screen.findByText('del_7Q2M-9XKD')).toBeTruthy();
    expect(screen.getByText(`アカウントを削除しました。データは ${formatDate(NOW + 30 * 86_400_000, 'ja')} に消去されます。`)).toBeTruthy();
  });
});
