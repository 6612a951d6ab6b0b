/**
 * The retention form in Settings: the four numbers of the RetentionRule as the user is typing
 * them, whether they are valid (whole numbers, 0 to 999), saved to the preferences, and applied on
 * the server ("Apply now"), with the count of backups that removed.
 */
import type { AppApi, RetentionRule } from '../../../client/app-api.ts';
import type { PreferencesState } from '../../state/preferences.svelte.ts';

export const RETENTION_KEYS = ['last', 'daily', 'weekly', 'monthly'] as const;
export type RetentionKey = (typeof RETENTION_KEYS)[number];
export const RETENTION_MAX = 999;

/** A field as a number input binds it: null while empty or not a number. */
type Field = number | null;

export function validCount(value: Field | undefined): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= RETENTION_MAX;
}

export class RetentionForm {
  values = $state<Record<RetentionKey, Field>>({ last: 0, daily: 0, weekly: 0, monthly: 0 });
  /** Set after a save, cleared by the next edit. */
  saved = $state(false);
  applying = $state(false);
  /** How many snapshots the last "Apply now" removed. */
  removed = $state<number | undefined>(undefined);
  failure = $state<unknown>(undefined);

  constructor(
    private readonly api: AppApi,
    private readonly prefs: PreferencesState,
  ) {
    const rule = prefs.value.retention;
    this.values = { last: rule.last ?? 0, daily: rule.daily ?? 0, weekly: rule.weekly ?? 0, monthly: rule.monthly ?? 0 };
  }

  get valid(): boolean {
    return RETENTION_KEYS.every((key) => validCount(this.values[key]));
  }

  /** The rule as typed (only meaningful when `valid`). */
  get rule(): Required<RetentionRule> {
    const n = (key: RetentionKey) => (validCount(this.values[key]) ? this.values[key] : 0);
    return { last: n('last'), daily: n('daily'), weekly: n('weekly'), monthly: n('monthly') };
  }

  get dirty(): boolean {
    const saved = this.prefs.value.retention;
    return RETENTION_KEYS.some((key) => this.values[key] !== (saved[key] ?? 0));
  }

  edited(): void {
    this.saved = false;
    this.removed = undefined;
  }

  save(): boolean {
    if (!this.valid) return false;
    this.prefs.update({ retention: this.rule });
    this.saved = true;
    return true;
  }

  /** Saves what is shown (that is the rule the user confirmed), then applies it on the server. */
  async apply(): Promise<void> {
    if (!this.valid || this.applying) return;
    this.applying = true;
    this.failure = undefined;
    this.removed = undefined;
    try {
      if (this.dirty) this.prefs.update({ retention: this.rule });
      this.removed = (await this.api.applyRetention(this.rule)).length;
    } catch (e) {
      this.failure = e;
      throw e;
    } finally {
      this.applying = false;
    }
  }
}
