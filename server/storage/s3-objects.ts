/**
 * An ObjectStore on any S3-compatible service (AWS S3, Ceph radosgw, …): one object per chunk
 * envelope at `<prefix>/<account>/<chunk id>` in one bucket.
 *
 * [Note: S3 writes]
 * A single PutObject is atomic (readers see the old object or the whole new one, never a part)
 * and acknowledged only once stored durably, which is what the port asks of `put`. Two concurrent
 * puts of one key leave one whole object: the last to land wins.
 *
 * The put is deliberately unconditional (no `If-None-Match: *`). A chunk id names the chunk, not
 * the envelope's bytes (a fresh seal of the same chunk is other bytes), and the server calls
 * `put` only for a chunk it does not hold or holds corrupt (routes/chunks.ts). The re-upload of a
 * corrupt chunk must replace the bad object; a conditional put would answer 412, keep the bad
 * bytes, and the chunk could never be repaired. The port's contract says so too ("replacing an
 * existing object is atomic").
 *
 * The client is set for S3-compatible servers: path-style addressing, and checksums only where
 * an operation requires one (recent SDKs otherwise send aws-chunked streaming checksums that
 * radosgw refuses with 411 MissingContentLength). No Content-MD5 is sent: PutObject does not
 * require it, and the server checks every read against the SHA-256 recorded at upload anyway.
 */
import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { asBytes, type Bytes } from '../../src/core/bytes.ts';
import type { AccountId, ChunkId } from '../../src/core/ids.ts';
import type { ObjectStore } from './ports.ts';

export interface S3ObjectStoreOptions {
  /** The service's URL, e.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:7480`. */
  readonly endpoint: string;
  readonly bucket: string;
  /** The signing region; S3-compatible servers mostly accept `us-east-1`. */
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Key prefix, so one bucket can hold other things too; `chunks` when absent. */
  readonly prefix?: string;
}

export const DEFAULT_S3_PREFIX = 'chunks';
export const DEFAULT_S3_REGION = 'us-east-1';

export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? DEFAULT_S3_PREFIX).replace(/^\/+|\/+$/g, '');
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** A store from KURA_S3_* variables (see s3OptionsFromEnv), or undefined when none is set. */
  static fromEnv(env: Record<string, string | undefined> = process.env): S3ObjectStore | undefined {
    const options = s3OptionsFromEnv(env);
    return options && new S3ObjectStore(options);
  }

  /** The object key of a chunk: `<prefix>/<account>/<chunk id>`. */
  key(accountId: AccountId, id: ChunkId): string {
    return this.prefix ? `${this.prefix}/${accountId}/${id}` : `${accountId}/${id}`;
  }

  async put(accountId: AccountId, id: ChunkId, bytes: Uint8Array): Promise<void> {
    // Unconditional on purpose: see [Note: S3 writes].
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(accountId, id),
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async get(accountId: AccountId, id: ChunkId): Promise<Bytes | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(accountId, id) }));
      if (!answer.Body) throw new Error(`S3 GetObject ${this.key(accountId, id)} answered without a body`);
      return asBytes(await answer.Body.transformToByteArray());
    } catch (e) {
      // Only an absent key is "absent": a missing bucket or a denied request must not read as a
      // lost object (the server would mark every chunk corrupt).
      if ((e as { name?: unknown }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  }

  /** Idempotent: S3 answers 204 for a key that is not there. */
  async delete(accountId: AccountId, id: ChunkId): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(accountId, id) }));
  }

  /** Lists the account's keys a page (up to 1,000) at a time and deletes each page in one request. */
  async deleteAccount(accountId: AccountId): Promise<number> {
    const prefix = this.prefix ? `${this.prefix}/${accountId}/` : `${accountId}/`;
    let n = 0;
    for (;;) {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length === 0) return n;
      const { Errors: failed = [] } = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
      // A key S3 would not delete is listed again next time round: fail now rather than loop forever.
      if (failed.length > 0) throw new Error(`S3 refused to delete ${failed.length} object(s) of the account, e.g. ${failed[0]!.Key}: ${failed[0]!.Code ?? ''} ${failed[0]!.Message ?? ''}`);
      n += keys.length;
    }
  }

  /**
   * Nothing to sweep: every object is written by one PutObject, which is atomic, so an interrupted
   * write leaves no partial object and no temp file (and no multipart uploads are ever started, so
   * none can be left incomplete).
   */
  async sweep(): Promise<number> {
    return 0;
  }

  /** Closes the client's pooled connections (not part of the port; for tests and shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}

/**
 * S3 settings from the environment: `KURA_S3_ENDPOINT`, `KURA_S3_BUCKET`, `KURA_S3_REGION`
 * (default us-east-1), `KURA_S3_PREFIX` (default `chunks`), and the keys from
 * `KURA_S3_ACCESS_KEY`/`KURA_S3_SECRET_KEY` or else `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`.
 * Undefined when neither KURA_S3_ENDPOINT nor KURA_S3_BUCKET is set (S3 not configured); throws,
 * naming what is missing, when S3 is configured only in part.
 */
export function s3OptionsFromEnv(env: Record<string, string | undefined>): S3ObjectStoreOptions | undefined {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const endpoint = get('KURA_S3_ENDPOINT');
  const bucket = get('KURA_S3_BUCKET');
  if (endpoint === undefined && bucket === undefined) return undefined;
  const accessKeyId = get('KURA_S3_ACCESS_KEY') ?? get('AWS_ACCESS_KEY_ID');
  const secretAccessKey = get('KURA_S3_SECRET_KEY') ?? get('AWS_SECRET_ACCESS_KEY');
  const missing = [
    endpoint === undefined && 'KURA_S3_ENDPOINT',
    bucket === undefined && 'KURA_S3_BUCKET',
    accessKeyId === undefined && 'KURA_S3_ACCESS_KEY (or AWS_ACCESS_KEY_ID)',
    secretAccessKey === undefined && 'KURA_S3_SECRET_KEY (or AWS_SECRET_ACCESS_KEY)',
  ].filter((m): m is string => m !== false);
  if (missing.length > 0 || !endpoint || !bucket || !accessKeyId || !secretAccessKey) {
    throw new Error(`S3 storage is configured only in part: set ${missing.join(', ')}`);
  }
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new Error(`KURA_S3_ENDPOINT must be an http(s) URL, not "${endpoint}"`);
  }
  const prefix = get('KURA_S3_PREFIX');
  return {
    endpoint,
    bucket,
    region: get('KURA_S3_REGION') ?? DEFAULT_S3_REGION,
    accessKeyId,
    secretAccessKey,
    ...(prefix === undefined ? {} : { prefix }),
  };
}
