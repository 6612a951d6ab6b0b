import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { formatDateTime } from '../../../src/app/i18n/format.ts';
import { FakePrivacy } from '../fake-privacy.ts';
import { renderPrivacy } from './render-privacy.ts';

afterEach(cleanup);

const ledgerRows = () => within(screen.getByRole('region', { name: 'Your consent history' })).getAllByRole('row').slice(1);

describe('consent', () => {
  test('required purposes are on and cannot be switched; optional ones start off', async () => {
    renderPrivacy('consent');
    const operation = await screen.findByRole('switch', { name: 'Running the service' });
    expect(operation.getAttribute('aria-checked')).toBe('true');
    expect(operation).toHaveProperty('disabled', true);
    const logging = screen.getByRole('switch', { name: 'Security logging' });
    expect(logging.getAttribute('aria-checked')).toBe('true');
    expect(logging).toHaveProperty('disabled', true);
    expect(screen.getAllByText(/it stays on while you have an account\. To end it, delete your account\./)).toHaveLength(2);
    for (const name of ['Help with support requests', 'Anonymous usage statistics']) {
      const toggle = screen.getByRole('switch', { name });
      expect(toggle.getAttribute('aria-checked')).toBe('false');
      expect(toggle).toHaveProperty('disabled', false);
    }
  });

  test('switching on and off writes a ledger entry each time and the chain checks out', async () => {
    const { privacy } = renderPrivacy('consent');
    const stats = await screen.findByRole('switch', { name: 'Anonymous usage statistics' });
    expect(screen.getByText('No consent has been recorded yet.')).toBeTruthy();
    await userEvent.click(stats);
    expect(privacy.setConsent).toHaveBeenLastCalledWith('usage-statistics', true, 'privacy/consent');
    await waitFor(() => expect(stats.getAttribute('aria-checked')).toBe('true'));
    expect(await screen.findByText('Anonymous usage statistics: consent given and recorded.')).toBeTruthy();
    await waitFor(() => expect(stats).toHaveProperty('disabled', false));
    await userEvent.click(stats);
    expect(privacy.setConsent).toHaveBeenLastCalledWith('usage-statistics', false, 'privacy/consent');
    await waitFor(() => expect(stats.getAttribute('aria-checked')).toBe('false'));
    expect(await screen.findByText('Anonymous usage statistics: consent withdrawn and recorded.')).toBeTruthy();

    const rows = ledgerRows();
    expect(rows).toHaveLength(2);
    // Newest first: the withdrawal, then the grant, each with its policy version, device and short hash.
    const cells = rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(cells[0]!.slice(1, 5)).toEqual(['Anonymous usage statistics', 'Withdrawn', '2.0', 'Hana’s laptop This device']);
    expect(cells[1]!.slice(1, 5)).toEqual(['Anonymous usage statistics', 'Given', '2.0', 'Hana’s laptop This device']);
    expect(cells[0]![5]).toBe(privacy.ledger[1]!.hash.slice(0, 10));
    expect(privacy.ledger[1]!.previousHash).toBe(privacy.ledger[0]!.hash);
    expect(screen.getByText('Chain verified: no entry has been altered or removed.')).toBeTruthy();
  });

  test('support consent is asked for by its own purpose', async () => {
    const { privacy } = renderPrivacy('consent');
    await userEvent.click(await screen.findByRole('switch', { name: 'Help with support requests' }));
    expect(privacy.setConsent).toHaveBeenCalledWith('support', true, 'privacy/consent');
    expect(privacy.setConsent).toHaveBeenCalledTimes(1);
  });

  test('a broken chain is said plainly', async () => {
    const privacy = new FakePrivacy();
    await privacy.record('support', true);
    privacy.tampered = true;
    renderPrivacy('consent', { privacy });
    expect(await screen.findByText(/Chain broken: an entry does not match the one before it/)).toBeTruthy();
  });

  test('an altered entry breaks the chain the fake computes', async () => {
    const privacy = new FakePrivacy();
    await privacy.record('support', true);
    await privacy.record('support', false);
    privacy.ledger[0] = { ...privacy.ledger[0]!, granted: false };
    expect((await privacy.consents()).verified).toBe(false);
  });

  test('a failed change leaves the switch as it was and says why', async () => {
    const privacy = new FakePrivacy();
    privacy.failNext('setConsent', 'internal');
    renderPrivacy('consent', { privacy });
    const support = await screen.findByRole('switch', { name: 'Help with support requests' });
    await userEvent.click(support);
    expect((await screen.findByRole('alert')).textContent).toBe('The server had a problem. Try again later.');
    expect(support.getAttribute('aria-checked')).toBe('false');
  });

  test('each external service is its own purpose', async () => {
    const privacy = new FakePrivacy();
    privacy.services = [{ id: 'print', name: 'PhotoPrint', description: 'Order prints of your photos.', connected: false, stores: 'your delivery address' }];
    renderPrivacy('consent', { privacy });
    const toggle = await screen.findByRole('switch', { name: 'External service: PhotoPrint' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(screen.getByText('What it keeps: your delivery address')).toBeTruthy();
    await userEvent.click(toggle);
    expect(privacy.setConsent).toHaveBeenCalledWith('external:print', true, 'privacy/consent');
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
  });

  test('Download consent receipts asks for them', async () => {
    const { privacy } = renderPrivacy('consent');
    await userEvent.click(await screen.findByRole('button', { name: 'Download consent receipts' }));
    expect(privacy.downloadConsentReceipts).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Your download has started. Check your browser’s downloads.')).toBeTruthy();
  });
});

describe('the usage report preview', () => {
  test('shows exactly the payload that would be sent, with when it was and will be sent', async () => {
    const { privacy } = renderPrivacy('consent');
    const show = await screen.findByRole('button', { name: 'See exactly what would be sent' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    expect(privacy.usageReport).not.toHaveBeenCalled();
    await userEvent.click(show);
    expect(show.getAttribute('aria-expanded')).toBe('true');
    const pre = await screen.findByLabelText('Usage report');
    expect(pre.tagName).toBe('PRE');
    expect(JSON.parse(pre.textContent ?? '')).toEqual(JSON.parse(privacy.usage.payload));
    expect(pre.textContent).toBe(JSON.stringify(JSON.parse(privacy.usage.payload), null, 2));
    expect(screen.getByText('Last sent')).toBeTruthy();
    expect(screen.getByText(formatDateTime(privacy.usage.lastSentAt!, 'en'))).toBeTruthy();
    expect(screen.getByText(formatDateTime(privacy.usage.nextAt!, 'en'))).toBeTruthy();
  });

  test('never sent reads as such', async () => {
    const privacy = new FakePrivacy();
    privacy.usage = { payload: '{"v":1}' };
    renderPrivacy('consent', { privacy });
    await userEvent.click(await screen.findByRole('button', { name: 'See exactly what would be sent' }));
    expect(await screen.findByText('Never')).toBeTruthy();
    expect(screen.getByText('Not scheduled')).toBeTruthy();
  });
});

describe('in Japanese', () => {
  test('purposes, the ledger and the preview read in Japanese', async () => {
    const { privacy } = renderPrivacy('consent', { language: 'ja' });
    const stats = await screen.findByRole('switch', { name: '匿名の利用統計' });
    expect(screen.getByRole('switch', { name: 'サービスの提供' })).toHaveProperty('disabled', true);
    await userEvent.click(stats);
    expect(privacy.setConsent).toHaveBeenCalledWith('usage-statistics', true, 'privacy/consent');
    expect(await screen.findByText('匿名の利用統計: 同意を記録しました。')).toBeTruthy();
    await waitFor(() => expect(ledgerRowsJa()).toHaveLength(1));
    expect(within(ledgerRowsJa()[0]!).getByText('同意')).toBeTruthy();
    expect(screen.getByText('チェーン検証済み: 改ざんや削除された記録はありません。')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: '送信される内容をそのまま見る' }));
    expect((await screen.findByLabelText('利用統計レポート')).textContent).toContain('"backups": 12');
  });
});

function ledgerRowsJa() {
  return within(screen.getByRole('region', { name: '同意の履歴' })).getAllByRole('row').slice(1);
}
