/**
 * The S3 ObjectStore against a real S3 server: the contract suite plus S3's own cases. Runs when
 * KURA_TEST_S3_ENDPOINT is set (`eval "$(.ci/ceph-s3)"` starts a Ceph radosgw and sets it), in a
 * bucket of its own that it empties and deletes afterwards; skipped otherwise. The settings parser
 * is tested always.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newAccountId, type ChunkId } from '../../../src/core/ids.ts';
import { S3ObjectStore, s3OptionsFromEnv, type S3ObjectStoreOptions } from '../../../server/storage/s3-objects.ts';
import { objectStoreContract } from './contract.ts';

const chunkId = (): ChunkId => randomBytes(32).toString('hex') as ChunkId;
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

const env = process.env;
const endpoint = env.KURA_TEST_S3_ENDPOINT;
const options: S3ObjectStoreOptions | undefined = endpoint
  ? {
      endpoint,
      // One bucket per run, named after the one the script made (bucket names: ≤ 63, lowercase).
      bucket: `${env.KURA_TEST_S3_BUCKET || 'kura-test'}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
      region: env.KURA_TEST_S3_REGION || 'us-east-1',
      accessKeyId: env.KURA_TEST_S3_ACCESS_KEY ?? '',
      secretAccessKey: env.KURA_TEST_S3_SECRET_KEY ?? '',
      prefix: 'test/chunks',
    }
  : undefined;

if (options) {
  describe(`S3 object store at ${options.endpoint}`, () => s3Suite(options));
} else {
  describe.skip('S3 object store: skipped, KURA_TEST_S3_ENDPOINT is not set (eval "$(.ci/ceph-s3)" starts a real one)', () => {
    test('needs a real S3 server', () => undefined);
  });
}

function s3Suite(opts: S3ObjectStoreOptions): void {
  const stores: S3ObjectStore[] = [];
  const open = (extra: Partial<S3ObjectStoreOptions> = {}) => {
    const store = new S3ObjectStore({ ...opts, ...extra });
    stores.push(store);
    return store;
  };
  const raw = new S3Client({
    endpoint: opts.endpoint,
    region: opts.region,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const keysUnder = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await raw.send(new ListObjectsV2Command({ Bucket: opts.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  };

  beforeAll(async () => {
    await raw.send(new CreateBucketCommand({ Bucket: opts.bucket }));
  });
  afterAll(async () => {
    for (const key of await keysUnder('')) await raw.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: key }));
    await raw.send(new DeleteBucketCommand({ Bucket: opts.bucket }));
    for (const s of stores) s.destroy();
    raw.destroy();
  });

  objectStoreContract('S3', () => ({ store: open() }));

  test('two concurrent puts of one id both succeed and leave one object, at <prefix>/<account>/<id>', async () => {
    const store = open();
    const a = newAccountId();
    const id = chunkId();
    const bytes = randomBytes(100_000);
    const results = await Promise.allSettled([store.put(a, id, bytes), store.put(a, id, bytes)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await keysUnder(`test/chunks/${a}/`)).toEqual([`test/chunks/${a}/${id}`]);
    expect(hex(await store.get(a, id))).toBe(hex(bytes));
  });

  test('a re-upload replaces a corrupt object (the put is not conditional)', async () => {
    const store = open();
    const a = newAccountId();
    const id = chunkId();
    await raw.send(new PutObjectCommand({ Bucket: opts.bucket, Key: store.key(a, id), Body: new Uint8Array([0xde, 0xad]) }));
    const good = randomBytes(5000);
    await store.put(a, id, good);
    expect(hex(await store.get(a, id))).toBe(hex(good));
  });

  test('an empty prefix keys objects by account and id alone', async () => {
    const store = open({ prefix: '' });
    const a = newAccountId();
    const id = chunkId();
    await store.put(a, id, new Uint8Array([1]));
    expect(await keysUnder(`${a}/`)).toEqual([`${a}/${id}`]);
    await store.delete(a, id);
    expect(await keysUnder(`${a}/`)).toEqual([]);
  });

  test('a missing bucket is an error, never an absent object', async () => {
    const store = open({ bucket: `${opts.bucket}-absent` });
    const [a, id] = [newAccountId(), chunkId()];
    await expect(store.get(a, id)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(store.put(a, id, new Uint8Array([1]))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  test('wrong credentials are an error, never an absent object', async () => {
    const store = open({ secretAccessKey: 'wrong' });
    await expect(store.get(newAccountId(), chunkId())).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });
}

describe('S3 settings from the environment', () => {
  const full = {
    KURA_S3_ENDPOINT: 'http://127.0.0.1:7480',
    KURA_S3_BUCKET: 'kura',
    AWS_ACCESS_KEY_ID: 'AK',
    AWS_SECRET_ACCESS_KEY: 'SK',
  };

  test('unset means S3 is not configured', () => {
    expect(s3OptionsFromEnv({})).toBeUndefined();
    expect(s3OptionsFromEnv({ KURA_S3_ENDPOINT: '', AWS_ACCESS_KEY_ID: 'AK' })).toBeUndefined();
  });

  test('reads every setting, with defaults for region and prefix', () => {
    expect(s3OptionsFromEnv(full)).toEqual({ endpoint: 'http://127.0.0.1:7480', bucket: 'kura', region: 'us-east-1', accessKeyId: 'AK', secretAccessKey: 'SK' });
    expect(s3OptionsFromEnv({ ...full, KURA_S3_REGION: 'eu-central-1', KURA_S3_PREFIX: 'p', KURA_S3_ACCESS_KEY: 'K2', KURA_S3_SECRET_KEY: 'S2' })).toEqual({
      endpoint: 'http://127.0.0.1:7480',
      bucket: 'kura',
      region: 'eu-central-1',
      prefix: 'p',
      accessKeyId: 'K2',
      secretAccessKey: 'S2',
    });
  });

  test('a partial or malformed configuration is refused, naming what is missing', () => {
    expect(() => s3OptionsFromEnv({ KURA_S3_BUCKET: 'kura' })).toThrow(/KURA_S3_ENDPOINT, KURA_S3_ACCESS_KEY \(or AWS_ACCESS_KEY_ID\), KURA_S3_SECRET_KEY/);
    expect(() => s3OptionsFromEnv({ ...full, AWS_SECRET_ACCESS_KEY: undefined })).toThrow(/KURA_S3_SECRET_KEY/);
    expect(() => s3OptionsFromEnv({ ...full, KURA_S3_ENDPOINT: '127.0.0.1:7480' })).toThrow(/http\(s\) URL/);
  });

  test('the store keys objects under the prefix, trimmed of slashes', () => {
    const a = newAccountId();
    const id = chunkId();
    const store = new S3ObjectStore({ ...s3OptionsFromEnv(full)!, prefix: '/kura/chunks/' });
    expect(store.key(a, id)).toBe(`kura/chunks/${a}/${id}`);
    expect(new S3ObjectStore(s3OptionsFromEnv(full)!).key(a, id)).toBe(`chunks/${a}/${id}`);
    expect(S3ObjectStore.fromEnv({})).toBeUndefined();
  });
});

test('deleting an account fails with the key S3 refused, instead of listing it again forever', async () => {
  const store = new S3ObjectStore({ endpoint: 'http://127.0.0.1:9', bucket: 'b', region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 's' });
  const sent: string[] = [];
  // Stands in for an S3 that lists one key and will not delete it (a lock, a policy, a bad key).
  (store as unknown as { client: { send(command: object): Promise<unknown> } }).client = {
    send: async (command) => {
      sent.push(command.constructor.name);
      return command instanceof ListObjectsV2Command ? { Contents: [{ Key: 'chunks/x/y' }] } : { Errors: [{ Key: 'chunks/x/y', Code: 'AccessDenied', Message: 'no' }] };
    },
  };
  await expect(store.deleteAccount(newAccountId())).rejects.toThrow(/refused to delete 1 object\(s\).*chunks\/x\/y: AccessDenied no/);
  expect(sent).toEqual(['ListObjectsV2Command', 'DeleteObjectsCommand']);
});
