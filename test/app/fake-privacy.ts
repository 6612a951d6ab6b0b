/**
 * A PrivacyApi for component tests: the policy in both languages, a consent ledger whose entries
 * are really hash-chained (SHA-256 over the previous hash and the entry), the account, an access
 * log with cursor paging, inquiries and external services, all in memory; every call recorded
 * (vi.fn), and `hold`/`failNext` like FakeApi, so a test can show loading and failures.
 */
import { vi } from 'vitest';
import type {
  AccessLogEntry,
  AccessLogFilter,
  AccountState,
  ConsentEntry,
  ConsentLedger,
  ExternalService,
  Inquiry,
  InquiryInput,
  PolicyDocument,
  PolicyLanguage,
  PolicyView,
  PrivacyApi,
  Purpose,
  UsageReport,
} from '../../src/client/privacy-api.ts';
import { REQUIRED_PURPOSES } from '../../src/client/privacy-api.ts';
import { KuraError, type KuraErrorCode } from '../../src/core/errors.ts';
import type { Held } from './fake-api.ts';

type Method = keyof PrivacyApi;

export const NOW = Date.UTC(2026, 10, 25, 12, 0);
export const GENESIS = '0'.repeat(64);

const SECTIONS = {
  en: [
    { id: 'collection', title: 'What we collect', body: 'We collect only what the service needs.\n\n- Your email address\n- Each device’s name, model and identifier' },
    { id: 'purposes', title: 'Why we use it', body: 'To run the service and keep it secure.' },
    { id: 'statistics', title: 'Usage statistics', body: 'Only with your consent, as aggregate counters.' },
    { id: 'contact', title: 'Contact', body: 'Write to the operator at the address below.' },
  ],
  ja: [
    { id: 'collection', title: '収集する情報', body: 'サービスに必要な情報だけを収集します。\n\n- メールアドレス\n- 各端末の名前、機種、識別子' },
    { id: 'purposes', title: '利用目的', body: 'サービスの提供と安全の確保のために利用します。' },
    { id: 'statistics', title: '利用統計', body: '同意をいただいた場合に限り、集計値として送信します。' },
    { id: 'contact', title: 'お問い合わせ', body: '下記の運営者までご連絡ください。' },
  ],
} as const;

export function policyDocument(language: PolicyLanguage, overrides: Partial<PolicyDocument> = {}): PolicyDocument {
  return {
    version: '2.0',
    date: '2026-11-01',
    hash: 'c0ffee'.repeat(10) + 'beef',
    significant: false,
    language,
    title: language === 'en' ? 'Kura Privacy Policy' : 'Kura プライバシーポリシー',
    sections: SECTIONS[language],
    ...overrides,
  };
}

export const OPERATOR = { name: 'Kura Storehouse K.K.', address: '1-2-3 Kanda, Chiyoda-ku, Tokyo', email: 'privacy@kura.example' };

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function chainInput(entry: Omit<ConsentEntry, 'hash'>): string {
  const { purpose, granted, policyVersion, policyHash, at, deviceId, screen, previousHash } = entry;
  return JSON.stringify([previousHash, purpose, granted, policyVersion, policyHash, at, deviceId, screen]);
}

export function accessEntry(i: number, overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return { at: NOW - i * 3_600_000, ip: `203.0.113.${i % 250}`, deviceId: 'dev_this', deviceName: 'Hana’s laptop', action: 'snapshot.list', status: 200, ...overrides };
}

export class FakePrivacy implements PrivacyApi {
  clock = NOW;
  deviceId = 'dev_this';
  /** What `policy()` answers, per language. */
  views: Record<PolicyLanguage, PolicyView> = {
    en: { current: policyDocument('en'), changed: [], mustReview: false },
    ja: { current: policyDocument('ja'), changed: [], mustReview: false },
  };
  ledger: ConsentEntry[] = [];
  account: AccountState = { email: 'hana@example.jp', status: 'active', retentionDays: 30, operator: OPERATOR };
  usage: UsageReport = { payload: '{"v":1,"counters":{"backups":12,"restores":1},"appVersion":"0.1.0"}', lastSentAt: NOW - 86_400_000, nextAt: NOW + 6 * 86_400_000 };
  log: AccessLogEntry[] = [];
  /** Entries per accessLog page. */
  pageSize = 2;
  inquiryList: Inquiry[] = [];
  services: ExternalService[] = [];
  /** The code confirmEmail accepts. */
  emailCode = '123456';
  passphrase = 'correct horse battery staple';
  /** Set to make the ledger's chain fail its check (as if an entry had been altered). */
  tampered = false;
  private held = new Map<Method, Promise<unknown>[]>();
  private failures = new Map<Method, unknown>();

  /** The next call of `method` waits until the test settles it. */
  hold<T = unknown>(method: Method): Held<T> {
    let settle!: Held<T>;
    const gate = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    this.held.set(method, [...(this.held.get(method) ?? []), gate]);
    return settle;
  }

  /** The next call of `method` rejects with a KuraError of this code (or the given error). */
  failNext(method: Method, error: KuraErrorCode | Error): void {
    this.failures.set(method, typeof error === 'string' ? new KuraError(error) : error);
  }

  /** Appends a ledger entry, chained to the last, as the server would. */
  async record(purpose: Purpose, granted: boolean, screen = 'privacy/consent'): Promise<ConsentEntry> {
    const previousHash = this.ledger.at(-1)?.hash ?? GENESIS;
    const { version, hash: policyHash } = this.views.en.current;
    const body = { purpose, granted, policyVersion: version, policyHash, at: this.clock, deviceId: this.deviceId, screen, previousHash };
    const entry = { ...body, hash: await sha256Hex(chainInput(body)) };
    this.ledger.push(entry);
    this.clock += 60_000;
    return entry;
  }

  private async verify(): Promise<boolean> {
    let previous = GENESIS;
    for (const entry of this.ledger) {
      if (entry.previousHash !== previous || entry.hash !== (await sha256Hex(chainInput(entry)))) return false;
      previous = entry.hash;
    }
    return !this.tampered;
  }

  private async call<T>(method: Method, value: () => T | Promise<T>): Promise<T> {
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
    const gate = this.held.get(method)?.shift();
    if (gate) return (await gate) as T;
    return value();
  }

  policy = vi.fn((language: PolicyLanguage) => this.call('policy', () => this.views[language]));
  acceptPolicy = vi.fn((version: string) =>
    this.call('acceptPolicy', async () => {
      for (const lang of ['en', 'ja'] as const) this.views[lang] = { current: this.views[lang].current, changed: [], mustReview: false };
      await this.record('service-operation', true, `policy/accept/${version}`);
    }),
  );
  consents = vi.fn(() =>
    this.call('consents', async (): Promise<ConsentLedger> => {
      const current: Partial<Record<Purpose, boolean>> = {};
      for (const purpose of REQUIRED_PURPOSES) current[purpose] = true;
      for (const entry of this.ledger) current[entry.purpose] = entry.granted;
      return { entries: [...this.ledger], current, verified: await this.verify() };
    }),
  );
  setConsent = vi.fn((purpose: Purpose, granted: boolean, screen?: string) => this.call('setConsent', async () => void (await this.record(purpose, granted, screen))));
  recordFirstRunConsent = vi.fn((optional: Readonly<Partial<Record<Purpose, boolean>>>) =>
    this.call('recordFirstRunConsent', async () => {
      const granted = new Map(this.ledger.map((e) => [e.purpose, e.granted]));
      const wanted = [...REQUIRED_PURPOSES, ...Object.entries(optional).flatMap(([p, on]) => (on ? [p as Purpose] : []))];
      for (const purpose of wanted) if (granted.get(purpose) !== true) await this.record(purpose, true, 'onboarding');
    }),
  );
  downloadConsentReceipts = vi.fn(() => this.call('downloadConsentReceipts', () => undefined));
  usageReport = vi.fn(() => this.call('usageReport', () => this.usage));
  privacyAccount = vi.fn(() => this.call('privacyAccount', () => this.account));
  downloadDisclosure = vi.fn(() => this.call('downloadDisclosure', () => undefined));
  changeEmail = vi.fn((email: string) => this.call('changeEmail', () => void (this.account = { ...this.account, pendingEmail: email })));
  confirmEmail = vi.fn((code: string) =>
    this.call('confirmEmail', () => {
      if (code !== this.emailCode || !this.account.pendingEmail) throw new KuraError('bad-credentials');
      const { pendingEmail, ...rest } = this.account;
      this.account = { ...rest, email: pendingEmail };
    }),
  );
  suspendAccount = vi.fn(() => this.call('suspendAccount', () => void (this.account = { ...this.account, status: 'suspended' })));
  resumeAccount = vi.fn(() => this.call('resumeAccount', () => void (this.account = { ...this.account, status: 'active' })));
  deleteAccount = vi.fn((passphrase: string) =>
    this.call('deleteAccount', () => {
      if (passphrase !== this.passphrase) throw new KuraError('bad-credentials');
      const dueAt = this.clock + this.account.retentionDays * 86_400_000;
      this.account = { ...this.account, status: 'deletion-pending', deletionDueAt: dueAt };
      return { receiptId: 'del_7Q2M-9XKD', dueAt };
    }),
  );
  accessLog = vi.fn((filter: AccessLogFilter, cursor?: string) =>
    this.call('accessLog', () => {
      const matching = this.log.filter(
        (e) =>
          (filter.from === undefined || e.at >= filter.from) &&
          (filter.to === undefined || e.at <= filter.to) &&
          (filter.deviceId === undefined || e.deviceId === filter.deviceId) &&
          (filter.action === undefined || e.action === filter.action),
      );
      const start = cursor ? Number(cursor) : 0;
      const end = start + this.pageSize;
      return { entries: matching.slice(start, end), ...(end < matching.length && { next: String(end) }) };
    }),
  );
  downloadAccessLog = vi.fn((_filter: AccessLogFilter, _format: 'csv' | 'json') => this.call('downloadAccessLog', () => undefined));
  inquiries = vi.fn(() => this.call('inquiries', () => [...this.inquiryList]));
  sendInquiry = vi.fn((input: InquiryInput) =>
    this.call('sendInquiry', () => {
      const inquiry: Inquiry = {
        id: `inq_${this.inquiryList.length + 1}`,
        category: input.category,
        message: input.message,
        createdAt: this.clock,
        status: 'open',
        attachments: input.attachments.map((f) => ({ name: f.name, size: f.size })),
        replies: [],
      };
      this.inquiryList = [inquiry, ...this.inquiryList];
      return inquiry;
    }),
  );
  externalServices = vi.fn(() => this.call('externalServices', () => [...this.services]));
  disconnectExternal = vi.fn((id: string) =>
    this.call('disconnectExternal', async () => {
      this.services = this.services.map((s) => (s.id === id ? { ...s, connected: false } : s));
      await this.record(`external:${id}`, false, 'privacy/external');
    }),
  );
}
