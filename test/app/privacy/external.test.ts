import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import { FakePrivacy } from '../fake-privacy.ts';
import { renderPrivacy } from './render-privacy.ts';

afterEach(cleanup);

function withService(connected = true): FakePrivacy {
  const privacy = new FakePrivacy();
  privacy.services = [{ id: 'print', name: 'PhotoPrint', description: 'Order prints of your photos.', connected, stores: 'your delivery address' }];
  return privacy;
}

describe('external services', () => {
  test('with none configured, it says so', async () => {
    renderPrivacy('external');
    expect(await screen.findByText('No external services are connected to this Kura server.')).toBeTruthy();
    expect(screen.queryByRole('switch')).toBeNull();
  });

  test('each service has its own consent switch, off by default', async () => {
    const privacy = withService();
    renderPrivacy('external', { privacy });
    const service = within((await screen.findByRole('heading', { name: 'PhotoPrint' })).closest('li')!);
    expect(service.getByText('Order prints of your photos.')).toBeTruthy();
    expect(service.getByText('What it keeps: your delivery address')).toBeTruthy();
    const toggle = service.getByRole('switch', { name: 'Allow PhotoPrint' });
    await waitFor(() => expect(toggle).toHaveProperty('disabled', false));
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    await userEvent.click(toggle);
    expect(privacy.setConsent).toHaveBeenCalledWith('external:print', true, 'privacy/external');
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('PhotoPrint: consent given and recorded.'));
  });

  test('Disconnect asks first, says it removes what it stored, then disconnects', async () => {
    const privacy = withService();
    renderPrivacy('external', { privacy });
    await userEvent.click(await screen.findByRole('button', { name: 'Disconnect PhotoPrint…' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Disconnect PhotoPrint?' }));
    expect(dialog.getByText(/This removes what it stored \(your delivery address\)/)).toBeTruthy();
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(privacy.disconnectExternal).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Disconnect PhotoPrint…' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Disconnect' }));
    expect(privacy.disconnectExternal).toHaveBeenCalledWith('print');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('PhotoPrint is disconnected and what it stored is removed.'));
    expect(screen.getByText('Not connected')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Disconnect PhotoPrint…' })).toBeNull();
  });

  test('a failed load says why and Try again loads it', async () => {
    const privacy = withService();
    privacy.failNext('externalServices', 'internal');
    renderPrivacy('external', { privacy });
    await userEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'PhotoPrint' })).toBeTruthy();
  });

  test('in Japanese', async () => {
    renderPrivacy('external', { language: 'ja' });
    expect(await screen.findByText('この Kura サーバーに連携している外部サービスはありません。')).toBeTruthy();
    cleanup();
    const privacy = withService();
    renderPrivacy('external', { privacy, language: 'ja' });
    await userEvent.click(await screen.findByRole('button', { name: 'PhotoPrint の連携を解除…' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'PhotoPrint の連携を解除しますか？' })).getByRole('button', { name: '連携を解除' }));
    expect(privacy.disconnectExternal).toHaveBeenCalledWith('print');
    expect(await screen.findByText('PhotoPrint の連携を解除し、保存された情報を削除しました。')).toBeTruthy();
  });
});
