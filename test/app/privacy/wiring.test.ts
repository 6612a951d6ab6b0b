/**
 * The privacy center wired into the app: a sync stopped by an unaccepted significant revision
 * shows a banner on every screen with the way to the review (not on the review itself), in both
 * languages; and the page's PrivacyApi over the worker's service saves files through the browser's
 * download and wakes the sync loop once the policy is accepted.
 */
import { act, cleanup, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Shell from '../../../src/app/Shell.svelte';
import type { Engine } from '../../../src/client/engine/connect.ts';
import { createPrivacyClient } from '../../../src/client/privacy-client.ts';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';

vi.mock('virtual:kura-notices', async () => ({ default: (await import('../settings/notices-mock.ts')).NOTICES }));

afterEach(cleanup);

describe('the policy banner', () => {
  test.each([
    ['en', 'Review the updated privacy policy', 'The privacy policy has changed, and sync is paused until you review it.'],
    ['ja', '更新されたプライバシーポリシーを確認する', 'プライバシーポリシーが変更されたため、確認していただくまで同期を一時停止しています。'],
  ] as const)('%s: shown while sync waits on the policy, gone on the review and once sync is back', async (language, link, text) => {
    const { kura } = renderScreen(Shell, { api: new FakeApi(), language });
    expect(screen.queryByRole('link', { name: link })).toBeNull();

    await act(() => (kura.sync.state = { kind: 'error', code: 'quota-exceeded' }));
    expect(screen.queryByRole('link', { name: link })).toBeNull();

    await act(() => (kura.sync.state = { kind: 'error', code: 'policy-not-accepted' }));
    const anchor = screen.getByRole('link', { name: link });
    expect(anchor.getAttribute('href')).toBe('#/privacy/policy');
    expect(anchor.closest('[role="status"]')?.textContent).toContain(text);

    await act(() => kura.router.go({ name: 'privacy', section: 'policy' }));
    expect(screen.queryByRole('link', { name: link })).toBeNull();
    await act(() => kura.router.go({ name: 'home' }));
    expect(screen.getByRole('link', { name: link })).toBeTruthy();
    await act(() => (kura.sync.state = { kind: 'in-sync' }));
    expect(screen.queryByRole('link', { name: link })).toBeNull();
  });
});

describe('the page client over the worker service', () => {
  function client() {
    const service = {
      acceptPolicy: vi.fn(async () => undefined),
      consentReceipt: vi.fn(async () => '{"version":"KI-CR-v1.1.0"}'),
      exportArchive: vi.fn(async () => '{"format":"kura-account-export-v1"}'),
      accessLogFile: vi.fn(async () => 'time,ip,deviceId,route,status\n'),
      recordFirstRun: vi.fn(async () => undefined),
    };
    const engine = { privacyService: async () => service } as unknown as Engine;
    const kick = vi.fn();
    const saved: { name: string; type: string; text: Promise<string> }[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      saved.push({ name: '', type: blob.type, text: blob.text() });
      return 'blob:kura-privacy';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.at(-1)!.name = this.download;
    });
    const privacy = createPrivacyClient(engine, { kick, language: () => 'ja', now: () => Date.UTC(2026, 10, 29) });
    return { privacy, service, kick, saved, click };
  }

  test('accepting the policy records it in the worker, then wakes the sync loop', async () => {
    const { privacy, service, kick } = client();
    await privacy.acceptPolicy('3');
    expect(service.acceptPolicy).toHaveBeenCalledWith('3');
    expect(kick).toHaveBeenCalledOnce();
    await privacy.recordFirstRunConsent({ 'usage-statistics': true });
    expect(service.recordFirstRun).toHaveBeenCalledWith({ 'usage-statistics': true });
  });

  test('receipts, the disclosure archive and the access log are saved as files, named by date and kind', async () => {
    const { privacy, service, saved, click } = client();
    await privacy.downloadConsentReceipts();
    await privacy.downloadDisclosure();
    await privacy.downloadAccessLog({ action: 'consents' }, 'csv');
    expect(service.consentReceipt).toHaveBeenCalledWith('ja');
    expect(service.accessLogFile).toHaveBeenCalledWith({ action: 'consents' }, 'csv');
    expect(saved.map(({ name, type }) => [name, type])).toEqual([
      ['kura-consent-receipt-2026-11-29.json', 'application/json'],
      ['kura-export-2026-11-29.json', 'application/json'],
      ['kura-access-log-2026-11-29.csv', 'text/csv'],
    ]);
    expect(await saved[2]!.text).toBe('time,ip,deviceId,route,status\n');
    click.mockRestore();
  });
});
