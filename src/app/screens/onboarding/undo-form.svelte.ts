/**
 * Cancelling a pending account deletion on the sign-in step: the recovery key and a NEW
 * passphrase (the old one was destroyed with the deletion request), judged for strength and
 * typed twice exactly as when the account was created, then signed in as usual.
 */
import type { Session } from '../../state/session.svelte.ts';
import { CreateAccountForm } from './account-forms.svelte.ts';
import type { OnboardingFlow } from './flow.svelte.ts';

export class UndoDeletionForm extends CreateAccountForm {
  recoveryCode = $state('');

  constructor(flow: OnboardingFlow, session: Session, recoveryCode: string) {
    super(flow, session);
    this.recoveryCode = recoveryCode;
  }

  get recoveryError(): string | undefined {
    return this.attempted && !this.recoveryCode.trim() ? 'onboarding.signin.recovery-missing' : undefined;
  }

  /** Validates, then cancels the deletion and signs in; true when on to the storage step. */
  override async submit(): Promise<boolean> {
    if (this.busy) return false;
    this.attempted = true;
    this.error = undefined;
    if (!this.estimator && !this.estimatorFailed) await this.loadEstimator();
    if (this.recoveryError || this.passphraseError || this.confirmError) return false;
    this.busy = true;
    try {
      const input = { email: this.flow.email.trim(), recoveryCode: this.recoveryCode.trim(), newPassphrase: this.passphrase, remember: this.remember };
      await this.session.undoDeletion(input);
      await this.session.recordConsent(this.flow.consent);
      this.passphrase = this.confirm = this.recoveryCode = '';
      this.flow.signedIn();
      return true;
    } catch (e) {
      this.error = e;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
