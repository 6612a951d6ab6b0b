/**
 * The client side of `/api/v1`: one method per route, every response checked against its schema
 * in src/core/protocol.ts before use, every failure a KuraError with the API's code (or
 * `network-unavailable`, `bad-response`). Only idempotent requests are retried (retry.ts); two
 * non-idempotent ones are made safe to retry by their semantics: a snapshot commit whose
 * acknowledgement was lost answers `snapshot-exists` on the retry, which means it was committed,
 * and a DELETE whose acknowledgement was lost answers `not-found`, which means it was done.
 */
import { createSHA256 } from 'hash-wasm';
import type * as z from 'zod';
import type { Bytes } from '../../core/bytes.ts';
import { KuraError, isKuraError } from '../../core/errors.ts';
import type { ChunkId, DeviceId, SnapshotId } from '../../core/ids.ts';
import {
  API_PREFIX,
  accessLogResponse,
  appendConsentResponse,
  consentReceiptResponse,
  consentsResponse,
  deleteAccountResponse,
  emailChangeResponse,
  externalServicesResponse,
  inquiriesResponse,
  inquiryResponse,
  policyResponse,
  restoreKeyResponse,
  MAX_MISSING_QUERY,
  accountResponse,
  contentDigestHeader,
  createAccountResponse,
  createSessionResponse,
  deviceResponse,
  devicesResponse,
  errorResponse,
  healthResponse,
  isApiErrorCode,
  missingChunksResponse,
  parseContentDigest,
  sessionParamsResponse,
  snapshotResponse,
  snapshotSummary,
  snapshotsResponse,
  type CreateAccountRequest,
  type CreateSessionRequest,
  type CreateSnapshotRequest,
  type restoreAccountRequest,
} from '../../core/protocol.ts';
import type { ConsentAction, ConsentPurpose } from '../../core/policy/ledger.ts';
import { withRetry, type RetryOptions } from './retry.ts';

export interface ApiClientOptions {
  /** The server's origin, e.g. "https://kura.example" or "" for the page's own. */
  readonly origin: string;
  readonly token?: string;
  readonly fetch?: typeof fetch;
  readonly retry?: RetryOptions;
}

interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly json?: unknown;
  readonly body?: BodyInit;
  readonly headers?: Record<string, string>;
  readonly retry: boolean;
}

export class ApiClient {
  token: string | undefined;
  private readonly origin: string;
  private readonly fetchImpl: typeof fetch;
  private readonly retryOptions: RetryOptions;

  constructor(options: ApiClientOptions) {
    this.origin = options.origin.replace(/\/$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retryOptions = options.retry ?? {};
  }

  health() {
    return this.json({ method: 'GET', path: '/health', retry: true }, healthResponse);
  }

  createAccount(request: CreateAccountRequest) {
    return this.json({ method: 'POST', path: '/accounts', json: request, retry: false }, createAccountResponse);
  }

  sessionParams(email: string) {
    return this.json({ method: 'POST', path: '/sessions/params', json: { email }, retry: true }, sessionParamsResponse);
  }

  createSession(request: CreateSessionRequest) {
    return this.json({ method: 'POST', path: '/sessions', json: request, retry: false }, createSessionResponse);
  }

  async signOut(): Promise<void> {
    await this.done({ method: 'DELETE', path: '/sessions/current', retry: false });
  }

  account() {
    return this.json({ method: 'GET', path: '/account', retry: true }, accountResponse);
  }

  async devices() {
    return (await this.json({ method: 'GET', path: '/devices', retry: true }, devicesResponse)).devices;
  }

  renameDevice(id: DeviceId, name: string) {
    return this.json({ method: 'PATCH', path: `/devices/${id}`, json: { name }, retry: true }, deviceResponse);
  }

  async revokeDevice(id: DeviceId): Promise<void> {
    await this.done({ method: 'DELETE', path: `/devices/${id}`, retry: true });
  }

  /** The ids the server lacks, asked in batches of the protocol's maximum. */
  async missingChunks(ids: readonly ChunkId[]): Promise<ChunkId[]> {
    const missing: ChunkId[] = [];
    for (let at = 0; at < ids.length; at += MAX_MISSING_QUERY) {
      const batch = ids.slice(at, at + MAX_MISSING_QUERY);
      const answer = await this.json({ method: 'POST', path: '/chunks/missing', json: { ids: batch }, retry: true }, missingChunksResponse);
      missing.push(...answer.missing);
    }
    return missing;
  }

  /**
   * Uploads an envelope: whole, in the parts sealEnvelopeParts made, or as a file-backed Blob
   * (staged in OPFS) with the SHA-256 taken when it was staged, so its bytes need not be read into
   * memory again to be sent.
   */
  async putChunk(id: ChunkId, envelope: Bytes | readonly Bytes[] | PreparedBody): Promise<'created' | 'exists'> {
    const prepared = 'body' in envelope ? envelope : { body: new Blob([...(envelope instanceof Uint8Array ? [envelope] : envelope)]), sha256: await sha256Base64(envelope) };
    const response = await this.send({
      method: 'PUT',
      path: `/chunks/${id}`,
      body: prepared.body,
      headers: { 'content-type': 'application/octet-stream', 'content-digest': contentDigestHeader(prepared.sha256) },
      retry: true,
    });
    return response.status === 201 ? 'created' : 'exists';
  }

  /** Downloads an envelope; checks the server's Content-Digest when it sends one. */
  async getChunk(id: ChunkId): Promise<Bytes> {
    const response = await this.send({ method: 'GET', path: `/chunks/${id}`, retry: true });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const claimed = parseContentDigest(response.headers.get('content-digest'));
    if (claimed && (await sha256Base64(bytes)) !== claimed) throw new KuraError('bad-response', { reason: 'digest mismatch', id });
    return bytes;
  }

  async commitSnapshot(request: CreateSnapshotRequest) {
    try {
      return await this.json({ method: 'POST', path: '/snapshots', json: request, retry: true }, snapshotSummary);
    } catch (e) {
      // Retried after a lost acknowledgement: the snapshot is there.
      if (isKuraError(e, 'snapshot-exists') && e.details.retried) return await this.snapshot(request.id);
      throw e;
    }
  }

  async snapshots(filter: { kind?: 'files' | 'records'; deviceId?: DeviceId } = {}) {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    const path = `/snapshots${query.size > 0 ? `?${query}` : ''}`;
    return (await this.json({ method: 'GET', path, retry: true }, snapshotsResponse)).snapshots;
  }

  snapshot(id: SnapshotId) {
    return this.json({ method: 'GET', path: `/snapshots/${id}`, retry: true }, snapshotResponse);
  }

  async deleteSnapshot(id: SnapshotId): Promise<void> {
    await this.done({ method: 'DELETE', path: `/snapshots/${id}`, retry: true });
  }

  // --- Privacy (issue 7) --------------------------------------------------------------------------

  policy(lang?: 'en' | 'ja') {
    return this.json({ method: 'GET', path: `/policy${lang ? `?lang=${lang}` : ''}`, retry: true }, policyResponse);
  }

  consents() {
    return this.json({ method: 'GET', path: '/consents', retry: true }, consentsResponse);
  }

  /** Not retried: a lost answer is seen on the next call as a head that moved (consent-chain-broken). */
  appendConsent(request: { purpose: ConsentPurpose; action: ConsentAction; policyVersion: number; screenVersion: string; prevHash: string }) {
    return this.json({ method: 'POST', path: '/consents', json: request, retry: false }, appendConsentResponse);
  }

  consentReceipt(lang: 'en' | 'ja') {
    return this.json({ method: 'GET', path: `/consents/receipt?lang=${lang}`, retry: true }, consentReceiptResponse);
  }

  policyVersion(version: number, lang?: 'en' | 'ja') {
    return this.json({ method: 'GET', path: `/policy/${version}${lang ? `?lang=${lang}` : ''}`, retry: true }, policyResponse);
  }

  /** The exact JSON text the user previewed (usage.ts), sent as is. */
  async sendStats(payload: string): Promise<void> {
    await this.done({ method: 'POST', path: '/stats', body: payload, headers: { 'content-type': 'application/json' }, retry: false });
  }

  /** The disclosure archive, as the server wrote it (JSON text). */
  exportAccount(): Promise<string> {
    return this.text({ method: 'GET', path: '/account/export', retry: true });
  }

  changeEmail(email: string) {
    return this.json({ method: 'POST', path: '/account/email', json: { email }, retry: false }, emailChangeResponse);
  }

  confirmEmail(code: string) {
    return this.json({ method: 'POST', path: '/account/email/confirm', json: { code }, retry: false }, accountResponse);
  }

  suspendAccount() {
    return this.json({ method: 'POST', path: '/account/suspend', retry: true }, accountResponse);
  }

  resumeAccount() {
    return this.json({ method: 'POST', path: '/account/resume', retry: true }, accountResponse);
  }

  deleteAccount(authKey: string) {
    return this.json({ method: 'POST', path: '/account/delete', json: { authKey }, retry: false }, deleteAccountResponse);
  }

  /** A pending deletion's undo, first call: proves the recovery key, returns the recovery wrap. */
  restoreKey(email: string, recoveryAuthKey: string) {
    return this.json({ method: 'POST', path: '/account/restore/key', json: { email, recoveryAuthKey }, retry: true }, restoreKeyResponse);
  }

  /** The undo, second call: the master key re-wrapped under a new passphrase; answers as a sign-in. */
  restoreAccount(request: z.input<typeof restoreAccountRequest>) {
    return this.json({ method: 'POST', path: '/account/restore', json: request, retry: false }, createSessionResponse);
  }

  accessLog(query: AccessLogQuery) {
    return this.json({ method: 'GET', path: `/account/access-log?${accessLogParams(query, 'json')}`, retry: true }, accessLogResponse);
  }

  /** The access log as the server's CSV (or JSON) text, for saving. */
  accessLogFile(query: AccessLogQuery, format: 'csv' | 'json'): Promise<string> {
    return this.text({ method: 'GET', path: `/account/access-log?${accessLogParams(query, format)}`, retry: true });
  }

  async inquiries() {
    return (await this.json({ method: 'GET', path: '/inquiries', retry: true }, inquiriesResponse)).inquiries;
  }

  createInquiry(request: { category: string; message: string; attachments?: { name: string; type: string; data: string }[] }) {
    return this.json({ method: 'POST', path: '/inquiries', json: request, retry: false }, inquiryResponse);
  }

  async externalServices() {
    return (await this.json({ method: 'GET', path: '/external-services', retry: true }, externalServicesResponse)).services;
  }

  async disconnectExternal(id: string): Promise<void> {
    await this.done({ method: 'POST', path: `/external-services/${encodeURIComponent(id)}/disconnect`, retry: true });
  }

  private async text(call: Call): Promise<string> {
    return (await this.send(call)).text();
  }

  private async json<S extends z.ZodType>(call: Call, schema: S): Promise<z.output<S>> {
    const response = await this.send(call);
    let value: unknown;
    try {
      value = await response.json();
    } catch (e) {
      throw new KuraError('bad-response', { status: response.status, path: call.path }, e);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new KuraError('bad-response', { status: response.status, path: call.path }, parsed.error);
    return parsed.data;
  }

  /** A request whose success has no body; a DELETE retried after a lost answer counts as done. */
  private async done(call: Call): Promise<void> {
    try {
      await this.send(call);
    } catch (e) {
      if (call.method === 'DELETE' && isKuraError(e, 'not-found') && e.details.retried) return;
      throw e;
    }
  }

  private send(call: Call): Promise<Response> {
    const once = (attempt: number) => this.sendOnce(call, attempt);
    return call.retry ? withRetry(once, this.retryOptions) : once(0);
  }

  private async sendOnce(call: Call, attempt: number): Promise<Response> {
    const headers: Record<string, string> = { ...call.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body = call.body;
    if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.origin}${API_PREFIX}${call.path}`, { method: call.method, headers, body: body ?? null });
    } catch (e) {
      throw new KuraError('network-unavailable', { path: call.path }, e);
    }
    if (response.ok) return response;
    throw await errorFrom(response, call.path, attempt > 0);
  }
}

export interface AccessLogQuery {
  readonly from?: number;
  readonly to?: number;
  readonly deviceId?: string;
  readonly action?: string;
  readonly offset?: number;
  readonly limit?: number;
}

function accessLogParams(query: AccessLogQuery, format: 'csv' | 'json'): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  params.set('format', format);
  return params;
}

/** The KuraError for an error response: the API's own code when it sent one. */
async function errorFrom(response: Response, path: string, retried: boolean): Promise<KuraError> {
  const details: Record<string, unknown> = { status: response.status, path, retried };
  const retryAfter = Number(response.headers.get('retry-after'));
  if (retryAfter > 0) details.retryAfterSeconds = retryAfter;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new KuraError(response.status >= 500 ? 'internal' : 'bad-response', details);
  }
  const parsed = errorResponse.safeParse(body);
  if (!parsed.success || !isApiErrorCode(parsed.data.error.code)) {
    return new KuraError(response.status >= 500 ? 'internal' : 'bad-response', details);
  }
  if (parsed.data.error.missing) details.missing = parsed.data.error.missing;
  return new KuraError(parsed.data.error.code, details);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** A body ready to send: bytes (or a file) and their SHA-256, base64, for Content-Digest. */
export interface PreparedBody {
  readonly body: Blob;
  readonly sha256: string;
}

let hasher: Awaited<ReturnType<typeof createSHA256>> | undefined;

/**
 * SHA-256 of bytes given whole or in parts, base64 (hash-wasm: WebCrypto's digest is one-shot).
 * One hasher is made once and reset for each call: making one costs more than hashing a chunk,
 * and nothing awaits between its reset and its digest, so calls cannot interleave.
 */
export async function sha256Base64(bytes: Bytes | readonly Bytes[]): Promise<string> {
  const sha = (hasher ??= await createSHA256());
  sha.init();
  for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) sha.update(part);
  return toBase64(sha.digest('binary'));
}
