/**
 * The privacy half of the MetaStore port (issue 7), reached as `meta.privacy`: account status
 * (suspension, deletion and its undo, the purge), the consent ledger, pending email changes and
 * the mail outbox, inquiries, external-service links, aggregate usage statistics, deletion
 * receipts, and reading the access log with filters. Kept apart so each store file stays one
 * size; the same contract suite (test/server/storage/contract-privacy.ts) checks every backend.
 *
 * Like the rest of the port: every method is atomic, and every per-account method is scoped by
 * the account id, so none can reach another account's rows. Inquiry ids are global (the operator
 * answers by id); the user's lookups pass their account id and see only their own.
 */
import type { AccountId, ChunkId } from '../../src/core/ids.ts';
import type { ConsentEntry } from '../../src/core/policy/ledger.ts';
import type { AccessLogEntry, AccountRecord, KdfRecord, Verifier } from './ports.ts';

export type AccountStatus = 'active' | 'suspended' | 'deleted-pending';

export interface DeletionState {
  readonly requestedAt: number;
  readonly dueAt: number;
  /** Returned at the request; the signed receipt appears under it once the purge ran. */
  readonly receiptId: string;
}

export interface EmailChangeRecord {
  readonly email: string;
  /** SHA-256 of the confirmation code: the code itself is only in the message sent. */
  readonly codeHash: Uint8Array;
  readonly expiresAt: number;
}

export interface OutboxMessage {
  readonly time: number;
  readonly accountId: AccountId | null;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

export type InquiryStatus = 'open' | 'answered' | 'closed';

export interface InquiryMessage {
  readonly author: 'user' | 'operator';
  readonly body: string;
  readonly time: number;
}

export interface InquiryAttachment {
  readonly name: string;
  readonly type: string;
  readonly bytes: Uint8Array;
}

export interface InquiryRecord {
  readonly id: string;
  readonly accountId: AccountId;
  readonly category: string;
  readonly status: InquiryStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly messages: readonly InquiryMessage[];
  readonly attachments: readonly { readonly index: number; readonly name: string; readonly type: string; readonly size: number }[];
}

export interface StoredReceipt {
  readonly id: string;
  /** The exact text that was signed. */
  readonly signed: string;
  readonly signature: Uint8Array;
  readonly createdAt: number;
}

export interface AccessLogQuery {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly deviceId?: string | undefined;
  /** Route class: the first path segment of the route pattern. */
  readonly action?: string | undefined;
  readonly offset: number;
  readonly limit: number;
}

export interface ChunkInfo {
  readonly id: ChunkId;
  readonly size: number;
  readonly createdAt: number;
}

export interface ExternalLink {
  readonly serviceId: string;
  readonly data: string;
  readonly createdAt: number;
}

/** Rows removed per table by a purge, plus chunk bytes: what the deletion receipt reports. */
export type PurgeCounts = Record<string, number>;

export interface PrivacyStore {
  /** active ↔ suspended; false when the account is neither (missing, or deleted-pending). */
  setSuspended(accountId: AccountId, suspended: boolean): Promise<boolean>;
  /** Ends every session of the account except the one with `keep` (null: all). */
  endSessionsExcept(accountId: AccountId, keep: Uint8Array | null): Promise<number>;
  /**
   * Marks the account deleted-pending: the passphrase wrap of the master key is destroyed (left
   * empty), the passphrase verifier replaced by `scrambled`, every session ended. The recovery
   * wrap and verifier stay, for the undo. False unless active or suspended.
   */
  markDeleted(accountId: AccountId, deletion: DeletionState, scrambled: Verifier): Promise<boolean>;
  /** Undoes a pending deletion with new passphrase keys; false unless deleted-pending. */
  restoreDeleted(accountId: AccountId, keys: { kdf: KdfRecord; authVerifier: Verifier; wrappedMasterKey: Uint8Array }): Promise<boolean>;
  /** Accounts deleted-pending whose dueAt has come. */
  dueForPurge(now: number): Promise<AccountRecord[]>;
  listChunkInfo(accountId: AccountId): Promise<ChunkInfo[]>;
  /**
   * Removes every row of the account in every table (access log, rate-limit counters named by its
   * id or email, outbox included) and stores the receipt `seal` makes from the counts, in one
   * transaction. Undefined when the account is gone already.
   */
  purgeAccount(accountId: AccountId, seal: (counts: PurgeCounts) => StoredReceipt): Promise<PurgeCounts | undefined>;
  getDeletionReceipt(id: string): Promise<StoredReceipt | undefined>;

  /** Appends unless `entry` does not follow the stored head (seq and prevHash). */
  appendConsent(accountId: AccountId, entry: ConsentEntry): Promise<'ok' | 'broken-chain'>;
  listConsents(accountId: AccountId): Promise<ConsentEntry[]>;

  /** One pending change per account; a new one replaces it. */
  putEmailChange(accountId: AccountId, change: EmailChangeRecord): Promise<void>;
  getEmailChange(accountId: AccountId): Promise<EmailChangeRecord | undefined>;
  deleteEmailChange(accountId: AccountId): Promise<void>;
  appendOutbox(message: OutboxMessage): Promise<void>;
  /** Newest first. */
  listOutbox(limit: number): Promise<OutboxMessage[]>;

  createInquiry(inquiry: Omit<InquiryRecord, 'attachments'>, attachments: readonly InquiryAttachment[]): Promise<void>;
  /** Newest first; `accountId` null lists every account's (the operator). */
  listInquiries(accountId: AccountId | null, status?: InquiryStatus): Promise<InquiryRecord[]>;
  getInquiry(id: string, accountId: AccountId | null): Promise<InquiryRecord | undefined>;
  getInquiryAttachment(id: string, index: number, accountId: AccountId | null): Promise<InquiryAttachment | undefined>;
  /** Adds a message and sets the status; false when there is no such inquiry. */
  addInquiryMessage(id: string, message: InquiryMessage, status: InquiryStatus): Promise<boolean>;
  setInquiryStatus(id: string, status: InquiryStatus, now: number): Promise<boolean>;

  putExternalLink(accountId: AccountId, link: ExternalLink): Promise<void>;
  listExternalLinks(accountId: AccountId): Promise<ExternalLink[]>;
  deleteExternalLinks(accountId: AccountId, serviceId: string): Promise<number>;

  /**
   * Adds `counters` to the day's totals unless `marker` (a keyed hash of account and day) was
   * seen: false then. The marker is all that ties a report to anyone, and it is not the account id.
   */
  recordStats(marker: string, day: string, counters: Readonly<Record<string, number>>): Promise<boolean>;
  /** Forgets markers of days before `day` (YYYY-MM-DD). */
  pruneStatsMarkers(day: string): Promise<number>;
  /** Totals per day and counter for days in [fromDay, toDay], in day order. */
  statsSummary(fromDay: string, toDay: string): Promise<{ day: string; name: string; value: number }[]>;

  /** The account's access log, newest first, filtered, with the total before paging. */
  queryAccessLog(accountId: AccountId, query: AccessLogQuery): Promise<{ entries: AccessLogEntry[]; total: number }>;
  /** Deletes access-log rows older than `before`. */
  pruneAccessLog(before: number): Promise<number>;
}

/** The route class of a route pattern: "PUT /chunks/:id" → "chunks". */
export function routeClass(route: string): string {
  return /^[A-Z]+ \/([a-z-]+)/.exec(route)?.[1] ?? '';
}
