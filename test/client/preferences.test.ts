import { describe, expect, test } from 'vitest';
import { DEFAULT_PREFERENCES } from '../../src/client/app-api.ts';
import { loadPreferences, savePreferences } from '../../src/client/preferences.ts';

function memoryStorage(initial?: string) {
  const map = new Map<string, string>(initial === undefined ? [] : [['kura.preferences', initial]]);
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe('preferences', () => {
  test('nothing saved gives the defaults; saved choices come back', () => {
    const storage = memoryStorage();
    expect(loadPreferences(storage)).toEqual(DEFAULT_PREFERENCES);
    savePreferences({ language: 'ja', theme: 'dark', lockAfterMinutes: 0, retention: { last: 3 } }, storage);
    expect(loadPreferences(storage)).toEqual({ ...DEFAULT_PREFERENCES, language: 'ja', theme: 'dark', lockAfterMinutes: 0, retention: { last: 3 } });
  });

  test('damaged or foreign values fall back field by field', () => {
    expect(loadPreferences(memoryStorage('{not json'))).toEqual(DEFAULT_PREFERENCES);
    const odd = loadPreferences(memoryStorage(JSON.stringify({ language: 'fr', theme: 'neon', lockAfterMinutes: -5, retention: { last: 2.5, daily: 4 }, notifications: 'yes' })));
    expect(odd).toEqual({ ...DEFAULT_PREFERENCES, retention: { daily: 4 } });
  });

  test('a full or blocked storage keeps the choice for this visit', () => {
    const storage = { getItem: () => null, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } };
    expect(savePreferences({ theme: 'light' }, storage).theme).toBe('light');
  });
});
