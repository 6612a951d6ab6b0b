/**
 * The privacy center's contract: what the app's privacy screens ask of the server, in the shapes
 * the screens need (not wire types). It is `AppApi.privacy` (src/client/privacy-client.ts in the
 * browser, test/app/fake-privacy.ts in tests). Every method rejects with a KuraError
 * (src/core/errors.ts) whose `code` the screens explain; `network-unavailable` when offline.
 *
 * The policy text, the operator's details and the list of external services come from the
 * server's configuration (DESIGN.md section 1): nothing here is hard-coded in the app.
 */

/** Why the service handles data; `external:<id>` is one optional external service's own consent. */
export type Purpose = 'service-operation' | 'security-logging' | 'support' | 'usage-statistics' | `external:${string}`;

/** Needed to run the service at all: on for as long as the account exists. */
export const REQUIRED_PURPOSES = ['service-operation', 'security-logging'] as const satisfies readonly Purpose[];
/** Asked for separately, off until the user turns them on. */
export const OPTIONAL_PURPOSES = ['support', 'usage-statistics'] as const satisfies readonly Purpose[];

export function externalPurpose(serviceId: string): Purpose {
  return `external:${serviceId}`;
}

export function isRequiredPurpose(purpose: Purpose): boolean {
  return (REQUIRED_PURPOSES as readonly Purpose[]).includes(purpose);
}

export type PolicyLanguage = 'en' | 'ja';

export interface PolicySection {
  /** Stable across versions and languages: the anchor, and how changes are matched. */
  readonly id: string;
  readonly title: string;
  /** Paragraphs separated by blank lines; lines starting "- " are list items. */
  readonly body: string;
}

export interface PolicyDocument {
  readonly version: string;
  /** The date the version takes effect, YYYY-MM-DD. */
  readonly date: string;
  /** The server's hash of the document, recorded in each consent. */
  readonly hash: string;
  /** A significant revision asks for consent again before sync resumes. */
  readonly significant: boolean;
  readonly language: PolicyLanguage;
  readonly title: string;
  readonly sections: readonly PolicySection[];
}

export type PolicyChange = 'added' | 'changed' | 'removed';

export interface PolicyView {
  readonly current: PolicyDocument;
  /** The version the user last accepted, when it is not the current one. */
  readonly accepted?: PolicyDocument;
  /** Sections that differ between `accepted` and `current` (empty when nothing was accepted before). */
  readonly changed: readonly { readonly id: string; readonly title: string; readonly change: PolicyChange }[];
  /** A significant revision not yet accepted: sync is stopped until the user accepts it. */
  readonly mustReview: boolean;
}

export interface ConsentEntry {
  readonly purpose: Purpose;
  readonly granted: boolean;
  readonly policyVersion: string;
  readonly policyHash: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly deviceId: string;
  /** Where the user gave or withdrew it (e.g. "privacy/consent", "onboarding"). */
  readonly screen: string;
  readonly hash: string;
  readonly previousHash: string;
}

export interface ConsentLedger {
  /** Oldest first, as chained. */
  readonly entries: readonly ConsentEntry[];
  /** Each purpose's state now; a purpose not listed is off. */
  readonly current: Readonly<Partial<Record<Purpose, boolean>>>;
  /** The chain checks out on this device. */
  readonly verified: boolean;
}

export interface UsageReport {
  /** The exact JSON that would be sent. */
  readonly payload: string;
  readonly lastSentAt?: number;
  readonly nextAt?: number;
}

export interface AccessLogEntry {
  readonly at: number;
  readonly ip: string;
  readonly deviceId?: string;
  readonly deviceName?: string;
  readonly action: string;
  /** The HTTP status the server answered. */
  readonly status: number;
}

export interface AccessLogFilter {
  /** Epoch milliseconds, inclusive. */
  readonly from?: number;
  /** Epoch milliseconds, inclusive. */
  readonly to?: number;
  readonly deviceId?: string;
  readonly action?: string;
}

export interface AccessLogPage {
  /** Newest first. */
  readonly entries: readonly AccessLogEntry[];
  /** Pass back to get the next (older) page; absent on the last page. */
  readonly next?: string;
}

export const INQUIRY_CATEGORIES = ['backup', 'restore', 'account', 'privacy', 'other'] as const;
export type InquiryCategory = (typeof INQUIRY_CATEGORIES)[number];

export interface Inquiry {
  readonly id: string;
  readonly category: InquiryCategory;
  readonly message: string;
  readonly createdAt: number;
  readonly status: 'open' | 'answered' | 'closed';
  readonly attachments: readonly { readonly name: string; readonly size: number }[];
  /** The operator's replies, oldest first. */
  readonly replies: readonly { readonly at: number; readonly message: string }[];
}

export interface InquiryInput {
  readonly category: InquiryCategory;
  readonly message: string;
  readonly attachments: readonly File[];
}

/** An optional connection this server's operator configured; offered at first run and in the privacy center. */
export interface OfferedExternalService {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** What it keeps, in the operator's words. */
  readonly stores: string;
}

export interface ExternalService extends OfferedExternalService {
  readonly connected: boolean;
}

export interface Operator {
  readonly name: string;
  readonly address: string;
  readonly email: string;
}

export type AccountStatus = 'active' | 'suspended' | 'deletion-pending';

export interface AccountState {
  readonly email: string;
  /** A new address waiting for its confirmation code. */
  readonly pendingEmail?: string;
  readonly status: AccountStatus;
  /** When a pending deletion purges the data (epoch ms). */
  readonly deletionDueAt?: number;
  /** Days between a deletion and the purge, from the server's configuration. */
  readonly retentionDays: number;
  readonly operator: Operator;
}

export interface DeletionReceipt {
  /** The id of the signed deletion receipt the server keeps; the user keeps it to ask about it. */
  readonly receiptId: string;
  /** When the data is purged (epoch ms). */
  readonly dueAt: number;
}

export interface PrivacyApi {
  /** The current policy in this language, what changed since the accepted one, and whether sync waits on it. */
  policy(language: PolicyLanguage): Promise<PolicyView>;
  /** Records acceptance of this version (a ledger entry); sync resumes when it was the one awaited. */
  acceptPolicy(version: string): Promise<void>;
  consents(): Promise<ConsentLedger>;
  /** Appends a ledger entry at once; withdrawing is as easy as granting. */
  setConsent(purpose: Purpose, granted: boolean, screen?: string): Promise<void>;
  /**
   * First-run consent, once the account exists: the required purposes granted, each optional one
   * granted only when chosen. What the ledger already says is not recorded again.
   */
  recordFirstRunConsent(optional: Readonly<Partial<Record<Purpose, boolean>>>): Promise<void>;
  /** Saves the ledger as Kantara Consent Receipts v1.1 (JSON) through the browser's download. */
  downloadConsentReceipts(): Promise<void>;
  usageReport(): Promise<UsageReport>;
  privacyAccount(): Promise<AccountState>;
  /** Saves everything held about the user (machine-readable archive) through the browser's download. */
  downloadDisclosure(): Promise<void>;
  /** Sends a confirmation code to the new address; `pendingEmail` shows it until confirmed. */
  changeEmail(email: string): Promise<void>;
  /** Rejects with `bad-credentials` when the code is wrong or expired. */
  confirmEmail(code: string): Promise<void>;
  suspendAccount(): Promise<void>;
  resumeAccount(): Promise<void>;
  /** Rejects with `bad-credentials` when the passphrase is wrong. */
  deleteAccount(passphrase: string): Promise<DeletionReceipt>;
  accessLog(filter: AccessLogFilter, cursor?: string): Promise<AccessLogPage>;
  downloadAccessLog(filter: AccessLogFilter, format: 'csv' | 'json'): Promise<void>;
  /** Newest first. */
  inquiries(): Promise<Inquiry[]>;
  sendInquiry(input: InquiryInput): Promise<Inquiry>;
  /** The external services this server is configured with (often none). */
  externalServices(): Promise<ExternalService[]>;
  /** Disconnects it, removes what it stored and withdraws its consent. */
  disconnectExternal(id: string): Promise<void>;
}
