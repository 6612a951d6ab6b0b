/**
 * One error type for all of Kura: a stable kebab-case `code` that callers branch on, a `details`
 * object for the UI, and a message from one table. Adapters convert DOM, HTTP and SQLite errors at
 * their edge into a KuraError and keep the original as `inner` (STYLE.md 8).
 */

const MESSAGES = {
  // The API's codes (src/core/protocol.ts gives each its HTTP status); client and server share them.
  'invalid-request': 'The request is malformed.',
  'digest-required': 'A Content-Digest header with a sha-256 member is required.',
  'digest-mismatch': 'The body does not match its Content-Digest.',
  'device-mismatch': 'A device can only commit its own snapshots.',
  unauthenticated: 'Sign in first.',
  'bad-credentials': 'The email or key is not right.',
  'not-found': 'Not found.',
  'method-not-allowed': 'Method not allowed.',
  'email-taken': 'An account with this email already exists.',
  'account-exists': 'An account with this id already exists.',
  'missing-chunks': 'Some referenced chunks are not stored.',
  'snapshot-exists': 'A snapshot with this id already exists.',
  'stale-counter': 'The counter is not above the device’s last snapshot.',
  'too-large': 'The request body is too large.',
  'unsupported-media-type': 'The body must be JSON.',
  'range-not-satisfiable': 'The requested range is outside the object.',
  'rate-limited': 'Too many attempts. Try again later.',
  internal: 'Something went wrong on the server.',
  'object-corrupt': 'The stored object is damaged; upload it again if you still have it.',
  'quota-exceeded': 'The account’s storage quota is full.',
  // Talking to the server, from the client's side.
  'network-unavailable': 'The server cannot be reached.',
  'bad-response': 'The server answered something Kura does not understand.',
  // The core's own.
  'invalid-argument': 'An argument is not valid.',
  'kdf-params-invalid': 'The key-derivation parameters are malformed or out of range.',
  'kdf-params-below-floor': 'The key-derivation parameters are weaker than Kura allows.',
  'kdf-out-of-memory': 'Not enough memory to derive the key, even at the minimum Kura allows.',
  'unwrap-failed': 'The passphrase or recovery key is wrong, or the stored key was altered.',
  'recovery-key-malformed': 'That is not a Kura recovery key.',
  'recovery-key-typo': 'The recovery key has a mistyped character.',
  'envelope-malformed': 'The encrypted data is truncated or not in a format Kura knows.',
  'envelope-unsupported-version': 'The encrypted data uses a format version this Kura does not know.',
  'envelope-auth-failed': 'The encrypted data was altered, or belongs elsewhere.',
  'envelope-too-large': 'The data is too large for one envelope.',
  'chunk-id-mismatch': 'The decrypted chunk does not match its id.',
  'chunking-params-invalid': 'The chunking parameters are not valid.',
  'manifest-invalid': 'The snapshot manifest is not valid.',
  'manifest-id-mismatch': 'The snapshot manifest was sealed for another snapshot.',
  'manifest-rollback': 'The server offered an older snapshot than one already seen.',
  'source-changed': 'The file changed while it was being read.',
  'source-unreadable': 'The file could not be read.',
  cancelled: 'Cancelled.',
  'held-for-another-account': 'This device holds unsent backups of another account: send them by signing in to it, or erase them.',
  'restore-size-mismatch': 'The restored file does not have the size its manifest records.',
  'restore-hash-mismatch': 'The restored file does not match the hash its manifest records.',
  // Records (contacts, schedules, call history).
  'records-unknown-format': 'The file is not a contacts, calendar or call-log export Kura reads.',
  'records-empty': 'The file holds no record Kura could read.',
  'records-import-expired': 'That import preview is no longer open: choose the file again.',
  'records-invalid': 'The record set is not valid.',
  // Privacy: consent, the policy, the user's rights (issue 7). API codes, each in API_ERRORS.
  'policy-not-accepted': 'A significant revision of the privacy policy needs your consent before backups sync again.',
  'consent-required': 'This needs your consent first; you can give it in the privacy center.',
  'consent-chain-broken': 'The consent entry does not follow the ledger’s last entry.',
  'account-suspended': 'The account is suspended: resume it to back up again.',
  'stats-already-sent': 'Usage statistics were already sent today.',
  'confirmation-invalid': 'The confirmation code is wrong or has expired.',
  'operator-unauthorized': 'This needs the operator’s token.',
} as const;

export type KuraErrorCode = keyof typeof MESSAGES;

export class KuraError extends Error {
  override readonly name = 'KuraError';
  readonly code: KuraErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly inner: unknown;

  constructor(
    code: KuraErrorCode,
    details: Record<string, unknown> = {},
    inner?: unknown,
  ) {
    super(MESSAGES[code]);
    this.code = code;
    this.details = details;
    this.inner = inner;
  }
}

export function isKuraError(e: unknown, code?: KuraErrorCode): e is KuraError {
  return e instanceof KuraError && (code === undefined || e.code === code);
}
