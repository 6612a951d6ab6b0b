/** The Call record of call logs and its deterministic uid (see calls.ts). */
import { fnv1a64 } from './hash.ts';

export type CallType = 'incoming' | 'outgoing' | 'missed' | 'voicemail' | 'rejected' | 'blocked';

/** Android's CallLog.Calls.PRESENTATION_*: 1 allowed, 2 restricted, 3 unknown, 4 payphone. */
export type CallPresentation = 'allowed' | 'restricted' | 'unknown' | 'payphone';

export interface Call {
  readonly uid: string;
  /** As the export gave it (may be empty when presentation is not 'allowed'). */
  readonly number: string;
  /** Digits and a leading '+' only (full-width digits folded), for matching numbers. */
  readonly normalized: string;
  /** Contact name when the export has one. */
  readonly name?: string;
  readonly type: CallType;
  /** Start, ms since the epoch (a UTC instant). */
  readonly start: number;
  readonly durationSeconds: number;
  /** SIM / subscription id as exported. */
  readonly subscriptionId?: string;
  readonly presentation?: CallPresentation;
  /** ISO 3166 country code, lower or upper case as exported. */
  readonly countryIso?: string;
  /** Digits dialled after the call connected (DTMF, e.g. ",123#"). */
  readonly postDialDigits?: string;
}

export interface CallLogOptions {
  /** IANA zone of dates written without a zone; default 'UTC'. */
  readonly timeZone?: string;
}

export const CALL_TYPES: readonly CallType[] = ['incoming', 'outgoing', 'missed', 'voicemail', 'rejected', 'blocked'];
export const PRESENTATIONS: readonly CallPresentation[] = ['allowed', 'restricted', 'unknown', 'payphone'];

/** Digits and a leading '+' of a number, full-width digits folded: "+81 (90) 1234-5678" → "+819012345678". */
export function normalizeNumber(number: string): string {
  const s = number.normalize('NFKC').trim();
  const digits = s.replace(/[^0-9]/g, '');
  return s.startsWith('+') ? '+' + digits : digits;
}

export function callUid(normalized: string, start: number, type: CallType, durationSeconds: number): string {
  return 'call-' + fnv1a64(JSON.stringify(['call', normalized, start, type, durationSeconds]));
}

/** Builds a Call with its uid, leaving out optional fields that are empty. */
export function makeCall(fields: {
  number: string;
  name?: string | undefined;
  type: CallType;
  start: number;
  durationSeconds: number;
  subscriptionId?: string | undefined;
  presentation?: CallPresentation | undefined;
  countryIso?: string | undefined;
  postDialDigits?: string | undefined;
}): Call {
  const normalized = normalizeNumber(fields.number);
  const call: { -readonly [K in keyof Call]: Call[K] } = {
    uid: callUid(normalized, fields.start, fields.type, fields.durationSeconds),
    number: fields.number,
    normalized,
    type: fields.type,
    start: fields.start,
    durationSeconds: fields.durationSeconds,
  };
  if (fields.name) call.name = fields.name;
  if (fields.subscriptionId) call.subscriptionId = fields.subscriptionId;
  if (fields.presentation) call.presentation = fields.presentation;
  if (fields.countryIso) call.countryIso = fields.countryIso;
  if (fields.postDialDigits) call.postDialDigits = fields.postDialDigits;
  return call;
}

