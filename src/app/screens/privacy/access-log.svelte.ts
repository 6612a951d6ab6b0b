/**
 * The access log screen's state: the filter applied, the pages loaded so far (newest first), and
 * the cursor for the next. Changing the filter starts again from the first page.
 */
import type { AccessLogEntry, AccessLogFilter, PrivacyApi } from '../../../client/privacy-api.ts';

export interface FilterForm {
  /** YYYY-MM-DD from a date input, or '' for no bound. */
  readonly from: string;
  readonly to: string;
  readonly deviceId: string;
  readonly action: string;
}

export const EMPTY_FORM: FilterForm = { from: '', to: '', deviceId: '', action: '' };

/** A date input's day as the user's local midnight (from) or last millisecond (to). */
function localDay(value: string, end: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return end ? new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime() - 1 : day.getTime();
}

/** The form's fields as the filter the server takes; empty fields are left out. */
export function filterOf(form: FilterForm): AccessLogFilter {
  const from = localDay(form.from, false);
  const to = localDay(form.to, true);
  return {
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(form.deviceId && { deviceId: form.deviceId }),
    ...(form.action.trim() && { action: form.action.trim() }),
  };
}

/** True when the form's range ends before it starts. */
export function rangeReversed(form: FilterForm): boolean {
  const { from, to } = filterOf(form);
  return from !== undefined && to !== undefined && to < from;
}

export class AccessLog {
  entries = $state<AccessLogEntry[] | undefined>(undefined);
  next = $state<string | undefined>(undefined);
  loading = $state(false);
  error = $state<unknown>(undefined);
  filter = $state<AccessLogFilter>({});
  /** Devices and actions seen in any page, for the filter's choices. */
  devices = $state<Map<string, string>>(new Map());
  actions = $state<string[]>([]);

  constructor(private readonly api: PrivacyApi) {}

  async apply(filter: AccessLogFilter): Promise<void> {
    this.filter = filter;
    await this.fetch(undefined);
  }

  async more(): Promise<void> {
    if (this.next) await this.fetch(this.next);
  }

  /** The page that failed, again (Try again). */
  retry(): Promise<void> {
    return this.fetch(this.lastCursor);
  }

  /** Names for devices the account has now, which its log may not have met yet. */
  knowDevices(list: readonly { readonly id: string; readonly name: string }[]): void {
    const devices = new Map(this.devices);
    for (const d of list) devices.set(d.id, d.name);
    this.devices = devices;
  }

  private lastCursor: string | undefined;

  private async fetch(cursor: string | undefined): Promise<void> {
    this.lastCursor = cursor;
    this.loading = true;
    this.error = undefined;
    const filter = this.filter;
    try {
      const page = await this.api.accessLog(filter, cursor);
      if (filter !== this.filter) return;
      this.entries = cursor ? [...(this.entries ?? []), ...page.entries] : [...page.entries];
      this.next = page.next;
      this.remember(page.entries);
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  private remember(entries: readonly AccessLogEntry[]): void {
    const devices = new Map(this.devices);
    const actions = new Set(this.actions);
    for (const e of entries) {
      if (e.deviceId) devices.set(e.deviceId, e.deviceName ?? devices.get(e.deviceId) ?? e.deviceId);
      actions.add(e.action);
    }
    this.devices = devices;
    this.actions = [...actions].sort();
  }
}
