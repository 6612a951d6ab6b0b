/**
 * Record sets as values (pure): merging what several devices know, planning an import against the
 * current state, and the edits a user makes (delete, restore an earlier state). The sealed format
 * and the batches that hold bodies are in src/core/manifest/record-set.ts.
 *
 * Merge: the union of every version of every record, by key. A version is identified by all its
 * fields, so merging a set with itself, or in any order, gives the same set. The current state of a
 * record is its greatest version: newest `at`, then device id, then hash (a total order, so every
 * device picks the same winner). A deletion is a version without a body (tombstone).
 */
import type { BodyRef, RecordEntry, RecordVersionRef } from '../manifest/record-set.ts';
import type { DeviceId } from '../ids.ts';
import { canonicalJson } from './canonical.ts';
import { fnv1a64 } from './hash.ts';
import { hasIdentity, identityKey, recordKey, type RecordKind, type RecordOfKind } from './kinds.ts';

export function compareVersions(a: RecordVersionRef, b: RecordVersionRef): number {
  return (
    a.at - b.at ||
    cmp(a.device, b.device) ||
    cmp(a.hash, b.hash) ||
    cmp(a.body?.batch ?? '', b.body?.batch ?? '') ||
    (a.body?.index ?? -1) - (b.body?.index ?? -1)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const versionId = (v: RecordVersionRef) => `${v.at}|${v.device}|${v.hash}|${v.body?.batch ?? ''}|${v.body?.index ?? ''}`;

/** Every record of every set, each with the union of its versions, oldest first; keys sorted. */
export function mergeEntries(sets: readonly (readonly RecordEntry[])[]): RecordEntry[] {
  const byKey = new Map<string, Map<string, RecordVersionRef>>();
  for (const entries of sets) {
    for (const entry of entries) {
      let versions = byKey.get(entry.key);
      if (!versions) byKey.set(entry.key, (versions = new Map()));
      for (const v of entry.versions) versions.set(versionId(v), v);
    }
  }
  return [...byKey]
    .sort(([a], [b]) => cmp(a, b))
    .map(([key, versions]) => ({ key, versions: [...versions.values()].sort(compareVersions) }));
}

export const currentVersion = (entry: RecordEntry): RecordVersionRef => entry.versions[entry.versions.length - 1]!;

export { canonicalJson };

/** Records are never changed in place, so a record's hash is computed once (planning and committing ask again). */
const hashes = new WeakMap<object, string>();

export function bodyHash(record: unknown): string {
  if (record === null || typeof record !== 'object') return fnv1a64(canonicalJson(record));
  let hash = hashes.get(record);
  if (hash === undefined) hashes.set(record, (hash = fnv1a64(canonicalJson(record))));
  return hash;
}

export interface ImportPlan<K extends RecordKind> {
  /** Keyed as they will be stored (a contact matched by identity takes the key it matched). */
  readonly added: { readonly key: string; readonly record: RecordOfKind[K] }[];
  readonly changed: { readonly key: string; readonly before: RecordOfKind[K]; readonly after: RecordOfKind[K] }[];
  readonly unchanged: number;
}

/**
 * The live keys whose current record planImport needs read: every one an incoming record could
 * match by identity, and every one an incoming record changes (its hash differs). The rest are
 * settled by hash alone, so re-importing a large, mostly unchanged export reads almost nothing.
 */
export function keysToRead<K extends RecordKind>(kind: K, entries: ReadonlyMap<string, RecordEntry>, incoming: readonly RecordOfKind[K][]): string[] {
  const keys = new Set<string>();
  for (const [key, entry] of entries) if (hasIdentity(kind, key) && currentVersion(entry).body) keys.add(key);
  // Only a record already in the set is hashed here: a new one has nothing to compare with.
  for (const record of incoming) {
    const key = recordKey(kind, record);
    const entry = entries.get(key);
    if (entry && currentVersion(entry).body && !keys.has(key) && currentVersion(entry).hash !== bodyHash(record)) keys.add(key);
  }
  return [...keys];
}

/**
 * What importing `incoming` into the current state would do. `entries` holds every key with its
 * versions (deleted ones too); `live` the current record of at least the keys keysToRead names (a
 * missing one is a programming error). A record whose key is unknown but whose identity matches
 * exactly one live record (a contact without a UID of its own whose fields were edited) updates
 * that record and keeps its key. Within one file, a later entry with the same key replaces an
 * earlier one.
 */
export function planImport<K extends RecordKind>(
  kind: K,
  entries: ReadonlyMap<string, RecordEntry>,
  live: ReadonlyMap<string, RecordOfKind[K]>,
  incoming: readonly RecordOfKind[K][],
): ImportPlan<K> {
  const identities = new Map<string, string | null>();
  for (const [key, record] of live) {
    const identity = identityKey(kind, record);
    if (identity) identities.set(identity, identities.has(identity) ? null : key); // null: ambiguous
  }
  const chosen = new Map<string, RecordOfKind[K]>();
  for (const record of incoming) {
    let key = recordKey(kind, record);
    let stored = record;
    if (!entries.has(key)) {
      const identity = identityKey(kind, record);
      const match = identity ? identities.get(identity) : undefined;
      if (match) {
        key = match;
        stored = withKey(kind, record, match);
      }
    }
    chosen.delete(key); // keep file order for the last occurrence
    chosen.set(key, stored);
  }
  const plan = { added: [] as ImportPlan<K>['added'][number][], changed: [] as ImportPlan<K>['changed'][number][], unchanged: 0 };
  for (const [key, record] of chosen) {
    const entry = entries.get(key);
    const current = entry && currentVersion(entry);
    if (!current?.body) plan.added.push({ key, record });
    else if (current.hash === bodyHash(record)) plan.unchanged += 1;
    else {
      const before = live.get(key);
      if (!before) throw new Error(`planImport: the current record of ${key} was not read`);
      plan.changed.push({ key, before, after: record });
    }
  }
  return plan;
}

/** The record with its key rewritten (only contacts match by identity; their key is the uid). */
function withKey<K extends RecordKind>(kind: K, record: RecordOfKind[K], key: string): RecordOfKind[K] {
  return kind === 'contacts' ? ({ ...record, uid: key } as RecordOfKind[K]) : record;
}

export interface NewVersion {
  readonly key: string;
  readonly hash: string;
  /** Absent: a deletion. */
  readonly body?: BodyRef;
}

/**
 * The entries with new versions appended, all made by `device` at `now`. A record whose newest
 * version is not older than `now` (another device's clock runs ahead) gets `newest + 1`, so the
 * user's latest change always wins on this device and on every other.
 */
export function appendVersions(entries: readonly RecordEntry[], changes: readonly NewVersion[], now: number, device: DeviceId): RecordEntry[] {
  const byKey = new Map(entries.map((e) => [e.key, e]));
  for (const change of changes) {
    const entry = byKey.get(change.key);
    const at = entry ? Math.max(now, currentVersion(entry).at + 1) : now;
    const version: RecordVersionRef = { at, device, hash: change.hash, ...(change.body ? { body: change.body } : {}) };
    byKey.set(change.key, { key: change.key, versions: [...(entry?.versions ?? []), version] });
  }
  return [...byKey.values()].sort((a, b) => cmp(a.key, b.key));
}

/** The version changes that delete `keys` (those that exist and are not deleted already). */
export function deletions(entries: ReadonlyMap<string, RecordEntry>, keys: readonly string[]): NewVersion[] {
  return [...new Set(keys)].filter((key) => entries.get(key) && currentVersion(entries.get(key)!).body).map((key) => ({ key, hash: '' }));
}

/** The change that makes the version of `key` made at `at` current again (its body is reused). */
export function restoration(entries: ReadonlyMap<string, RecordEntry>, key: string, at: number): NewVersion | undefined {
  const version = entries.get(key)?.versions.findLast((v) => v.at === at && v.body);
  return version?.body ? { key, hash: version.hash, body: version.body } : undefined;
}
