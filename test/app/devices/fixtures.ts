/** Devices as the server lists them, for the Devices screen's tests. */
import type { DeviceId } from '../../../src/core/ids.ts';
import type { DeviceResponse } from '../../../src/core/protocol.ts';
import { ACCOUNT, FakeApi } from '../fake-api.ts';

export const HOUR = 3_600_000;

export function device(id: string, overrides: Partial<DeviceResponse> = {}): DeviceResponse {
  return {
    id: id as DeviceId,
    name: id,
    model: 'Chrome on Android',
    createdAt: Date.UTC(2026, 10, 1, 12),
    lastSeenAt: Date.now() - 3 * HOUR,
    current: false,
    ...overrides,
  };
}

/** This device (a laptop) and an old phone, last seen three hours ago. */
export function apiWithDevices(): FakeApi {
  const api = new FakeApi();
  api.deviceList = [
    device('dev_phone', { name: 'Old phone', model: 'Safari on iPhone' }),
    device(ACCOUNT.deviceId, { name: 'Hana’s laptop', model: 'Firefox on Linux', current: true, lastSeenAt: Date.now() }),
  ];
  return api;
}
