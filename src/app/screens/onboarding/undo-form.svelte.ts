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

  protected override invalid(): boolean {
    return Boolean(this.recoveryError || this.passphraseError || this.confirmError);
  }

  /** Cancels the deletion with the recovery key and the new passphrase; then on to storage. */
  protected override async perform(): Promise<() => void> {
    const input = { email: this.flow.email.trim(), recoveryCode: this.recoveryCode.trim(), newPassphrase: this.passphrase, remember: this.remember };
    await this.session.undoDeletion(input);
    return () => {
      this.recoveryCode = '';
      this.flow.signedIn();
    };
  }
}
