/**
 * The purposes the consent screen lists, in order: the two the service needs (on while the account
 * exists), the optional ones (off until granted), then one per external service. A purpose's
 * state is the ledger's; one the ledger never mentions is off.
 */
import {
  OPTIONAL_PURPOSES,
  REQUIRED_PURPOSES,
  externalPurpose,
  isRequiredPurpose,
  type ConsentLedger,
  type ExternalService,
  type Purpose,
} from '../../../client/privacy-api.ts';

export interface PurposeRow {
  readonly purpose: Purpose;
  readonly required: boolean;
  readonly granted: boolean;
  /** For `external:<id>`: the service, when the server still lists it. */
  readonly service?: ExternalService;
}

export function purposeRows(ledger: ConsentLedger, services: readonly ExternalService[]): PurposeRow[] {
  const builtIn: Purpose[] = [...REQUIRED_PURPOSES, ...OPTIONAL_PURPOSES];
  return [
    ...builtIn.map((purpose) => ({ purpose, required: isRequiredPurpose(purpose), granted: isRequiredPurpose(purpose) || ledger.current[purpose] === true })),
    ...services.map((service) => {
      const purpose = externalPurpose(service.id);
      return { purpose, required: false, granted: ledger.current[purpose] === true, service };
    }),
  ];
}

/** The catalogue key naming a built-in purpose, or the external service's name. */
export function purposeLabel(purpose: Purpose, services: readonly ExternalService[], t: (key: string, values?: Record<string, string>) => string): string {
  if (purpose.startsWith('external:')) {
    const serviceId = purpose.slice('external:'.length);
    const name = services.find((s) => s.id === serviceId)?.name ?? serviceId;
    return t('privacy.purposes.external', { name });
  }
  return t(`privacy.purposes.${purpose}.name`);
}

/** The first characters of a hash: enough to compare by eye, short enough for a table. */
export function shortHash(hash: string): string {
  return hash.slice(0, 10);
}

/** A JSON text laid out for reading; the text as it is when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
