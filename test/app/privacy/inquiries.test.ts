import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { checkAttachments, checkMessage, MESSAGE_MAX } from '../../../src/app/screens/privacy/inquiry.ts';
import { FakePrivacy, NOW } from '../fake-privacy.ts';
import { renderPrivacy } from './render-privacy.ts';

afterEach(cleanup);

const file = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: 'image/png' });
const form = () => within(screen.getByRole('form', { name: 'New inquiry' }));

describe('checks', () => {
  test('a message is needed and limited, counted in characters', () => {
    expect(checkMessage('   ')).toEqual({ kind: 'message-empty' });
    expect(checkMessage('蔵'.repeat(MESSAGE_MAX))).toBeUndefined();
    expect(checkMessage('a'.repeat(MESSAGE_MAX + 3))).toEqual({ kind: 'message-too-long', over: 3 });
  });

  test('three attachments of 2 MB at most', () => {
    expect(checkAttachments([file('a', 10), file('b', 10), file('c', 2_000_000)])).toEqual([]);
    expect(checkAttachments([file('a', 1), file('b', 1), file('c', 1), file('d', 1)])).toEqual([{ kind: 'too-many-files', count: 4 }]);
    expect(checkAttachments([{ name: 'big.mov', size: 2_000_001 }])).toEqual([{ kind: 'file-too-large', name: 'big.mov' }]);
  });
});

describe('inquiries', () => {
  test('lists earlier inquiries with their status and the replies under each', async () => {
    const privacy = new FakePrivacy();
    privacy.inquiryList = [
      {
        id: 'inq_2',
        category: 'restore',
        message: 'A photo will not restore.',
        createdAt: NOW - 86_400_000,
        status: 'answered',
        attachments: [{ name: 'screen.png', size: 120_000 }],
        replies: [{ at: NOW - 3_600_000, message: 'Try restoring it to a folder.' }],
      },
      { id: 'inq_1', category: 'account', message: 'Is there a fee?', createdAt: NOW - 5 * 86_400_000, status: 'closed', attachments: [], replies: [] },
    ];
    renderPrivacy('inquiries', { privacy });
    const first = await screen.findByRole('article', { name: 'Restore' });
    expect(within(first).getByText('Answered')).toBeTruthy();
    expect(within(first).getByText('A photo will not restore.')).toBeTruthy();
    expect(within(first).getByText('Try restoring it to a folder.')).toBeTruthy();
    expect(within(first).getByText(/screen\.png \(120 kB\)/)).toBeTruthy();
    expect(within(screen.getByRole('article', { name: 'Account' })).getByText('Closed')).toBeTruthy();
    const operator = await screen.findByRole('region', { name: 'Who runs this Kura server' });
    expect(within(operator).getByRole('link', { name: 'privacy@kura.example' })).toBeTruthy();
  });

  test('none yet says so', async () => {
    renderPrivacy('inquiries');
    expect(await screen.findByText('You have not sent any inquiry yet.')).toBeTruthy();
  });

  test('an empty message is not sent and says why', async () => {
    const { privacy } = renderPrivacy('inquiries');
    await userEvent.click(form().getByRole('button', { name: 'Send inquiry' }));
    expect(form().getByText('Write a message.')).toBeTruthy();
    expect(form().getByLabelText('Message').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(form().getByLabelText('Message'));
    expect(privacy.sendInquiry).not.toHaveBeenCalled();
  });

  test('too many or too large attachments are explained and stop sending', async () => {
    const { privacy } = renderPrivacy('inquiries');
    expect(form().getByText(/Up to 3 files, 2 MB each at most\./)).toBeTruthy();
    await userEvent.type(form().getByLabelText('Message'), 'Hello');
    const input = form().getByLabelText('Attachments (optional)');
    await userEvent.upload(input, [file('a.png', 10), file('b.png', 10), file('c.png', 10), file('huge.png', 2_500_000)]);
    expect(form().getByText('Attach 3 files at most.')).toBeTruthy();
    expect(form().getByText('huge.png is larger than 2 MB.')).toBeTruthy();
    await userEvent.click(form().getByRole('button', { name: 'Send inquiry' }));
    expect(privacy.sendInquiry).not.toHaveBeenCalled();
    await userEvent.click(form().getByRole('button', { name: 'Remove huge.png' }));
    expect(form().queryByText('Attach 3 files at most.')).toBeNull();
    expect(form().queryByText('huge.png is larger than 2 MB.')).toBeNull();
  });

  test('a long message counts down and says how much is over', async () => {
    renderPrivacy('inquiries');
    const message = form().getByLabelText('Message') as HTMLTextAreaElement;
    expect(form().getByText('2,000 characters left of 2,000')).toBeTruthy();
    await userEvent.click(message);
    await userEvent.paste('x'.repeat(MESSAGE_MAX + 2));
    expect(form().getByText('-2 characters left of 2,000')).toBeTruthy();
    await userEvent.click(form().getByRole('button', { name: 'Send inquiry' }));
    expect(form().getByText('The message is 2 characters too long.')).toBeTruthy();
  });

  test('sends the category, message and attachments, and lists it at once', async () => {
    const { privacy } = renderPrivacy('inquiries');
    await screen.findByText('You have not sent any inquiry yet.');
    await userEvent.selectOptions(form().getByLabelText('Topic'), 'Privacy');
    await userEvent.type(form().getByLabelText('Message'), '  Where is my data stored?  ');
    const attachment = file('note.txt', 300);
    await userEvent.upload(form().getByLabelText('Attachments (optional)'), attachment);
    await userEvent.click(form().getByRole('button', { name: 'Send inquiry' }));
    expect(privacy.sendInquiry).toHaveBeenCalledWith({ category: 'privacy', message: 'Where is my data stored?', attachments: [attachment] });
    expect(await form().findByText('Your inquiry has been sent. The reply will appear below.')).toBeTruthy();
    const sent = screen.getByRole('article', { name: 'Privacy' });
    expect(within(sent).getByText('Open')).toBeTruthy();
    expect((form().getByLabelText('Message') as HTMLTextAreaElement).value).toBe('');
  });

  test('a failed send keeps the message and says why', async () => {
    const privacy = new FakePrivacy();
    privacy.failNext('sendInquiry', 'too-large');
    renderPrivacy('inquiries', { privacy });
    await userEvent.type(form().getByLabelText('Message'), 'Hello');
    await userEvent.click(form().getByRole('button', { name: 'Send inquiry' }));
    expect((await form().findByRole('alert')).textContent).toBe('This is too large to upload.');
    expect((form().getByLabelText('Message') as HTMLTextAreaElement).value).toBe('Hello');
  });

  test('in Japanese', async () => {
    const { privacy } = renderPrivacy('inquiries', { language: 'ja' });
    const jaForm = within(screen.getByRole('form', { name: '新しいお問い合わせ' }));
    expect(jaForm.getByText('残り2,000文字（最大 2,000 文字）')).toBeTruthy();
    await userEvent.click(jaForm.getByRole('button', { name: '送信' }));
    expect(jaForm.getByText('内容を入力してください。')).toBeTruthy();
    await userEvent.selectOptions(jaForm.getByLabelText('種類'), 'バックアップ');
    await userEvent.type(jaForm.getByLabelText('内容'), 'バックアップが終わりません。');
    await userEvent.click(jaForm.getByRole('button', { name: '送信' }));
    expect(privacy.sendInquiry).toHaveBeenCalledWith({ category: 'backup', message: 'バックアップが終わりません。', attachments: [] });
    const sent = await screen.findByRole('article', { name: 'バックアップ' });
    expect(within(sent).getByText('対応中')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('運営者に直接ご連絡いただくこともできます。')).toBeTruthy());
  });
});
