/**
 * The account as this device keeps it between visits (DESIGN.md section 3): the device's identity,
 * the session token, and the master key in two forms, never in the clear:
 * - wrapped under the passphrase exactly as the server holds it (with its KDF parameters), so the
 *   passphrase unlocks the app offline;
 * - with "remember this device", wrapped under a device key: a non-extractable AES-GCM CryptoKey
 *   that IndexedDB stores but no script can read out, so reopening the app needs no passphrase.
 * Locking forgets the unwrapped keys in memory; signing out here forgets all of it.
 */
import { concatBytes, fromBase64Url, utf8, type Bytes } from '../../core/bytes.ts';
import { derivePassphraseKeys, hashWasmArgon2, type Argon2 } from '../../core/crypto/kdf.ts';
import { unwrapMasterKey } from '../../core/crypto/masterkey.ts';
import { randomBytes } from '../../core/crypto/random.ts';
import { deriveAccountKeys } from '../../core/crypto/subkeys.ts';
import { KuraError } from '../../core/errors.ts';
import { idBytes, newDeviceId, type AccountId, type DeviceId } from '../../core/ids.ts';
import { kdfFromWire, type DeviceInfo, type KdfWire } from '../../core/protocol.ts';
import type { KuraDb } from '../db/database.ts';
import type { UnlockedAccount } from './flows.ts';

const DEVICE = 'device';
const ACCOUNT = 'account';
/** Set by a sign-out that kept unsent backups: the account they belong to. */
export const HELD_FOR = 'held-for-account';

interface StoredAccount {
  readonly accountId: AccountId;
  readonly email: string;
  readonly deviceId: DeviceId;
  readonly token: string;
  readonly passphraseWrap: { readonly kdf: KdfWire; readonly wrappedMasterKey: string };
  readonly remembered?: { readonly deviceKey: CryptoKey; readonly iv: Bytes; readonly sealed: Bytes };
}

/** A short, human name for this machine and its model, from what the browser tells. */
export function describeThisDevice(nav: { userAgent: string; userAgentData?: { platform?: string } } = globalThis.navigator): { name: string; model: string } {
  const platform = nav.userAgentData?.platform || /\(([^;)]+)/.exec(nav.userAgent)?.[1] || '';
  const name = /CrOS|Chrome OS/i.test(nav.userAgent + platform)
    ? 'Chromebook'
    : /Mac/i.test(platform)
      ? 'Mac'
      : /Win/i.test(platform)
        ? 'Windows PC'
        : /Linux|X11/i.test(platform)
          ? 'Linux PC'
          : 'Browser';
  const browser = /Edg\//.test(nav.userAgent) ? 'Edge' : /Firefox\//.test(nav.userAgent) ? 'Firefox' : /Chrome\//.test(nav.userAgent) ? 'Chrome' : /Safari\//.test(nav.userAgent) ? 'Safari' : 'browser';
  return { name, model: `${platform || name} · ${browser}`.slice(0, 100) };
}

/** This install's identity: a random id made once, with a name the user may change. */
export async function deviceIdentity(db: KuraDb, describe = describeThisDevice): Promise<DeviceInfo> {
  const stored = (await db.settings.get(DEVICE))?.value as DeviceInfo | undefined;
  if (stored) return stored;
  const identity: DeviceInfo = { id: newDeviceId(), ...describe() };
  await db.settings.put({ key: DEVICE, value: identity });
  return identity;
}

/**
 * Keeps a signed-in account on this device. Unsent backups another account left here (signed out
 * with "keep") must be sent by it or erased first: refused with held-for-another-account.
 */
export async function keepAccount(db: KuraDb, account: UnlockedAccount, remember: boolean): Promise<void> {
  const heldFor = (await db.settings.get(HELD_FOR))?.value as AccountId | undefined;
  if (heldFor && heldFor !== account.accountId && (await db.outbox.count()) > 0) throw new KuraError('held-for-another-account');
  await db.settings.delete(HELD_FOR);
  await forgetAnotherAccountsCopies(db, account.accountId);
  const stored: StoredAccount = {
    accountId: account.accountId,
    email: account.email,
    deviceId: account.deviceId,
    token: account.token,
    passphraseWrap: account.passphraseWrap,
    ...(remember ? { remembered: await sealUnderDeviceKey(account.accountId, account.masterKey) } : {}),
  };
  await db.settings.put({ key: ACCOUNT, value: stored });
}

const LAST_ACCOUNT = 'last-account';

/**
 * What this device keeps of the last account's backups to work offline (its newest record sets,
 * sealed record batches, the cached snapshot list) is of no use to another account, which could
 * not even open it: dropped when a different account signs in.
 */
async function forgetAnotherAccountsCopies(db: KuraDb, accountId: AccountId): Promise<void> {
  const last = (await db.settings.get(LAST_ACCOUNT))?.value as AccountId | undefined;
  if (last !== undefined && last !== accountId) {
    await db.transaction('rw', [db.settings, db.recordBatches, db.snapshots], async () => {
      const heads = (await db.settings.toCollection().primaryKeys()).filter((key) => key.startsWith('records-head:'));
      await db.settings.bulkDelete(heads);
      await Promise.all([db.recordBatches.clear(), db.snapshots.clear()]);
    });
  }
  await db.settings.put({ key: LAST_ACCOUNT, value: accountId });
}

/** Turns "remember this device" on (with the unlocked master key) or off. */
export async function setRemembered(db: KuraDb, account: UnlockedAccount | undefined): Promise<void> {
  const stored = await storedAccount(db);
  if (!stored) return;
  const { remembered: _dropped, ...rest } = stored;
  const next: StoredAccount = account ? { ...rest, remembered: await sealUnderDeviceKey(stored.accountId, account.masterKey) } : rest;
  await db.settings.put({ key: ACCOUNT, value: next });
}

/** Opens without a passphrase when this device is remembered; undefined otherwise. */
export async function unlockRemembered(db: KuraDb): Promise<UnlockedAccount | undefined> {
  const stored = await storedAccount(db);
  if (!stored?.remembered) return undefined;
  const { deviceKey, iv, sealed } = stored.remembered;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: deviceAad(stored.accountId) }, deviceKey, sealed);
    return toUnlocked(stored, new Uint8Array(plain));
  } catch (e) {
    throw new KuraError('unwrap-failed', { purpose: 'device' }, e);
  }
}

/** Unlocks with the passphrase, offline: the KDF and the wrap are the ones kept at sign-in. */
export async function unlockWithPassphrase(db: KuraDb, passphrase: string, argon2: Argon2 = hashWasmArgon2): Promise<UnlockedAccount> {
  const stored = await storedAccount(db);
  if (!stored) throw new KuraError('unauthenticated', { reason: 'no account on this device' });
  const params = kdfFromWire(stored.passphraseWrap.kdf);
  const { wrapKey } = await derivePassphraseKeys(passphrase, params, argon2);
  const wrapped = fromBase64Url(stored.passphraseWrap.wrappedMasterKey) ?? new Uint8Array(0);
  const masterKey = await unwrapMasterKey(wrapped, wrapKey, { purpose: 'passphrase', accountId: stored.accountId, kdf: params });
  return toUnlocked(stored, masterKey);
}

/** Signing out on this device: the account, its token and every wrapped key are forgotten. */
export async function forgetAccount(db: KuraDb): Promise<void> {
  await db.settings.delete(ACCOUNT);
}

export async function storedAccount(db: KuraDb): Promise<StoredAccount | undefined> {
  return (await db.settings.get(ACCOUNT))?.value as StoredAccount | undefined;
}

async function toUnlocked(stored: StoredAccount, masterKey: Bytes): Promise<UnlockedAccount> {
  return {
    accountId: stored.accountId,
    email: stored.email,
    deviceId: stored.deviceId,
    masterKey,
    keys: await deriveAccountKeys(masterKey),
    token: stored.token,
    passphraseWrap: stored.passphraseWrap,
  };
}

function deviceAad(accountId: AccountId): Bytes {
  return concatBytes(utf8('kura/device-wrap/v1'), idBytes(accountId));
}

async function sealUnderDeviceKey(accountId: AccountId, masterKey: Bytes) {
  const deviceKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = randomBytes(12);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: deviceAad(accountId) }, deviceKey, masterKey));
  return { deviceKey, iv, sealed };
}
