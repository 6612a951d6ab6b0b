/**
 * Every published version of the policy and terms, oldest first. Frozen once published: a change
 * is a new version, never an edit (the hashes users consented to must keep verifying).
 *
 * Version 1 was a non-significant draft; version 2 is significant (it adds usage statistics and
 * changes retention), so accounts that accepted only version 1 are asked again before sync.
 */
import { EN, EN_SUMMARY, EN_V1_RETENTION } from './text-en.ts';
import { JA, JA_SUMMARY, JA_V1_RETENTION } from './text-ja.ts';
import type { PolicySection, PolicyText, PolicyVersion } from './types.ts';

/** The current text with one section replaced and others left out: how version 1 differed. */
function earlier(text: PolicyText, retention: PolicySection, without: readonly string[]): PolicyText {
  const privacy = text.privacy.filter((s) => !without.includes(s.id)).map((s) => (s.id === retention.id ? retention : s));
  return { privacy, terms: text.terms };
}

export const POLICY_VERSIONS: readonly PolicyVersion[] = [
  {
    version: 1,
    date: '2026-10-01',
    significant: false,
    summary: { en: EN_SUMMARY.v1, ja: JA_SUMMARY.v1 },
    text: { en: earlier(EN, EN_V1_RETENTION, ['statistics']), ja: earlier(JA, JA_V1_RETENTION, ['statistics']) },
  },
  {
    version: 2,
    date: '2026-11-20',
    significant: true,
    summary: { en: EN_SUMMARY.v2, ja: JA_SUMMARY.v2 },
    text: { en: EN, ja: JA },
  },
];

/** Milliseconds at the start (UTC) of a version's effective date. */
export function effectiveAt(v: Pick<PolicyVersion, 'date'>): number {
  return Date.parse(`${v.date}T00:00:00Z`);
}

/** The version in force at `now`: the newest whose date has come (the oldest before any has). */
export function currentVersion(versions: readonly PolicyVersion[], now: number): PolicyVersion {
  let current = versions[0]!;
  for (const v of versions) if (effectiveAt(v) <= now) current = v;
  return current;
}

/** The newest significant version in force at `now`, if any: what every account must have accepted. */
export function latestSignificant(versions: readonly PolicyVersion[], now: number): PolicyVersion | undefined {
  let found: PolicyVersion | undefined;
  for (const v of versions) if (v.significant && effectiveAt(v) <= now) found = v;
  return found;
}

export function findVersion(versions: readonly PolicyVersion[], version: number): PolicyVersion | undefined {
  return versions.find((v) => v.version === version);
}
