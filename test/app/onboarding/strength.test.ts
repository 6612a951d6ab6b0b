/**
 * The real estimator (zxcvbn-ts with its dictionaries), loaded on demand as the create step does:
 * common or short passphrases score below the bar, a few unrelated words above it, and its
 * feedback comes back as keys the onboarding catalogue translates.
 */
import { describe, expect, test } from 'vitest';
import { CATALOGUES } from '../../../src/app/i18n/index.ts';
import { loadEstimator, MIN_SCORE } from '../../../src/app/screens/onboarding/strength.ts';

describe('passphrase strength', () => {
  test('scores like zxcvbn, with feedback keys the catalogue knows', async () => {
    const estimate = await loadEstimator();
    expect(await loadEstimator()).toBe(estimate); // loaded once
    const weak = estimate('password123', []);
    expect(weak.score).toBeLessThan(MIN_SCORE);
    expect(weak.warning).toBeDefined();
    expect(Object.keys(CATALOGUES.en.onboarding.strength.warnings)).toContain(weak.warning);
    for (const s of weak.suggestions) expect(Object.keys(CATALOGUES.en.onboarding.strength.suggestions)).toContain(s);
    expect(estimate('hanako.tanaka@example.jp', ['hanako.tanaka@example.jp']).score).toBeLessThan(MIN_SCORE);
    expect(estimate('maple lantern orbit velvet', []).score).toBeGreaterThanOrEqual(MIN_SCORE);
  }, 30_000);
});
