/** The catalogue key that explains an error to the user (common.errors.<code>). */
import { isKuraError } from '../../core/errors.ts';
import { CATALOGUES } from '../i18n/index.ts';

const KNOWN = new Set(Object.keys(CATALOGUES.en.common.errors));

export function errorKey(error: unknown): string {
  const code = isKuraError(error) ? error.code : typeof error === 'string' ? error : 'unknown';
  return `common.errors.${KNOWN.has(code) ? code : isKuraError(error) ? 'generic' : 'unknown'}`;
}
