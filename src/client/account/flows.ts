/**
 * Creating an account and signing in, on the device: every key is derived here, the server gets
 * only proofs (authKey, recoveryAuthKey) and wraps. The order matters and is the same in each flow:
 * check what the server sent (KDF parameters above the floor, answers by schema) before spending
 * work or trusting it, and unwrap the master key under authenticated data that binds the account
 * and the parameters, so a server that swapped either is caught.
 */
import { fromBase64Url, toBase64Url, type Bytes } from '../../core/bytes.ts';
import {
  checkKdfParams,
  createPassphraseKeys,
  derivePassphraseKeys,
  hashWasmArgon2,
  type Argon2,
  type KdfParams,
} from '../../core/crypto/kdf.ts';
import { createMasterKey, unwrapMasterKey, wrapMasterKey } from '../../core/crypto/masterkey.ts';
import { createRecoveryKey, deriveRecoveryKeys, formatRecoveryKey, parseRecoveryKey } from '../../core/crypto/recovery.ts';
import { deriveAccountKeys, type AccountKeys } from '../../core/crypto/subkeys.ts';
import { isKuraError, KuraError } from '../../core/errors.ts';
import { newAccountId, type AccountId, type DeviceId } from '../../core/ids.ts';
import { kdfFromWire, kdfToWire, type DeviceInfo, type KdfWire } from '../../core/protocol.ts';
import type { ApiClient } from '../api/client.ts';
import type { OfferedExternalService } from '../privacy-api.ts';

export interface UnlockedAccount {
  readonly accountId: AccountId;
  readonly email: string;
  readonly deviceId: DeviceId;
  /** Kept only to re-wrap under a device key; never sent anywhere. */
  readonly masterKey: Bytes;
  readonly keys: AccountKeys;
  readonly token: string;
  /** The master key as the server holds it under the passphrase: kept for unlocking offline. */
  readonly passphraseWrap: { readonly kdf: KdfWire; readonly wrappedMasterKey: string };
}

export interface CreatedAccount {
  readonly account: UnlockedAccount;
  /** Shown to the user once: the only way back in if the passphrase is forgotten. */
  readonly recoveryCode: string;
  readonly kdf: KdfParams;
}

interface Common {
  readonly email: string;
  readonly device: DeviceInfo;
  /** Injected by tests; Argon2id in WebAssembly otherwise (call from a worker in the browser). */
  readonly argon2?: Argon2;
}

export async function createAccount(api: ApiClient, input: Common & { readonly passphrase: string }): Promise<CreatedAccount> {
  const accountId = newAccountId();
  const masterKey = createMasterKey();
  const passphrase = await createPassphraseKeys(input.passphrase, input.argon2 ?? hashWasmArgon2);
  const recoveryKey = createRecoveryKey();
  const recovery = await deriveRecoveryKeys(recoveryKey);
  const [wrappedMasterKey, wrappedRecoveryKey] = await Promise.all([
    wrapMasterKey(masterKey, passphrase.wrapKey, { purpose: 'passphrase', accountId, kdf: passphrase.params }),
    wrapMasterKey(masterKey, recovery.wrapKey, { purpose: 'recovery', accountId }),
  ]);
  const { token } = await api.createAccount({
    accountId,
    email: input.email,
    kdf: kdfToWire(passphrase.params),
    authKey: toBase64Url(passphrase.authKey),
    recoveryAuthKey: toBase64Url(recovery.authKey),
    wrappedMasterKey: toBase64Url(wrappedMasterKey),
    wrappedRecoveryKey: toBase64Url(wrappedRecoveryKey),
    device: input.device,
  });
  api.token = token;
  const wrap = { kdf: kdfToWire(passphrase.params), wrappedMasterKey: toBase64Url(wrappedMasterKey) };
  const account = await unlocked(accountId, normalizeEmail(input.email), input.device, masterKey, token, wrap);
  return { account, recoveryCode: formatRecoveryKey(recoveryKey), kdf: passphrase.params };
}

export async function signIn(api: ApiClient, input: Common & { readonly passphrase: string }): Promise<UnlockedAccount> {
  const { kdf } = await api.sessionParams(input.email);
  const params = kdfFromWire(kdf);
  checkKdfParams(params); // a server offering weak parameters is refused before any work
  const { wrapKey, authKey } = await derivePassphraseKeys(input.passphrase, params, input.argon2 ?? hashWasmArgon2);
  const session = await api.createSession({ email: input.email, authKey: toBase64Url(authKey), device: input.device });
  // Unwrapped with the parameters this device derived with: the wrap's AAD must match them.
  const masterKey = await unwrapMasterKey(bytes(session.wrappedMasterKey), wrapKey, {
    purpose: 'passphrase',
    accountId: session.accountId,
    kdf: params,
  });
  api.token = session.token;
  const wrap = { kdf: session.kdf, wrappedMasterKey: session.wrappedMasterKey };
  return unlocked(session.accountId, normalizeEmail(input.email), input.device, masterKey, session.token, wrap);
}

export async function signInWithRecovery(api: ApiClient, input: Common & { readonly recoveryCode: string }): Promise<UnlockedAccount> {
  const recovery = await deriveRecoveryKeys(parseRecoveryKey(input.recoveryCode)); // a typo stops here
  const session = await api.createSession({ email: input.email, recoveryAuthKey: toBase64Url(recovery.authKey), device: input.device });
  const masterKey = await unwrapMasterKey(bytes(session.wrappedRecoveryKey), recovery.wrapKey, {
    purpose: 'recovery',
    accountId: session.accountId,
  });
  api.token = session.token;
  const wrap = { kdf: session.kdf, wrappedMasterKey: session.wrappedMasterKey };
  return unlocked(session.accountId, normalizeEmail(input.email), input.device, masterKey, session.token, wrap);
}

/**
 * Cancels a pending deletion (server/routes/deletion.ts, [Note: Deletion and undo]): the recovery
 * key unwraps the master key, which is wrapped again under a NEW passphrase (the old wrap was
 * destroyed at deletion) with fresh KDF parameters; the server makes the account active and
 * answers as a sign-in. The master key is unchanged, so every backup opens as before.
 */
export async function undoDeletion(api: ApiClient, input: Common & { readonly recoveryCode: string; readonly newPassphrase: string }): Promise<UnlockedAccount> {
  const recovery = await deriveRecoveryKeys(parseRecoveryKey(input.recoveryCode));
  const recoveryAuthKey = toBase64Url(recovery.authKey);
  const { accountId, wrappedRecoveryKey } = await api.restoreKey(input.email, recoveryAuthKey);
  const masterKey = await unwrapMasterKey(bytes(wrappedRecoveryKey), recovery.wrapKey, { purpose: 'recovery', accountId });
  const passphrase = await createPassphraseKeys(input.newPassphrase, input.argon2 ?? hashWasmArgon2);
  const wrapped = await wrapMasterKey(masterKey, passphrase.wrapKey, { purpose: 'passphrase', accountId, kdf: passphrase.params });
  const wrap = { kdf: kdfToWire(passphrase.params), wrappedMasterKey: toBase64Url(wrapped) };
  const session = await api.restoreAccount({
    email: input.email,
    recoveryAuthKey,
    authKey: toBase64Url(passphrase.authKey),
    ...wrap,
    device: input.device,
  });
  if (session.accountId !== accountId) throw new KuraError('bad-response', { reason: 'restored another account' });
  api.token = session.token;
  return unlocked(accountId, normalizeEmail(input.email), input.device, masterKey, session.token, wrap);
}

/**
 * After a refused recovery sign-in: whether the account is pending deletion, and until when. The
 * server refuses such a sign-in like a wrong key (it tells nobody an account's state without a
 * proof), so the same recovery key asks the undo's first call; undefined when that is refused too.
 */
export async function pendingDeletion(api: ApiClient, input: { readonly email: string; readonly recoveryCode: string }): Promise<{ readonly deletionDueAt: number } | undefined> {
  const recovery = await deriveRecoveryKeys(parseRecoveryKey(input.recoveryCode));
  try {
    const { deletionDueAt } = await api.restoreKey(input.email, toBase64Url(recovery.authKey));
    return { deletionDueAt };
  } catch (e) {
    if (isKuraError(e, 'bad-credentials')) return undefined;
    throw e;
  }
}

/** The optional external connections a server offers, for first-run consent (GET /policy: public, no identifier sent). */
export async function offeredExternalServices(api: ApiClient): Promise<OfferedExternalService[]> {
  const { externalServices } = await api.policy('en');
  return externalServices.map((s) => ({ id: s.id, name: s.name, description: s.description, stores: s.dataShared }));
}

/** What signing in takes: the passphrase, the recovery code, or both a code and a new passphrase (the undo). */
export type Credentials = { readonly passphrase: string } | { readonly recoveryCode: string; readonly newPassphrase?: string };

export function signInWith(api: ApiClient, input: Common & Credentials): Promise<UnlockedAccount> {
  if ('passphrase' in input) return signIn(api, input);
  const { newPassphrase } = input;
  return newPassphrase === undefined ? signInWithRecovery(api, input) : undoDeletion(api, { ...input, newPassphrase });
}

async function unlocked(
  accountId: AccountId,
  email: string,
  device: DeviceInfo,
  masterKey: Bytes,
  token: string,
  passphraseWrap: UnlockedAccount['passphraseWrap'],
): Promise<UnlockedAccount> {
  return { accountId, email, deviceId: device.id, masterKey, keys: await deriveAccountKeys(masterKey), token, passphraseWrap };
}

/** As the server stores it (protocol.ts emailSchema): trimmed and lowercased. */
function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function bytes(b64: string): Bytes {
  const decoded = fromBase64Url(b64);
  if (!decoded) throw new KuraError('bad-response', { reason: 'not base64url' });
  return decoded;
}
