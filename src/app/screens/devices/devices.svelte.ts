/**
 * The Devices screen's state: the account's devices as the server lists them, renamed and revoked
 * in place. The last list loaded stays (per app and account) so the screen still shows it when the
 * connection drops or the screen is opened again offline.
 */
import type { AppApi } from '../../../client/app-api.ts';
import type { DeviceId } from '../../../core/ids.ts';
import type { DeviceResponse } from '../../../core/protocol.ts';

export const NAME_MAX = 64;

export type NameProblem = 'empty' | 'too-long';

/** A name as the user typed it: trimmed, and why it cannot be used, if it cannot. */
export function checkName(raw: string): { name: string; problem: NameProblem | undefined } {
  const name = raw.trim();
  // Counted in characters as people see them (code points), not UTF-16 units: 64 kanji fit.
  const length = [...name].length;
  return { name, problem: length === 0 ? 'empty' : length > NAME_MAX ? 'too-long' : undefined };
}

/** This device first, then the most recently active. */
export function byRecentUse(devices: readonly DeviceResponse[]): DeviceResponse[] {
  return [...devices].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt);
}

const lastLoaded = new WeakMap<AppApi, { account: string; devices: DeviceResponse[] }>();

export class DeviceList {
  /** Undefined until a list has loaded (now or on an earlier visit). */
  devices = $state<DeviceResponse[] | undefined>(undefined);
  loading = $state(false);
  error = $state<unknown>(undefined);

  constructor(
    private readonly api: AppApi,
    private readonly account = '',
  ) {
    const kept = lastLoaded.get(api);
    if (kept?.account === account) this.devices = kept.devices;
  }

  get sorted(): DeviceResponse[] {
    return byRecentUse(this.devices ?? []);
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    try {
      this.keep(await this.api.devices());
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  /** Renames on the server, then here; rejects with the server's error. */
  async rename(id: DeviceId, name: string): Promise<void> {
    await this.api.renameDevice(id, name);
    this.keep((this.devices ?? []).map((d) => (d.id === id ? { ...d, name } : d)));
  }

  async revoke(id: DeviceId): Promise<void> {
    await this.api.revokeDevice(id);
    this.keep((this.devices ?? []).filter((d) => d.id !== id));
  }

  private keep(devices: DeviceResponse[]): void {
    this.devices = devices;
    lastLoaded.set(this.api, { account: this.account, devices });
  }
}
