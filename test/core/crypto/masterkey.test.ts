import { describe, expect, test } from 'vitest';
import { toHex } from '../../../src/core/bytes.ts';
import { newAccountId } from '../../../src/core/ids.ts';
import { splitStretched, type KdfParams } from '../../../src/core/crypto/kdf.ts';
import {
  WRAPPED_KEY_BYTES,
  createMasterKey,
  unwrapMasterKey,
  wrapMasterKey,
  type WrapContext,
} from '../../../src/core/crypto/masterkey.ts';
import { createRecoveryKey, deriveRecoveryKeys } from '../../../src/core/crypto/recovery.ts';
import { codeOf } from '../helpers.ts';

// Argon2 itself is covered elsewhere; here the stretched output is fixed so each case is fast.
const keysFrom = (byte: number) => splitStretched(new Uint8Array(64).fill(byte));
const kdf: KdfParams = { alg: 'argon2id', m: 65536, t: 3, p: 1, salt: new Uint8Array(16).fill(1) };
const accountId = newAccountId();
const ctx: WrapContext = { purpose: 'passphrase', accountId, kdf };

describe('master key wrapping', () => {
  test('unwraps to the same key under the same passphrase keys and context', async () => {
    const mk = createMasterKey();
    const { wrapKey } = await keysFrom(1);
    const wrapped = await wrapMasterKey(mk, wrapKey, ctx);
    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(toHex(await unwrapMasterKey(wrapped, (await keysFrom(1)).wrapKey, ctx))).toBe(toHex(mk));
  });

  test('two wraps of one key differ (fresh IV each time)', async () => {
    const mk = createMasterKey();
    const { wrapKey } = await keysFrom(1);
    expect(toHex(await wrapMasterKey(mk, wrapKey, ctx))).not.toBe(toHex(await wrapMasterKey(mk, wrapKey, ctx)));
  });

  describe('refuses, with unwrap-failed and no key', () => {
    const cases: [string, Partial<KdfParams> | null, WrapContext | null, number | null][] = [
      ['a wrong passphrase', null, null, null],
      ['KDF memory lowered by the server', { m: 32768 }, null, null],
      ['KDF time altered', { t: 4 }, null, null],
      ['another salt', { salt: new Uint8Array(16).fill(2) }, null, null],
      ['another account id', null, { purpose: 'passphrase', accountId: newAccountId(), kdf }, null],
      ['the recovery context', null, { purpose: 'recovery', accountId }, null],
      ['a bit flipped in the IV', null, null, 3],
      ['a bit flipped in the ciphertext', null, null, 20],
      ['a bit flipped in the tag', null, null, WRAPPED_KEY_BYTES - 1],
    ];
    test.each(cases)('%s', async (name, kdfChange, otherCtx, flip) => {
      const mk = createMasterKey();
      const wrapped = await wrapMasterKey(mk, (await keysFrom(1)).wrapKey, ctx);
      if (flip !== null) wrapped[flip]! ^= 0x01;
      const wrapKey = (await keysFrom(name === 'a wrong passphrase' ? 2 : 1)).wrapKey;
      const openCtx = otherCtx ?? (kdfChange ? { ...ctx, kdf: { ...kdf, ...kdfChange } } : ctx);
      expect(await codeOf(unwrapMasterKey(wrapped, wrapKey, openCtx))).toBe('unwrap-failed');
    });
  });

  test('rejects a truncated or unknown-version wrap as malformed, not as a wrong passphrase', async () => {
    const wrapped = await wrapMasterKey(createMasterKey(), (await keysFrom(1)).wrapKey, ctx);
    const { wrapKey } = await keysFrom(1);
    expect(await codeOf(unwrapMasterKey(wrapped.subarray(0, 40), wrapKey, ctx))).toBe('envelope-malformed');
    const future = wrapped.slice();
    future[0] = 2;
    expect(await codeOf(unwrapMasterKey(future, wrapKey, ctx))).toBe('envelope-unsupported-version');
  });

  test('the recovery key wraps the same master key independently of the passphrase', async () => {
    const mk = createMasterKey();
    const recovery = createRecoveryKey();
    const recoveryCtx: WrapContext = { purpose: 'recovery', accountId };
    const wrapped = await wrapMasterKey(mk, (await deriveRecoveryKeys(recovery)).wrapKey, recoveryCtx);
    const back = await unwrapMasterKey(wrapped, (await deriveRecoveryKeys(recovery)).wrapKey, recoveryCtx);
    expect(toHex(back)).toBe(toHex(mk));
    const other = await deriveRecoveryKeys(createRecoveryKey());
    expect(await codeOf(unwrapMasterKey(wrapped, other.wrapKey, recoveryCtx))).toBe('unwrap-failed');
  });

  test('passphrase and recovery authenticators are 32 bytes and unrelated', async () => {
    const recovery = await deriveRecoveryKeys(createRecoveryKey());
    const passphrase = await keysFrom(1);
    expect(recovery.authKey).toHaveLength(32);
    expect(toHex(recovery.authKey)).not.toBe(toHex(passphrase.authKey));
  });
});
