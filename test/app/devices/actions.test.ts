import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import Devices from '../../../src/app/screens/devices/Devices.svelte';
import { renderScreen } from '../render.ts';
import { apiWithDevices } from './fixtures.ts';

afterEach(cleanup);

async function openRename(name: string) {
  const button = await screen.findByRole('button', { name: `Rename ${name}` });
  await userEvent.click(button);
  const dialog = screen.getByRole('dialog', { name: 'Rename device' });
  return { button, dialog, field: within(dialog).getByLabelText('Device name') as HTMLInputElement };
}

describe('renaming', () => {
  test('Enter saves the trimmed name and the list shows it', async () => {
    const { api } = renderScreen(Devices, { api: apiWithDevices() });
    const { field } = await openRename('Old phone');
    expect(field.value).toBe('Old phone');
    expect(document.activeElement).toBe(field);
    await userEvent.clear(field);
    await userEvent.type(field, '  Kitchen iPad  {Enter}');
    expect(api.renameDevice).toHaveBeenCalledWith('dev_phone', 'Kitchen iPad');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByRole('heading', { level: 2, name: 'Kitchen iPad' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Renamed to “Kitchen iPad”.');
  });

  test('an empty or over-long name is refused with the reason', async () => {
    const { api } = renderScreen(Devices, { api: apiWithDevices() });
    const { dialog, field } = await openRename('Old phone');
    await userEvent.clear(field);
    await userEvent.type(field, '   {Enter}');
    expect(within(dialog).getByText('Enter a name for the device.')).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await userEvent.type(field, 'x'.repeat(65));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText('Use 64 characters or fewer.')).toBeTruthy();
    expect(api.renameDevice).not.toHaveBeenCalled();
    // 64 kanji are 64 characters, and fit.
    await userEvent.clear(field);
    await userEvent.type(field, '蔵'.repeat(64) + '{Enter}');
    expect(api.renameDevice).toHaveBeenCalledWith('dev_phone', '蔵'.repeat(64));
  });

  test('Escape cancels: nothing is saved and focus goes back to Rename', async () => {
    const { api } = renderScreen(Devices, { api: apiWithDevices() });
    const { button, field } = await openRename('Old phone');
    await userEvent.type(field, ' 2{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.renameDevice).not.toHaveBeenCalled();
    expect(screen.getByRole('heading', { level: 2, name: 'Old phone' })).toBeTruthy();
    expect(document.activeElement).toBe(button);
  });

  test('a failure keeps the dialog open with the reason', async () => {
    const api = apiWithDevices();
    api.failNext('renameDevice', 'network-unavailable');
    renderScreen(Devices, { api });
    const { dialog, field } = await openRename('Hana’s laptop');
    await userEvent.type(field, ' 2{Enter}');
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The server cannot be reached. Check your connection.');
    expect(screen.getByRole('heading', { level: 2, name: 'Hana’s laptop' })).toBeTruthy();
  });
});

describe('revoking', () => {
  test('is not offered for this device', async () => {
    renderScreen(Devices, { api: apiWithDevices() });
    const laptop = (await screen.findByRole('heading', { level: 2, name: 'Hana’s laptop' })).closest('li')!;
    expect(within(laptop).queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(within(laptop).getByRole('button', { name: 'Rename Hana’s laptop' })).toBeTruthy();
  });

  test('explains what happens, then revokes and removes the device', async () => {
    const { api } = renderScreen(Devices, { api: apiWithDevices() });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Old phone' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke “Old phone”?' });
    expect(within(dialog).getByText('It will be signed out of Kura and can no longer see or add backups.')).toBeTruthy();
    expect(within(dialog).getByText('Backups still waiting on it to upload will not arrive.')).toBeTruthy();
    expect(within(dialog).getByText('Backups it has already uploaded stay in your account.')).toBeTruthy();
    // The safe choice has the focus.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke device' }));
    expect(api.revokeDevice).toHaveBeenCalledWith('dev_phone');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.queryByRole('heading', { name: 'Old phone' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('“Old phone” was revoked and signed out.');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });

  test('Cancel revokes nothing', async () => {
    const { api } = renderScreen(Devices, { api: apiWithDevices() });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Old phone' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.revokeDevice).not.toHaveBeenCalled();
    expect(screen.getByRole('heading', { name: 'Old phone' })).toBeTruthy();
  });

  test('a failure is shown in the dialog, and Escape waits while it runs', async () => {
    const api = apiWithDevices();
    const held = api.hold('revokeDevice');
    renderScreen(Devices, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke Old phone' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke device' }));
    expect(within(dialog).getByRole('button', { name: 'Revoking…' })).toHaveProperty('disabled', true);
    await userEvent.keyboard('{Escape}');
    expect(screen.getByRole('dialog')).toBe(dialog);
    held.reject(new Error('boom'));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('An unexpected error occurred.');
    expect(within(dialog).getByRole('button', { name: 'Revoke device' })).toHaveProperty('disabled', false);
  });

  test('in Japanese', async () => {
    renderScreen(Devices, { api: apiWithDevices(), language: 'ja' });
    await userEvent.click(await screen.findByRole('button', { name: 'Old phone の登録を解除' }));
    const dialog = screen.getByRole('dialog', { name: '「Old phone」の登録を解除しますか？' });
    expect(within(dialog).getByText('この端末でまだアップロードされていないバックアップは届きません。')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'キャンセル' })).toBeTruthy();
  });
});
