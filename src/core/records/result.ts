/**
 * What every records parser returns (issue 6): the records it could read and, for each entry it
 * could not, an error with where it was and a stable code. One bad entry never loses the others.
 */
export type RecordErrorCode =
  /** Not the format at all (no BEGIN:VCARD, no header, no <calls>). */
  | 'unknown-format'
  /** An entry whose structure is broken (no END, unbalanced, a line that is not a property). */
  | 'malformed'
  /** The input ends in the middle of an entry. */
  | 'truncated'
  /** A version or construct Kura does not read (e.g. vCard 5). */
  | 'unsupported'
  /** A field without which the entry means nothing (a call without a number and date). */
  | 'missing-field'
  /** A date, time or time zone that cannot be read. */
  | 'bad-date'
  /** A number (duration, type code) that cannot be read. */
  | 'bad-number'
  /** Text in a charset or encoding that cannot be decoded (bad QUOTED-PRINTABLE, unknown CHARSET). */
  | 'bad-encoding';

export interface RecordError {
  readonly code: RecordErrorCode;
  /** 1-based line of the input where the entry (or the bad line) starts, when the format has lines. */
  readonly line?: number;
  /** 0-based index of the entry among the input's entries. */
  readonly item?: number;
  /** For developers and logs; the UI translates `code`. */
  readonly message: string;
}

export interface ParseResult<T> {
  readonly records: T[];
  readonly errors: RecordError[];
}
