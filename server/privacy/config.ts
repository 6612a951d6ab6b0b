/**
 * The privacy settings of a deployment (README: "Privacy: what Kura holds, where, for how long"):
 * who the operator is (filled into the policy text), the operator's token for its endpoints,
 * retention periods, inquiry attachment limits, and the external services on offer.
 */
import { EXTERNAL_SERVICE_ID } from '../../src/core/policy/ledger.ts';

export interface ExternalServiceConfig {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** What the service would receive, in the words shown before consent. */
  readonly dataShared: string;
}

export interface PrivacyConfig {
  readonly operator: { readonly name: string; readonly address: string; readonly email: string };
  /** Bearer token for /operator/*; those endpoints answer 404 when unset. */
  readonly operatorToken: string | undefined;
  readonly jurisdiction: string;
  readonly deletionRetentionDays: number;
  readonly accessLogRetentionDays: number;
  readonly inquiryMaxAttachments: number;
  readonly inquiryMaxAttachmentBytes: number;
  readonly externalServices: readonly ExternalServiceConfig[];
}

type Int = (name: string, fallback: number, min?: number) => number;

function externalServices(raw: string | undefined): ExternalServiceConfig[] {
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('KURA_EXTERNAL_SERVICES must be a JSON array of {id, name, description, dataShared}');
  }
  if (!Array.isArray(parsed)) throw new Error('KURA_EXTERNAL_SERVICES must be a JSON array');
  return parsed.map((s: Record<string, unknown>) => {
    const text = (k: string) => (typeof s?.[k] === 'string' ? (s[k] as string) : '');
    if (!EXTERNAL_SERVICE_ID.test(text('id')) || !text('name')) throw new Error(`KURA_EXTERNAL_SERVICES: each needs an id (${EXTERNAL_SERVICE_ID}) and a name`);
    return { id: text('id'), name: text('name'), description: text('description'), dataShared: text('dataShared') };
  });
}

export function loadPrivacyConfig(env: Record<string, string | undefined>, int: Int): PrivacyConfig {
  const token = env.KURA_OPERATOR_TOKEN;
  if (token !== undefined && token !== '' && token.length < 16) throw new Error('KURA_OPERATOR_TOKEN must be at least 16 characters');
  return {
    operator: {
      name: env.KURA_OPERATOR_NAME || 'The operator of this Kura server',
      address: env.KURA_OPERATOR_ADDRESS || '(address not configured: set KURA_OPERATOR_ADDRESS)',
      email: env.KURA_OPERATOR_EMAIL || '(contact not configured: set KURA_OPERATOR_EMAIL)',
    },
    operatorToken: token || undefined,
    jurisdiction: env.KURA_JURISDICTION || 'JP',
    deletionRetentionDays: int('KURA_DELETION_RETENTION_DAYS', 30, 0),
    accessLogRetentionDays: int('KURA_ACCESS_LOG_RETENTION_DAYS', 90, 1),
    inquiryMaxAttachments: int('KURA_INQUIRY_MAX_ATTACHMENTS', 3, 0),
    inquiryMaxAttachmentBytes: int('KURA_INQUIRY_MAX_ATTACHMENT_BYTES', 2 * 1024 * 1024, 1),
    externalServices: externalServices(env.KURA_EXTERNAL_SERVICES),
  };
}
