/**
 * The disclosure archive (GET /account/export): everything the server holds about one account,
 * as one JSON document with a section per kind of data. Contents of backups are not in it: the
 * server holds them only as ciphertext it cannot read, so it lists each object's id, size and time.
 * Secrets are shown as what they are (a salted hash is held), not as their bytes.
 */
import { toBase64Url } from '../../src/core/bytes.ts';
import type { AccountId } from '../../src/core/ids.ts';
import type { Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { policyState } from './policy.ts';

const EXPORT_FORMAT = 'kura-account-export-v1';
const ALL = { offset: 0, limit: Number.MAX_SAFE_INTEGER };

export async function buildExport(deps: Deps, accountId: AccountId) {
  const { meta } = deps;
  const account = await meta.getAccount(accountId);
  if (!account) throw new ApiError('not-found');
  const consents = await meta.privacy.listConsents(accountId);
  const emailChange = await meta.privacy.getEmailChange(accountId);
  const log = await meta.privacy.queryAccessLog(accountId, ALL);
  return {
    format: EXPORT_FORMAT,
    exportedAt: deps.now(),
    operator: deps.config.privacy.operator,
    account: {
      id: account.id,
      email: account.email,
      status: account.status,
      createdAt: account.createdAt,
      quotaBytes: account.quotaBytes,
      usageBytes: await meta.usageBytes(accountId),
      pendingEmailChange: emailChange ? { email: emailChange.email, expiresAt: emailChange.expiresAt } : null,
      keys: {
        kdf: { alg: account.kdf.alg, m: account.kdf.m, t: account.kdf.t, p: account.kdf.p, salt: toBase64Url(account.kdf.salt) },
        wrappedMasterKey: toBase64Url(account.wrappedMasterKey),
        wrappedRecoveryKey: toBase64Url(account.wrappedRecoveryKey),
        passphraseVerifier: 'a salted SHA-256 of your passphrase-derived sign-in key is held',
        recoveryVerifier: 'a salted SHA-256 of your recovery-key-derived sign-in key is held',
      },
    },
    devices: await meta.listDevices(accountId),
    snapshots: await meta.listSnapshots(accountId, {}),
    chunks: await meta.privacy.listChunkInfo(accountId),
    accessLog: log.entries.map(({ accountId: _a, ...e }) => e),
    consents: { entries: consents, policy: policyState(deps, account, consents) },
    inquiries: await meta.privacy.listInquiries(accountId),
    externalServices: await meta.privacy.listExternalLinks(accountId),
  };
}
