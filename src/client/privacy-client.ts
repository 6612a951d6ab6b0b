/**
 * PrivacyApi in the page: the engine worker's privacy service for everything that talks to the
 * server (the session token stays in the worker), and the page for what must run here: saving
 * files through the browser's download, reading the files attached to an inquiry. Accepting the
 * policy wakes the sync loop, which a significant revision had stopped.
 */
import type { Remote } from 'comlink';
import { toBase64Url } from '../core/bytes.ts';
import type { Engine } from './engine/connect.ts';
import { download } from './page-files.ts';
import type { PolicyLanguage, PrivacyApi } from './privacy-api.ts';
import type { PrivacyService, UsageSendResult } from './privacy/service.ts';

export interface PrivacyClient extends PrivacyApi {
  /** The usage report, when granted and a day has passed (the service checks both). */
  sendUsageIfDue(): Promise<UsageSendResult>;
}

export interface PrivacyPage {
  /** Wakes the sync loop. */
  readonly kick: () => void;
  /** The language of documents saved for the user (the consent receipt). */
  readonly language?: () => PolicyLanguage;
  readonly now?: () => number;
}

export function createPrivacyClient(engine: Engine, page: PrivacyPage): PrivacyClient {
  let service: Promise<Remote<PrivacyService>> | undefined;
  const privacy = () => (service ??= engine.privacyService() as unknown as Promise<Remote<PrivacyService>>);
  const language = page.language ?? (() => (globalThis.document?.documentElement.lang === 'ja' ? 'ja' : 'en'));
  const today = () => new Date((page.now ?? Date.now)()).toISOString().slice(0, 10);
  const save = (text: string, type: string, name: string) => download(new Blob([text], { type }), name);

  return {
    policy: async (lang) => (await privacy()).policy(lang),
    async acceptPolicy(version) {
      await (await privacy()).acceptPolicy(version);
      page.kick(); // sync waited on this acceptance
    },
    consents: async () => (await privacy()).consents(),
    setConsent: async (purpose, granted, screen) => (await privacy()).setConsent(purpose, granted, screen),
    recordFirstRunConsent: async (optional) => (await privacy()).recordFirstRun({ ...optional }),
    async downloadConsentReceipts() {
      save(await (await privacy()).consentReceipt(language()), 'application/json', `kura-consent-receipt-${today()}.json`);
    },
    usageReport: async () => (await privacy()).usageReport(),
    privacyAccount: async () => (await privacy()).account(),
    async downloadDisclosure() {
      save(await (await privacy()).exportArchive(), 'application/json', `kura-export-${today()}.json`);
    },
    changeEmail: async (email) => (await privacy()).changeEmail(email),
    confirmEmail: async (code) => (await privacy()).confirmEmail(code),
    suspendAccount: async () => (await privacy()).suspend(),
    async resumeAccount() {
      await (await privacy()).resume();
      page.kick(); // sync stopped on account-suspended: send what waited
    },
    deleteAccount: async (passphrase) => (await privacy()).deleteAccount(passphrase),
    accessLog: async (filter, cursor) => (await privacy()).accessLog({ ...filter }, cursor),
    async downloadAccessLog(filter, format) {
      const text = await (await privacy()).accessLogFile({ ...filter }, format);
      save(text, format === 'csv' ? 'text/csv' : 'application/json', `kura-access-log-${today()}.${format}`);
    },
    inquiries: async () => (await privacy()).inquiries(),
    async sendInquiry(input) {
      const attachments = await Promise.all(
        input.attachments.map(async (f) => ({ name: f.name, type: f.type, size: f.size, data: toBase64Url(new Uint8Array(await f.arrayBuffer())) })),
      );
      return (await privacy()).sendInquiry(input.category, input.message, attachments);
    },
    externalServices: async () => (await privacy()).externalServices(),
    disconnectExternal: async (id) => (await privacy()).disconnectExternal(id),
    sendUsageIfDue: async () => (await privacy()).sendUsageIfDue(),
  };
}
