/**
 * Device names for the snapshot lists and headers. The list comes from the server, so offline it
 * may be missing: then a device shows as a short label from its id, and "this device" is still
 * known from the unlocked account.
 */
import type { AppApi } from '../../../client/app-api.ts';
import type { DeviceResponse } from '../../../core/protocol.ts';

export interface DeviceLabel {
  /** The name the user gave it, when known. */
  readonly name: string | undefined;
  /** A few characters of its id, to tell devices apart when the name is not known. */
  readonly short: string;
  readonly current: boolean;
}

export class DeviceNames {
  list = $state.raw<readonly DeviceResponse[]>([]);

  constructor(
    private readonly api: AppApi,
    private readonly thisDevice: () => string | undefined,
  ) {}

  async load(): Promise<void> {
    try {
      this.list = await this.api.devices();
    } catch {
      this.list = []; // names are a nicety here: the short labels stand in for them
    }
  }

  label(id: string): DeviceLabel {
    const device = this.list.find((d) => d.id === id);
    return { name: device?.name || undefined, short: id.slice(0, 4).toUpperCase(), current: device?.current ?? id === this.thisDevice() };
  }
}
