/**
 * The in-memory PrivacyStore, the twin of the SQL ones: plain Maps beside MemoryMetaStore's, whose
 * account, session, rate-limit and log maps it is handed (an account's status and its purge touch
 * those too).
 */
import type { AccountId } from '../../src/core/ids.ts';
import { followsHead, type ConsentEntry } from '../../src/core/policy/ledger.ts';
import type { AccountState } from './memory-meta.ts';
import type { AccessLogEntry, SessionRecord } from './ports.ts';
import {
  routeClass,
  type AccessLogQuery,
  type EmailChangeRecord,
  type ExternalLink,
  type InquiryAttachment,
  type InquiryMessage,
  type InquiryRecord,
  type InquiryStatus,
  type OutboxMessage,
  type PrivacyStore,
  type PurgeCounts,
  type StoredReceipt,
} from './privacy-ports.ts';

interface MemoryCore {
  readonly accounts: Map<AccountId, AccountState>;
  readonly emails: Map<string, AccountId>;
  readonly sessions: Map<string, SessionRecord>;
  readonly rateLimits: Map<string, unknown>;
  readonly log: AccessLogEntry[];
}

type Inquiry = { -readonly [K in keyof InquiryRecord]: InquiryRecord[K] } & { messages: InquiryMessage[]; files: InquiryAttachment[] };

export class MemoryPrivacyStore implements PrivacyStore {
  private readonly consents = new Map<AccountId, ConsentEntry[]>();
  private readonly emailChanges = new Map<AccountId, EmailChangeRecord>();
  private readonly outbox: OutboxMessage[] = [];
  private readonly inquiries = new Map<string, Inquiry>();
  private readonly links = new Map<AccountId, Map<string, ExternalLink>>();
  private readonly markers = new Map<string, string>();
  private readonly counters = new Map<string, number>(); // "day\u0000name" → value
  private readonly receipts = new Map<string, StoredReceipt>();

  constructor(private readonly core: MemoryCore) {}

  async setSuspended(accountId: AccountId, suspended: boolean) {
    const s = this.core.accounts.get(accountId);
    if (!s || s.record.status === 'deleted-pending') return false;
    s.record = { ...s.record, status: suspended ? 'suspended' : 'active' };
    return true;
  }

  async endSessionsExcept(accountId: AccountId, keep: Uint8Array | null) {
    const keepKey = keep ? Buffer.from(keep).toString('hex') : undefined;
    let n = 0;
    for (const [key, session] of this.core.sessions) {
      if (session.accountId === accountId && key !== keepKey) {
        this.core.sessions.delete(key);
        n++;
      }
    }
    return n;
  }

  async markDeleted(accountId: AccountId, deletion: Parameters<PrivacyStore['markDeleted']>[1], scrambled: Parameters<PrivacyStore['markDeleted']>[2]) {
    const s = this.core.accounts.get(accountId);
    if (!s || s.record.status === 'deleted-pending') return false;
    s.record = { ...s.record, status: 'deleted-pending', deletion, authVerifier: scrambled, wrappedMasterKey: new Uint8Array(0) };
    await this.endSessionsExcept(accountId, null);
    return true;
  }

  async restoreDeleted(accountId: AccountId, keys: Parameters<PrivacyStore['restoreDeleted']>[1]) {
    const s = this.core.accounts.get(accountId);
    if (!s || s.record.status !== 'deleted-pending') return false;
    const { deletion: _d, ...rest } = s.record;
    s.record = { ...rest, status: 'active', kdf: keys.kdf, authVerifier: keys.authVerifier, wrappedMasterKey: keys.wrappedMasterKey };
    return true;
  }

  async dueForPurge(now: number) {
    return [...this.core.accounts.values()]
      .map((s) => s.record)
      .filter((r) => r.status === 'deleted-pending' && r.deletion !== undefined && r.deletion.dueAt <= now);
  }

  async listChunkInfo(accountId: AccountId) {
    const chunks = this.core.accounts.get(accountId)?.chunks ?? new Map();
    return [...chunks].map(([id, c]) => ({ id, size: c.size, createdAt: c.createdAt }));
  }

  async purgeAccount(accountId: AccountId, seal: (counts: PurgeCounts) => StoredReceipt) {
    const s = this.core.accounts.get(accountId);
    if (!s) return undefined;
    const email = s.record.email;
    let chunkBytes = 0;
    for (const c of s.chunks.values()) chunkBytes += c.size;
    const logBefore = this.core.log.length;
    const kept = this.core.log.filter((e) => e.accountId !== accountId);
    this.core.log.splice(0, this.core.log.length, ...kept);
    let rateLimits = 0;
    for (const key of [...this.core.rateLimits.keys()]) {
      if (key.endsWith(`:${accountId}`) || key.endsWith(`:${email}`)) rateLimits += Number(this.core.rateLimits.delete(key));
    }
    const outboxBefore = this.outbox.length;
    const keptMail = this.outbox.filter((m) => m.accountId !== accountId);
    this.outbox.splice(0, this.outbox.length, ...keptMail);
    const inquiries = [...this.inquiries.values()].filter((i) => i.accountId === accountId);
    for (const i of inquiries) this.inquiries.delete(i.id);
    const counts: PurgeCounts = {
      accounts: 1,
      devices: s.devices.size,
      sessions: await this.endSessionsExcept(accountId, null),
      chunks: s.chunks.size,
      chunkBytes,
      snapshots: s.snapshots.size,
      accessLog: logBefore - kept.length,
      rateLimits,
      consents: this.consents.get(accountId)?.length ?? 0,
      emailChanges: Number(this.emailChanges.has(accountId)),
      outbox: outboxBefore - keptMail.length,
      inquiries: inquiries.length,
      externalLinks: this.links.get(accountId)?.size ?? 0,
    };
    this.core.accounts.delete(accountId);
    this.core.emails.delete(email);
    this.consents.delete(accountId);
    this.emailChanges.delete(accountId);
    this.links.delete(accountId);
    const receipt = seal(counts);
    this.receipts.set(receipt.id, receipt);
    return counts;
  }

  async getDeletionReceipt(id: string) {
    return this.receipts.get(id);
  }

  async appendConsent(accountId: AccountId, entry: ConsentEntry) {
    if (!this.core.accounts.has(accountId)) return 'broken-chain' as const;
    const list = this.consents.get(accountId) ?? [];
    const head = list.at(-1);
    if (!followsHead(head, entry)) return 'broken-chain' as const;
    list.push(entry);
    this.consents.set(accountId, list);
    return 'ok' as const;
  }

  async listConsents(accountId: AccountId) {
    return [...(this.consents.get(accountId) ?? [])];
  }

  async putEmailChange(accountId: AccountId, change: EmailChangeRecord) {
    if (this.core.accounts.has(accountId)) this.emailChanges.set(accountId, change);
  }

  async getEmailChange(accountId: AccountId) {
    return this.emailChanges.get(accountId);
  }

  async deleteEmailChange(accountId: AccountId) {
    this.emailChanges.delete(accountId);
  }

  async appendOutbox(message: OutboxMessage) {
    this.outbox.push(message);
  }

  async listOutbox(limit: number) {
    return this.outbox.slice(-limit).reverse();
  }

  private view(i: Inquiry): InquiryRecord {
    const { files, ...rest } = i;
    return {
      ...rest,
      messages: [...i.messages],
      attachments: files.map((f, index) => ({ index, name: f.name, type: f.type, size: f.bytes.length })),
    };
  }

  async createInquiry(inquiry: Omit<InquiryRecord, 'attachments'>, attachments: readonly InquiryAttachment[]) {
    if (!this.core.accounts.has(inquiry.accountId)) return;
    this.inquiries.set(inquiry.id, { ...inquiry, attachments: [], messages: [...inquiry.messages], files: attachments.map((a) => ({ ...a, bytes: new Uint8Array(a.bytes) })) });
  }

  async listInquiries(accountId: AccountId | null, status?: InquiryStatus) {
    return [...this.inquiries.values()]
      .filter((i) => (accountId === null || i.accountId === accountId) && (!status || i.status === status))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((i) => this.view(i));
  }

  private find(id: string, accountId: AccountId | null): Inquiry | undefined {
    const i = this.inquiries.get(id);
    return i && (accountId === null || i.accountId === accountId) ? i : undefined;
  }

  async getInquiry(id: string, accountId: AccountId | null) {
    const i = this.find(id, accountId);
    return i && this.view(i);
  }

  async getInquiryAttachment(id: string, index: number, accountId: AccountId | null) {
    return this.find(id, accountId)?.files[index];
  }

  async addInquiryMessage(id: string, message: InquiryMessage, status: InquiryStatus) {
    const i = this.inquiries.get(id);
    if (!i) return false;
    i.messages.push(message);
    i.status = status;
    i.updatedAt = message.time;
    return true;
  }

  async setInquiryStatus(id: string, status: InquiryStatus, now: number) {
    const i = this.inquiries.get(id);
    if (!i) return false;
    i.status = status;
    i.updatedAt = now;
    return true;
  }

  async putExternalLink(accountId: AccountId, link: ExternalLink) {
    if (!this.core.accounts.has(accountId)) return;
    const map = this.links.get(accountId) ?? new Map<string, ExternalLink>();
    map.set(link.serviceId, link);
    this.links.set(accountId, map);
  }

  async listExternalLinks(accountId: AccountId) {
    return [...(this.links.get(accountId)?.values() ?? [])].sort((a, b) => (a.serviceId < b.serviceId ? -1 : 1));
  }

  async deleteExternalLinks(accountId: AccountId, serviceId: string) {
    return Number(this.links.get(accountId)?.delete(serviceId) ?? false);
  }

  async recordStats(marker: string, day: string, counters: Readonly<Record<string, number>>) {
    if (this.markers.has(marker)) return false;
    this.markers.set(marker, day);
    for (const [name, value] of Object.entries(counters)) {
      const key = `${day}\u0000${name}`;
      this.counters.set(key, (this.counters.get(key) ?? 0) + value);
    }
    return true;
  }

  async pruneStatsMarkers(day: string) {
    let n = 0;
    for (const [marker, d] of this.markers) if (d < day && this.markers.delete(marker)) n++;
    return n;
  }

  async statsSummary(fromDay: string, toDay: string) {
    return [...this.counters]
      .map(([key, value]) => {
        const [day, name] = key.split('\u0000') as [string, string];
        return { day, name, value };
      })
      .filter((r) => r.day >= fromDay && r.day <= toDay)
      .sort((a, b) => (a.day === b.day ? (a.name < b.name ? -1 : 1) : a.day < b.day ? -1 : 1));
  }

  async queryAccessLog(accountId: AccountId, q: AccessLogQuery) {
    const matching = this.core.log
      .filter(
        (e) =>
          e.accountId === accountId &&
          (q.from === undefined || e.time >= q.from) &&
          (q.to === undefined || e.time <= q.to) &&
          (q.deviceId === undefined || e.deviceId === q.deviceId) &&
          (q.action === undefined || routeClass(e.route) === q.action),
      )
      .reverse();
    return { entries: matching.slice(q.offset, q.offset + q.limit), total: matching.length };
  }

  async pruneAccessLog(before: number) {
    const kept = this.core.log.filter((e) => e.time >= before);
    const n = this.core.log.length - kept.length;
    this.core.log.splice(0, this.core.log.length, ...kept);
    return n;
  }
}
