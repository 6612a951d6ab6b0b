/**
 * The ledger as it stands, as a consent receipt in the Kantara Initiative Consent Receipt
 * Specification v1.1 shape (a JSON format other tools read): one receipt listing every purpose
 * currently granted. consentReceiptID is the ledger head's hash, so a receipt names the exact
 * ledger state it was made from; consentTimestamp is in seconds, as the specification has it.
 */
import { currentConsents, type ConsentEntry, type ConsentPurpose } from './ledger.ts';
import type { PolicyLanguage } from './types.ts';

export interface ReceiptPurpose {
  readonly purpose: string;
  readonly purposeCategory: string[];
  readonly consentType: 'EXPLICIT';
  readonly piiCategory: string[];
  readonly primaryPurpose: boolean;
  readonly termination: string;
  readonly thirdPartyDisclosure: boolean;
  readonly thirdPartyName?: string;
}

export interface ConsentReceipt {
  readonly version: 'KI-CR-v1.1.0';
  readonly jurisdiction: string;
  readonly consentTimestamp: number;
  readonly collectionMethod: string;
  readonly consentReceiptID: string;
  readonly language: PolicyLanguage;
  readonly piiPrincipalId: string;
  readonly piiControllers: {
    readonly piiController: string;
    readonly contact: string;
    readonly address: { readonly streetAddress: string };
    readonly email: string;
    readonly piiControllerUrl?: string;
  }[];
  readonly policyUrl: string;
  readonly services: { readonly service: string; readonly purposes: ReceiptPurpose[] }[];
  readonly sensitive: boolean;
  readonly spiCat: string[];
}

export interface ReceiptContext {
  readonly jurisdiction: string;
  readonly language: PolicyLanguage;
  readonly piiPrincipalId: string;
  readonly controller: { readonly name: string; readonly address: string; readonly email: string };
  readonly policyUrl: string;
  /** Names of configured external services, by id. */
  readonly externalNames?: Readonly<Record<string, string>>;
}

const TERMINATION = 'Withdraw in the Kura privacy center at any time, or delete the account.';

function describe(purpose: ConsentPurpose, ctx: ReceiptContext): ReceiptPurpose {
  const base = { consentType: 'EXPLICIT' as const, termination: TERMINATION, thirdPartyDisclosure: false, primaryPurpose: false };
  switch (purpose) {
    case 'service-operation':
      return { ...base, purpose, primaryPurpose: true, purposeCategory: ['Core Function'], piiCategory: ['Contact', 'Device identifiers', 'Encrypted content'] };
    case 'security-logging':
      return { ...base, purpose, purposeCategory: ['Security'], piiCategory: ['IP address', 'Device identifiers', 'Activity'] };
    case 'support':
      return { ...base, purpose, purposeCategory: ['Customer Support'], piiCategory: ['Contact', 'Correspondence'] };
    case 'usage-statistics':
      return { ...base, purpose, purposeCategory: ['Improve Performance'], piiCategory: ['Aggregate usage counts (no identifiers)'] };
    default: {
      const id = purpose.slice('external:'.length);
      return {
        ...base,
        purpose,
        purposeCategory: ['Third-party service'],
        piiCategory: ['As listed for the service'],
        thirdPartyDisclosure: true,
        thirdPartyName: ctx.externalNames?.[id] ?? id,
      };
    }
  }
}

/** Undefined while the ledger is empty: there is no consent to give a receipt for. */
export function consentReceipt(entries: readonly ConsentEntry[], ctx: ReceiptContext): ConsentReceipt | undefined {
  const head = entries.at(-1);
  if (!head) return undefined;
  const granted = [...currentConsents(entries).values()].filter((e) => e.action === 'granted');
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: ctx.jurisdiction,
    consentTimestamp: Math.floor(head.time / 1000),
    collectionMethod: `Kura app consent screen (${head.screenVersion})`,
    consentReceiptID: head.hash,
    language: ctx.language,
    piiPrincipalId: ctx.piiPrincipalId,
    piiControllers: [
      { piiController: ctx.controller.name, contact: ctx.controller.email, address: { streetAddress: ctx.controller.address }, email: ctx.controller.email },
    ],
    policyUrl: ctx.policyUrl,
    services: [{ service: 'Kura backup', purposes: granted.map((e) => describe(e.purpose, ctx)) }],
    sensitive: false,
    spiCat: [],
  };
}
