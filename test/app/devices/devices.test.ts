import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test } from 'vitest';
import Devices from '../../../src/app/screens/devices/Devices.svelte';
import { makeKura, renderScreen } from '../render.ts';
import { apiWithDevices, device } from './fixtures.ts';

afterEach(cleanup);

const card = (name: string) => screen.getByRole('heading', { level: 2, name }).closest('li')!;

describe('the device list', () => {
  test('shows each device with its model and dates, this device first and marked', async () => {
    renderScreen(Devices, { api: apiWithDevices() });
    expect(screen.getByRole('heading', { level: 1, name: 'Devices' })).toBeTruthy();
    const items = await screen.findAllByRole('listitem');
    expect(items.map((li) => within(li).getByRole('heading').textContent)).toEqual(['Hana’s laptop', 'Old phone']);
    const laptop = within(card('Hana’s laptop'));
    expect(laptop.getByText('This device')).toBeTruthy();
    expect(laptop.getByText('Active now')).toBeTruthy();
    const phone = within(card('Old phone'));
    expect(phone.queryByText('This device')).toBeNull();
    expect(phone.getByText('Safari on iPhone')).toBeTruthy();
    expect(phone.getByText('Added Nov 1, 2026')).toBeTruthy();
    expect(phone.getByText('Last active 3 hours ago')).toBeTruthy();
  });

  test('in Japanese', async () => {
    renderScreen(Devices, { api: apiWithDevices(), language: 'ja' });
    expect(screen.getByRole('heading', { level: 1, name: '端末' })).toBeTruthy();
    const phone = within(await waitFor(() => card('Old phone')));
    expect(phone.getByText('2026/11/01に追加')).toBeTruthy();
    expect(phone.getByText('最終利用：3 時間前')).toBeTruthy();
    expect(within(card('Hana’s laptop')).getByText('この端末')).toBeTruthy();
    expect(phone.getByRole('button', { name: 'Old phone の登録を解除' })).toBeTruthy();
  });

  test('loading shows placeholder rows, then the list', async () => {
    const api = apiWithDevices();
    const held = api.hold('devices');
    const { result } = renderScreen(Devices, { api });
    expect(screen.getByText('Loading devices…')).toBeTruthy();
    expect(result.container.querySelectorAll('[aria-busy="true"] li')).toHaveLength(3);
    held.resolve(api.deviceList);
    expect(await screen.findByRole('heading', { name: 'Old phone' })).toBeTruthy();
    expect(result.container.querySelector('[aria-busy="true"]')).toBeNull();
  });

  test('a failed load says why and tries again', async () => {
    const api = apiWithDevices();
    api.failNext('devices', 'network-unavailable');
    renderScreen(Devices, { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server cannot be reached. Check your connection.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Old phone' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(api.devices).toHaveBeenCalledTimes(2);
  });

  test('an empty list says so', async () => {
    const api = apiWithDevices();
    api.deviceList = [];
    renderScreen(Devices, { api });
    expect(await screen.findByText('No devices are signed in to your account.')).toBeTruthy();
  });
});

describe('offline', () => {
  test('without a list: says the list needs a connection and asks nothing', () => {
    const { api } = renderScreen(Devices, { api: apiWithDevices(), online: false });
    expect(screen.getByText('The device list needs a connection. It will refresh when you are back online.')).toBeTruthy();
    expect(api.devices).not.toHaveBeenCalled();
    expect(screen.queryByRole('list')).toBeNull();
  });

  test('keeps the last list loaded, with its actions off, and reloads when back online', async () => {
    const api = apiWithDevices();
    renderScreen(Devices, { api });
    await screen.findByRole('heading', { name: 'Old phone' });
    cleanup();

    const kura = makeKura(api, { online: false });
    renderScreen(Devices, { kura });
    expect(screen.getByText('Below is the list from when you were last online.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Revoke Old phone' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Rename Old phone' })).toHaveProperty('disabled', true);
    expect(api.devices).toHaveBeenCalledTimes(1);

    api.deviceList = [...api.deviceList, device('dev_tablet', { name: 'Tablet' })];
    kura.connectivity.online = true;
    expect(await screen.findByRole('heading', { name: 'Tablet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Revoke Old phone' })).toHaveProperty('disabled', false);
  });
});
