/**
 * The consent ledger: an append-only list of consents given and withdrawn, each entry chained to
 * the one before by a hash, so the device and the server can each keep a copy and either can tell
 * when the other's was altered.
 *
 * [Note: Consent entry hash] An entry's hash is SHA-256 (lowercase hex) of the UTF-8 JSON array
 * ["kura-consent-v1", seq, purpose, action, policyVersion, policyHash, time, deviceId,
 * screenVersion, prevHash]. JSON.stringify of an array of strings and integers is deterministic,
 * so every implementation gets the same bytes. The first entry's prevHash is GENESIS_HASH; seq
 * counts from 1. Frozen: a change is "kura-consent-v2", never an edit.
 */
import type { DeviceId } from '../ids.ts';
import { sha256Hex } from './render.ts';

export const BASE_PURPOSES = ['service-operation', 'security-logging', 'support', 'usage-statistics'] as const;
export type BasePurpose = (typeof BASE_PURPOSES)[number];
/** An optional connection to an external service, each with a consent of its own. */
export type ExternalPurpose = `external:${string}`;
export type ConsentPurpose = BasePurpose | ExternalPurpose;
export const EXTERNAL_SERVICE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function isConsentPurpose(s: unknown): s is ConsentPurpose {
  if (typeof s !== 'string') return false;
  if ((BASE_PURPOSES as readonly string[]).includes(s)) return true;
  return s.startsWith('external:') && EXTERNAL_SERVICE_ID.test(s.slice('external:'.length));
}

export type ConsentAction = 'granted' | 'withdrawn';

export interface ConsentFields {
  readonly seq: number;
  readonly purpose: ConsentPurpose;
  readonly action: ConsentAction;
  readonly policyVersion: number;
  readonly policyHash: string;
  /** Milliseconds since the epoch, set by whoever appends (the server, on its clock). */
  readonly time: number;
  readonly deviceId: DeviceId;
  /** Which consent screen (app build and screen) the choice was made on. */
  readonly screenVersion: string;
  readonly prevHash: string;
}

export interface ConsentEntry extends ConsentFields {
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
const TAG = 'kura-consent-v1';

export function entryHash(f: ConsentFields): Promise<string> {
  return sha256Hex(
    JSON.stringify([TAG, f.seq, f.purpose, f.action, f.policyVersion, f.policyHash, f.time, f.deviceId, f.screenVersion, f.prevHash]),
  );
}

/** The entry that follows `head` (undefined for the first) with these fields. */
export async function chainEntry(
  head: ConsentEntry | undefined,
  fields: Omit<ConsentFields, 'seq' | 'prevHash'>,
): Promise<ConsentEntry> {
  const linked: ConsentFields = { ...fields, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
  return { ...linked, hash: await entryHash(linked) };
}

/**
 * Whether `entry` may be appended after `head` (undefined for an empty ledger): the next seq, and
 * linked to the head's hash. The stores' check on append; the first entry's prevHash is left to
 * verifyChain.
 */
export function followsHead(head: Pick<ConsentEntry, 'seq' | 'hash'> | undefined, entry: Pick<ConsentFields, 'seq' | 'prevHash'>): boolean {
  return entry.seq === (head?.seq ?? 0) + 1 && (!head || entry.prevHash === head.hash);
}

export type ChainCheck =
  | { readonly ok: true; readonly length: number; readonly head: string }
  | { readonly ok: false; readonly length: number; readonly brokenAt: number; readonly reason: 'sequence' | 'link' | 'hash' };

/** Checks every link and every hash; reports the first entry (by seq) that does not fit. */
export async function verifyChain(entries: readonly ConsentEntry[]): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  for (const [i, e] of entries.entries()) {
    const broken = (reason: 'sequence' | 'link' | 'hash') => ({ ok: false as const, length: entries.length, brokenAt: e.seq, reason });
    if (e.seq !== i + 1) return broken('sequence');
    if (e.prevHash !== prev) return broken('link');
    if ((await entryHash(e)) !== e.hash) return broken('hash');
    prev = e.hash;
  }
  return { ok: true, length: entries.length, head: prev };
}

/** Each purpose's latest entry: the consent as it stands. */
export function currentConsents(entries: readonly ConsentEntry[]): Map<ConsentPurpose, ConsentEntry> {
  const out = new Map<ConsentPurpose, ConsentEntry>();
  for (const e of entries) out.set(e.purpose, e);
  return out;
}

export function isGranted(entries: readonly ConsentEntry[], purpose: ConsentPurpose): boolean {
  return currentConsents(entries).get(purpose)?.action === 'granted';
}
