/**
 * The privacy center in the engine worker (issue 7), where the session token lives: the policy
 * and what changed since the accepted version, the consent ledger (appended on the server, kept on
 * the device, verified here), usage statistics (counted and sent only with consent), the user's
 * rights, the access log, inquiries and external services. The page reaches it through
 * EngineService.privacyService() (a Comlink proxy); downloads are made in the page.
 */
import { toBase64Url } from '../../core/bytes.ts';
import { derivePassphraseKeys, hashWasmArgon2, type Argon2 } from '../../core/crypto/kdf.ts';
import { isKuraError, KuraError } from '../../core/errors.ts';
import type { DeviceId } from '../../core/ids.ts';
import { currentConsents, GENESIS_HASH, isGranted, verifyChain, type ConsentEntry as WireEntry, type ConsentPurpose } from '../../core/policy/ledger.ts';
import { diffSections } from '../../core/policy/diff.ts';
import { browserFamily, EMPTY_COUNTERS, usagePayload, type BrowserFamily } from '../../core/policy/usage.ts';
import { version } from '../../../package.json';
import { kdfFromWire, type InquiryResponse, type PolicyResponse } from '../../core/protocol.ts';
import type { AccessLogQuery, ApiClient } from '../api/client.ts';
import type { KuraDb } from '../db/database.ts';
import type {
  AccessLogFilter,
  AccessLogPage,
  AccountState,
  ConsentEntry,
  ConsentLedger,
  DeletionReceipt,
  ExternalService,
  Inquiry,
  InquiryCategory,
  PolicyDocument,
  PolicyLanguage,
  PolicyView,
  Purpose,
  UsageReport,
} from '../privacy-api.ts';
import { OPTIONAL_PURPOSES, REQUIRED_PURPOSES } from '../privacy-api.ts';
import type { AccountKeys } from '../../core/crypto/subkeys.ts';
import { contentIndex } from './content-index.ts';
import { keepLedger, keepUsage, localLedger, storedUsage } from './ledger-store.ts';

export { runCounter } from './ledger-store.ts';

export interface PrivacyContext {
  readonly db: KuraDb;
  readonly api: ApiClient;
  readonly deviceId: DeviceId;
  /** To decrypt the content index of the disclosure archive. */
  readonly keys?: Pick<AccountKeys, 'manifest' | 'records'>;
}

export interface PrivacyOptions {
  readonly now?: () => number;
  readonly argon2?: Argon2;
  readonly app?: { readonly version: string; readonly browser: BrowserFamily };
}

export const DAY_MS = 86_400_000;
const PAGE = 50;
/** The heading over the policy and terms, per language (the server sends their sections only). */
const TITLES: Record<PolicyLanguage, string> = { en: 'Privacy policy and terms', ja: 'プライバシーポリシーと利用規約' };

/** An inquiry attachment as the page read it: bytes already base64url. */
export interface AttachmentData {
  readonly name: string;
  readonly type: string;
  readonly data: string;
  readonly size: number;
}

export type UsageSendResult = 'sent' | 'not-granted' | 'not-due' | 'empty' | 'already-sent';

export class PrivacyService {
  private readonly now: () => number;
  private readonly argon2: Argon2;
  private readonly app: { readonly version: string; readonly browser: BrowserFamily };
  private appends: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly context: () => PrivacyContext,
    options: PrivacyOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.argon2 = options.argon2 ?? hashWasmArgon2;
    this.app = options.app ?? { version, browser: browserFamily(globalThis.navigator?.userAgent ?? '') };
  }

  // --- The policy --------------------------------------------------------------------------------

  async policy(language: PolicyLanguage): Promise<PolicyView> {
    const { api } = this.context();
    const [current, consents] = await Promise.all([api.policy(language), api.consents()]);
    await keepLedger(this.context().db, consents.entries);
    const { acceptedVersion, mustAccept } = consents.policy;
    const currentDoc = documentOf(current, language);
    if (acceptedVersion === null || acceptedVersion === current.version) return { current: currentDoc, changed: [], mustReview: mustAccept };
    const accepted = documentOf(await api.policyVersion(acceptedVersion, language), language);
    return { current: currentDoc, accepted, changed: changesBetween(accepted, currentDoc), mustReview: mustAccept };
  }

  /** Grants the purposes the service needs under this version (what accepting the policy is). */
  async acceptPolicy(version: string): Promise<void> {
    await this.append(REQUIRED_PURPOSES.map((purpose) => ({ purpose, granted: true })), 'privacy/policy', Number(version));
  }

  // --- The consent ledger -------------------------------------------------------------------------

  /** The server's ledger (kept on the device); the device's copy when the server cannot be reached. */
  async consents(): Promise<ConsentLedger> {
    const { api, db } = this.context();
    let entries: WireEntry[];
    try {
      entries = (await api.consents()).entries;
      await keepLedger(db, entries);
    } catch (e) {
      if (!isKuraError(e, 'network-unavailable')) throw e;
      entries = await localLedger(db);
    }
    return ledgerOf(entries, (await verifyChain(entries)).ok);
  }

  async setConsent(purpose: Purpose, granted: boolean, screen = 'privacy/consent'): Promise<void> {
    await this.append([{ purpose, granted }], screen);
  }

  /**
   * First-run consent (onboarding): the required purposes granted, each optional one granted only
   * when chosen. Idempotent: what the ledger already says is not said again.
   */
  async recordFirstRun(optional: Readonly<Partial<Record<Purpose, boolean>>>, screen = 'onboarding'): Promise<void> {
    const external = (Object.keys(optional) as Purpose[]).filter((p) => p.startsWith('external:') && optional[p] === true);
    const wanted: Purpose[] = [...REQUIRED_PURPOSES, ...OPTIONAL_PURPOSES.filter((p) => optional[p] === true), ...external];
    await this.append(wanted.map((purpose) => ({ purpose, granted: true })), screen, undefined, true);
  }

  /** Kantara Consent Receipt v1.1, as JSON text for the page to save. */
  async consentReceipt(language: PolicyLanguage): Promise<string> {
    return JSON.stringify(await this.context().api.consentReceipt(language), null, 2);
  }

  /**
   * Appends entries after the server's head, each chained to the one before (one batch at a time,
   * the ledger read once), and keeps the ledger on the device after each. `unlessSame`: skip an
   * entry when the ledger already says so.
   */
  private append(changes: readonly { readonly purpose: Purpose; readonly granted: boolean }[], screen: string, version?: number, unlessSame = false): Promise<void> {
    const next = this.appends.catch(() => undefined).then(async () => {
      const { api, db } = this.context();
      const { entries: head, policy } = await api.consents();
      let entries = head;
      await keepLedger(db, entries);
      for (const { purpose, granted } of changes) {
        const action = granted ? 'granted' : 'withdrawn';
        if (unlessSame && currentConsents(entries).get(purpose as ConsentPurpose)?.action === action) continue;
        const { entry } = await api.appendConsent({
          purpose: purpose as ConsentPurpose,
          action,
          policyVersion: version ?? policy.currentVersion,
          screenVersion: `${this.app.version}/${screen}`.slice(0, 64),
          prevHash: entries.at(-1)?.hash ?? GENESIS_HASH,
        });
        entries = [...entries, entry];
        await keepLedger(db, entries);
        if (purpose === 'usage-statistics' && !granted) await this.forgetUsage(db);
      }
    });
    this.appends = next;
    return next;
  }

  // --- Usage statistics ---------------------------------------------------------------------------

  /** The exact body the next report would send: the same function makes both. */
  async usageReport(): Promise<UsageReport> {
    const usage = await storedUsage(this.context().db);
    return {
      payload: usagePayload(usage.counters, this.app),
      ...(usage.lastSentAt !== undefined ? { lastSentAt: usage.lastSentAt, nextAt: usage.lastSentAt + DAY_MS } : {}),
    };
  }

  /**
   * Sends the report at most once a day, and only while this device's ledger grants usage
   * statistics: that is checked here before any request. After a send the counters start again.
   */
  async sendUsageIfDue(): Promise<UsageSendResult> {
    const { db, api } = this.context();
    if (!isGranted(await localLedger(db), 'usage-statistics')) return 'not-granted';
    const usage = await storedUsage(db);
    if (usage.lastSentAt !== undefined && this.now() - usage.lastSentAt < DAY_MS) return 'not-due';
    if (usage.counters.backupsRun === 0) return 'empty';
    try {
      await api.sendStats(usagePayload(usage.counters, this.app));
    } catch (e) {
      if (isKuraError(e, 'consent-required')) {
        await keepLedger(db, (await api.consents()).entries); // withdrawn on another device
        await this.forgetUsage(db);
        return 'not-granted';
      }
      if (!isKuraError(e, 'stats-already-sent')) throw e;
      await keepUsage(db, { ...usage, lastSentAt: this.now() }); // today's is in; these wait a day
      return 'already-sent';
    }
    await keepUsage(db, { counters: EMPTY_COUNTERS, lastSentAt: this.now() });
    return 'sent';
  }

  /** Statistics withdrawn: the counts not yet sent are dropped, not kept for a later grant. */
  private async forgetUsage(db: KuraDb): Promise<void> {
    const { lastSentAt } = await storedUsage(db);
    await keepUsage(db, { counters: EMPTY_COUNTERS, ...(lastSentAt !== undefined ? { lastSentAt } : {}) });
  }

  // --- The user's rights --------------------------------------------------------------------------

  async account(): Promise<AccountState> {
    const account = await this.context().api.account();
    return {
      email: account.email,
      ...(account.pendingEmail ? { pendingEmail: account.pendingEmail } : {}),
      status: account.status === 'deleted-pending' ? 'deletion-pending' : account.status,
      ...(account.deletionDueAt !== undefined ? { deletionDueAt: account.deletionDueAt } : {}),
      retentionDays: account.deletionRetentionDays,
      operator: account.operator,
    };
  }

  /**
   * The disclosure archive: everything the server holds (as it wrote it) and, decrypted here, the
   * user's own content index, which the server holds only sealed.
   */
  async exportArchive(): Promise<string> {
    const ctx = this.context();
    const server = JSON.parse(await ctx.api.exportAccount()) as Record<string, unknown>;
    return JSON.stringify({ ...server, contentIndex: ctx.keys ? await contentIndex({ ...ctx, keys: ctx.keys }) : undefined }, null, 2);
  }

  async changeEmail(email: string): Promise<void> {
    await this.context().api.changeEmail(email);
  }

  async confirmEmail(code: string): Promise<void> {
    try {
      await this.context().api.confirmEmail(code);
    } catch (e) {
      throw isKuraError(e, 'confirmation-invalid') || isKuraError(e, 'invalid-request') ? new KuraError('bad-credentials', { reason: 'code' }, e) : e;
    }
  }

  async suspend(): Promise<void> {
    await this.context().api.suspendAccount();
  }

  async resume(): Promise<void> {
    await this.context().api.resumeAccount();
  }

  /** Proves the passphrase as at sign-in (its authKey, derived here), then asks for deletion. */
  async deleteAccount(passphrase: string): Promise<DeletionReceipt> {
    const { api } = this.context();
    const { email } = await api.account();
    const { kdf } = await api.sessionParams(email);
    const { authKey } = await derivePassphraseKeys(passphrase, kdfFromWire(kdf), this.argon2);
    const answer = await api.deleteAccount(toBase64Url(authKey));
    return { receiptId: answer.receiptId, dueAt: answer.deletionDueAt };
  }

  async accessLog(filter: AccessLogFilter, cursor?: string): Promise<AccessLogPage> {
    const { api } = this.context();
    const [page, devices] = await Promise.all([api.accessLog({ ...queryOf(filter), offset: Number(cursor ?? 0), limit: PAGE }), api.devices().catch(() => [])]);
    const names = new Map(devices.map((d) => [d.id as string, d.name]));
    return {
      entries: page.entries.map((e) => ({
        at: e.time,
        ip: e.ip,
        ...(e.deviceId ? { deviceId: e.deviceId, ...(names.has(e.deviceId) ? { deviceName: names.get(e.deviceId)! } : {}) } : {}),
        action: e.route,
        status: e.status,
      })),
      ...(page.nextOffset !== null ? { next: String(page.nextOffset) } : {}),
    };
  }

  accessLogFile(filter: AccessLogFilter, format: 'csv' | 'json'): Promise<string> {
    return this.context().api.accessLogFile({ ...queryOf(filter), limit: 1000 }, format);
  }

  // --- Inquiries and external services ------------------------------------------------------------

  async inquiries(): Promise<Inquiry[]> {
    const list = await this.context().api.inquiries();
    return list.map(inquiryOf).sort((a, b) => b.createdAt - a.createdAt);
  }

  async sendInquiry(category: InquiryCategory, message: string, attachments: readonly AttachmentData[]): Promise<Inquiry> {
    const sent = await this.context().api.createInquiry({
      category,
      message,
      ...(attachments.length > 0 ? { attachments: attachments.map(({ name, type, data }) => ({ name, type: type || 'application/octet-stream', data })) } : {}),
    });
    return inquiryOf(sent);
  }

  async externalServices(): Promise<ExternalService[]> {
    return (await this.context().api.externalServices()).map((s) => ({ id: s.id, name: s.name, description: s.description, connected: s.connected, stores: s.dataShared }));
  }

  /** Disconnects, removes what it stored, and withdraws its consent in the ledger. */
  async disconnectExternal(id: string): Promise<void> {
    await this.context().api.disconnectExternal(id);
    await this.append([{ purpose: `external:${id}`, granted: false }], 'privacy/external', undefined, true);
  }
}

function queryOf(filter: AccessLogFilter): AccessLogQuery {
  return {
    ...(filter.from !== undefined ? { from: filter.from } : {}),
    ...(filter.to !== undefined ? { to: filter.to } : {}),
    ...(filter.deviceId ? { deviceId: filter.deviceId } : {}),
    ...(filter.action ? { action: actionClass(filter.action) } : {}),
  };
}

/**
 * The server filters by route class (the first path segment, "consents"); an entry's action is
 * its route ("POST /consents"), so a filter typed from one is reduced to its class.
 */
export function actionClass(action: string): string {
  return /^(?:[A-Z]+\s+)?\/?([a-z-]+)/.exec(action.trim())?.[1] ?? action.trim().toLowerCase();
}

export function ledgerOf(entries: readonly WireEntry[], verified: boolean): ConsentLedger {
  const current: Partial<Record<Purpose, boolean>> = {};
  for (const [purpose, e] of currentConsents(entries)) current[purpose] = e.action === 'granted';
  return { entries: entries.map(entryOf), current, verified };
}

function entryOf(e: WireEntry): ConsentEntry {
  return {
    purpose: e.purpose,
    granted: e.action === 'granted',
    policyVersion: String(e.policyVersion),
    policyHash: e.policyHash,
    at: e.time,
    deviceId: e.deviceId,
    screen: e.screenVersion,
    hash: e.hash,
    previousHash: e.prevHash,
  };
}

function documentOf(r: PolicyResponse, language: PolicyLanguage): PolicyDocument {
  const text = r.languages[language] ?? r.languages.en ?? { summary: '', privacy: [], terms: [] };
  return {
    version: String(r.version),
    date: r.date,
    hash: r.hash,
    significant: r.significant,
    language,
    title: TITLES[language],
    sections: [...text.privacy, ...text.terms.map((s) => ({ ...s, id: `terms-${s.id}` }))],
  };
}

function changesBetween(from: PolicyDocument, to: PolicyDocument): PolicyView['changed'] {
  return diffSections(from.sections, to.sections);
}

function inquiryOf(r: InquiryResponse): Inquiry {
  const first = r.messages.find((m) => m.author === 'user');
  return {
    id: r.id,
    category: r.category,
    message: first?.body ?? '',
    createdAt: r.createdAt,
    status: r.status,
    attachments: r.attachments.map((a) => ({ name: a.name, size: a.size })),
    replies: r.messages.filter((m) => m.author === 'operator').map((m) => ({ at: m.time, message: m.body })),
  };
}
