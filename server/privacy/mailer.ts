/**
 * The mailer port: how the server sends a person a message (today only email-change confirmation
 * codes). Kura ships no mail transport, so the default "sends" into the outbox table, which the
 * operator reads at GET /api/v1/operator/outbox and delivers by hand or with a script; a
 * deployment with a mail relay passes a Mailer of its own in Deps.
 */
import type { AccountId } from '../../src/core/ids.ts';
import type { MetaStore } from '../storage/ports.ts';

export interface MailMessage {
  readonly accountId: AccountId | null;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export function outboxMailer(meta: MetaStore, now: () => number): Mailer {
  return {
    async send(m) {
      await meta.privacy.appendOutbox({ time: now(), ...m });
      // The address and code stay in the database, out of the process log.
      console.log('kura: a message is waiting in the outbox (GET /api/v1/operator/outbox)');
    },
  };
}
