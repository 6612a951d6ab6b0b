import { describe, expect, test } from 'vitest';
import { equalBytes, type Bytes } from '../../../src/core/bytes.ts';
import {
  KDF_FLOOR,
  KDF_TARGET,
  checkKdfParams,
  createPassphraseKeys,
  derivePassphraseKeys,
  kdfLadder,
  type Argon2,
  type KdfParams,
} from '../../../src/core/crypto/kdf.ts';
import { codeOf } from '../helpers.ts';

const salt = new Uint8Array(16).fill(7);
const floor: KdfParams = { alg: 'argon2id', ...KDF_FLOOR, salt };

/** A stand-in Argon2 that fails to allocate above a memory limit and records what it was asked. */
function limitedArgon2(limitKiB: number, calls: KdfParams[]): Argon2 {
  return async (passphrase, params, length) => {
    calls.push(params);
    if (params.m > limitKiB) throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    const out = new Uint8Array(length);
    out.set(passphrase.subarray(0, length));
    out[length - 1] = params.m & 0xff;
    return out;
  };
}

describe('KDF parameter policy', () => {
  test('the ladder starts at the target and halves memory while doubling time, down to the floor', () => {
    expect(kdfLadder()).toEqual([
      { m: KDF_TARGET.m, t: 3, p: 1 },
      { m: KDF_TARGET.m / 2, t: 6, p: 1 },
      { m: KDF_FLOOR.m, t: 12, p: 1 },
    ]);
  });

  test.each([
    ['memory below the floor', { m: KDF_FLOOR.m - 1 }],
    ['time below the floor', { t: 2 }],
    ['parallelism of zero', { p: 0 }, 'kdf-params-invalid'],
  ])('refuses %s before doing any work', async (_name, change, code = 'kdf-params-below-floor') => {
    const calls: KdfParams[] = [];
    expect(await codeOf(derivePassphraseKeys('pw', { ...floor, ...change }, limitedArgon2(Infinity, calls)))).toBe(code);
    expect(calls).toHaveLength(0);
  });

  test.each([
    ['absurd memory', { m: 2 ** 24 }],
    ['absurd time', { t: 10_000 }],
    ['a short salt', { salt: new Uint8Array(8) }],
    ['another algorithm', { alg: 'argon2i' }],
    ['fractional memory', { m: 65536.5 }],
  ])('refuses %s as invalid', (_name, change) => {
    expect(() => checkKdfParams({ ...floor, ...change } as KdfParams)).toThrowError(
      expect.objectContaining({ code: 'kdf-params-invalid' }),
    );
  });

  test('a new account takes the strongest step the device can allocate', async () => {
    const calls: KdfParams[] = [];
    const { params } = await createPassphraseKeys('pw', limitedArgon2(100 * 1024, calls));
    expect(calls.map((c) => [c.m, c.t])).toEqual([
      [KDF_TARGET.m, 3],
      [KDF_TARGET.m / 2, 6],
      [KDF_FLOOR.m, 12],
    ]);
    expect([params.m, params.t, params.p]).toEqual([KDF_FLOOR.m, 12, 1]);
    expect(params.salt).toHaveLength(16);
  });

  test('gives up with kdf-out-of-memory when even the floor cannot be allocated', async () => {
    expect(await codeOf(createPassphraseKeys('pw', limitedArgon2(1024, [])))).toBe('kdf-out-of-memory');
  });

  test('other Argon2 failures are not mistaken for lack of memory', async () => {
    const broken: Argon2 = async () => {
      throw new TypeError('bad input');
    };
    await expect(createPassphraseKeys('pw', broken)).rejects.toThrow(TypeError);
  });
});

describe('passphrase keys with the real Argon2id at the floor', () => {
  const derive = (passphrase: string, params = floor) => derivePassphraseKeys(passphrase, params);
  const same = (a: Bytes, b: Bytes) => equalBytes(a, b);

  test('are deterministic for one passphrase and salt, and differ otherwise', async () => {
    const [a, b, other, otherSalt] = await Promise.all([
      derive('correct horse battery staple'),
      derive('correct horse battery staple'),
      derive('correct horse battery stapler'),
      derive('correct horse battery staple', { ...floor, salt: new Uint8Array(16).fill(8) }),
    ]);
    expect(a.authKey).toHaveLength(32);
    expect(same(a.authKey, b.authKey)).toBe(true);
    expect(same(a.authKey, other.authKey)).toBe(false);
    expect(same(a.authKey, otherSalt.authKey)).toBe(false);
    expect(a.wrapKey.extractable).toBe(false);
  });

  test('full-width input from a Japanese IME gives the same key as half-width (NFKC)', async () => {
    const [half, full] = await Promise.all([derive('kura2026 蔵'), derive('ｋｕｒａ２０２６\u3000蔵')]);
    expect(same(half.authKey, full.authKey)).toBe(true);
  });
});
