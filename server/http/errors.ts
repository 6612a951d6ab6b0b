/**
 * API errors: a stable code (src/core/protocol.ts lists them with their status) and a message from
 * one table, rendered as `{ "error": { "code", "message", ...extra } }`. Messages never echo the
 * request, so a response can be compared byte for byte (another account's id reads as a random one).
 */
import { API_ERRORS, type ApiErrorCode } from '../../src/core/protocol.ts';

const MESSAGES: Record<ApiErrorCode, string> = {
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
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    readonly extra: Record<string, unknown> = {},
    /** Detail for the server log only, never sent. */
    readonly detail?: string,
  ) {
    super(MESSAGES[code]);
    this.status = API_ERRORS[code];
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}
