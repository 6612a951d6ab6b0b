/**
 * API errors: a KuraError whose code the API knows (src/core/protocol.ts gives its status), rendered
 * as `{ "error": { "code", "message", ...extra } }`. Messages come from the one table in
 * src/core/errors.ts and never echo the request, so a response can be compared byte for byte
 * (another account's id reads exactly as a random one).
 */
import { KuraError } from '../../src/core/errors.ts';
import { API_ERRORS, type ApiErrorCode } from '../../src/core/protocol.ts';

export class ApiError extends KuraError {
  readonly status: number;
  constructor(
    override readonly code: ApiErrorCode,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code, extra);
    this.status = API_ERRORS[code];
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}
