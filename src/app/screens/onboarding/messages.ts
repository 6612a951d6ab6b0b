/**
 * What to tell the user when an account call fails: a catalogue key and its values. Most codes
 * use the shared `common.errors.*` text; a few read better with this screen's context (which
 * secret was wrong, which group of the recovery key has the typo).
 */
import { isKuraError } from '../../../core/errors.ts';
import { errorKey } from '../../state/errors.ts';

export interface Message {
  readonly key: string;
  readonly values?: Record<string, string | number>;
}

export type Context = 'create' | 'signin-passphrase' | 'signin-recovery' | 'unlock';

export function describeError(error: unknown, context: Context): Message {
  const code = isKuraError(error) ? error.code : undefined;
  if (code === 'bad-credentials' && context === 'signin-recovery') return { key: 'onboarding.errors.bad-credentials-recovery' };
  if (code === 'unwrap-failed') return { key: context === 'unlock' ? 'onboarding.unlock.wrong' : `onboarding.errors.unwrap-failed-${context === 'signin-recovery' ? 'recovery' : 'passphrase'}` };
  if (code === 'recovery-key-typo' && isKuraError(error)) {
    const group = error.details['group'];
    if (typeof group === 'number') return { key: 'onboarding.errors.recovery-key-typo', values: { group } };
  }
  if (code === 'recovery-key-malformed') return { key: 'onboarding.errors.recovery-key-malformed' };
  if (code === 'held-for-another-account') return { key: 'onboarding.errors.held-for-another-account' };
  if (code === 'network-unavailable' && context !== 'unlock') return { key: 'onboarding.errors.network-unavailable' };
  return { key: errorKey(error) };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The catalogue key of what is wrong with an email address, or undefined. */
export function emailProblem(email: string): string | undefined {
  const trimmed = email.trim();
  if (!trimmed) return 'onboarding.fields.email-missing';
  return EMAIL.test(trimmed) ? undefined : 'onboarding.fields.email-invalid';
}
