/**
 * The user's preferences on this device, in localStorage: read synchronously at start so the
 * first paint already has the right language and theme. Nothing secret or about content is here.
 * A damaged or foreign value falls back to the defaults field by field.
 */
import { DEFAULT_PREFERENCES, type Preferences } from './app-api.ts';

const KEY = 'kura.preferences';

export function loadPreferences(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Preferences {
  let saved: Partial<Record<keyof Preferences, unknown>> = {};
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    if (parsed && typeof parsed === 'object') saved = parsed as typeof saved;
  } catch {
    // unreadable: the defaults
  }
  // A saved rule is taken as written (a clause left out is not used); none saved is the default.
  const retention = saved.retention && typeof saved.retention === 'object' ? (saved.retention as Record<string, unknown>) : { ...DEFAULT_PREFERENCES.retention };
  const count = (v: unknown, fallback: number | undefined) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 9999 ? (v as number) : fallback);
  return {
    language: saved.language === 'en' || saved.language === 'ja' ? saved.language : undefined,
    theme: saved.theme === 'light' || saved.theme === 'dark' ? saved.theme : 'system',
    lockAfterMinutes: count(saved.lockAfterMinutes, DEFAULT_PREFERENCES.lockAfterMinutes) ?? DEFAULT_PREFERENCES.lockAfterMinutes,
    retention: {
      ...optional('last', count(retention.last, undefined)),
      ...optional('daily', count(retention.daily, undefined)),
      ...optional('weekly', count(retention.weekly, undefined)),
      ...optional('monthly', count(retention.monthly, undefined)),
    },
    notifications: saved.notifications === true,
  };
}

export function savePreferences(changes: Partial<Preferences>, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): Preferences {
  const next = { ...loadPreferences(storage), ...changes };
  try {
    storage?.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full or blocked: the choice holds for this visit
  }
  return next;
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}
