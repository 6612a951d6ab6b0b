/** Shared by the privacy HTTP suites: configuration with an operator token, and ledger helpers. */
import { loadConfig, type ServerConfig } from '../../../server/config.ts';
import type { Account, TestServer } from '../harness.ts';
import { request } from '../harness.ts';

export const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';

export function privacyConfig(env: Record<string, string> = {}): Partial<ServerConfig> {
  return { privacy: loadConfig({ KURA_OPERATOR_TOKEN: OPERATOR_TOKEN, KURA_OPERATOR_NAME: 'Kura Test KK', ...env }).privacy };
}

export async function errorOf(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error?: { code?: string } };
  return [res.status, body.error?.code ?? '(no error body)'];
}

interface Entry {
  seq: number;
  hash: string;
  purpose: string;
  action: string;
  policyVersion: number;
}

export async function ledgerOf(account: Account): Promise<{ entries: Entry[]; policy: { currentVersion: number; acceptedVersion: number | null; mustAccept: boolean } }> {
  const res = await account.call('GET', '/consents');
  if (res.status !== 200) throw new Error(`GET /consents: ${res.status}`);
  return (await res.json()) as never;
}

/** Appends after the account's current head; returns the response. */
export async function consent(account: Account, purpose: string, action: 'granted' | 'withdrawn' = 'granted', policyVersion = 2): Promise<Response> {
  const { entries } = await ledgerOf(account);
  const prevHash = entries.at(-1)?.hash ?? '0'.repeat(64);
  return account.call('POST', '/consents', { purpose, action, policyVersion, screenVersion: 'consent-screen-1', prevHash });
}

export function operator(server: TestServer, method: string, path: string, body?: unknown, token = OPERATOR_TOKEN): Promise<Response> {
  return request(server, method, path, body, token ? { authorization: `Bearer ${token}` } : {});
}
