/**
 * Kura's privacy policy and terms in English, current version (versions.ts derives the earlier
 * one). Written for what Kura does; {{placeholders}} are filled from the server's configuration.
 * Section ids match text-ja.ts one for one.
 */
import type { PolicySection, PolicyText } from './types.ts';

const privacy: PolicySection[] = [
  {
    id: 'operator',
    title: 'Who runs this Kura server',
    body: `This Kura server is run by {{operatorName}}, {{operatorAddress}} ("we"). This policy says what we hold about you, why, for how long, and what you can do about it. Questions go to {{operatorEmail}} or to the inquiry form in the app.`,
  },
  {
    id: 'encryption',
    title: 'Your backups are encrypted on your device',
    body: `Kura encrypts your photos, videos, audio, documents, contacts, schedules and call history in your browser before anything is sent. The keys are made from your passphrase or your recovery key on your device and never reach us unencrypted. We therefore cannot read, scan or hand over the contents of your backups, and nobody can recover them for you if you lose both your passphrase and your recovery key.`,
  },
  {
    id: 'data-held',
    title: 'What the server holds',
    body: `- Account: your email address, a random account id, the key-derivation parameters, your master key wrapped (encrypted) under your passphrase and under your recovery key, and salted hashes that let us check a sign-in without learning the keys.
- Devices: the name and model you give each device and a random device id, with when it was added and last seen.
- Backups: encrypted pieces ("chunks") and sealed snapshot lists, each with its size, time and a checksum. We see how much you store and when, not what it is.
- Access log: for each request, the time, your IP address, the device id, the kind of action and whether it succeeded. Never your keys, passwords or the content of a request.
- Consent ledger: each consent you give or withdraw, with the policy version, time, device and screen version.
- Inquiries: what you send us through the inquiry form, attachments included, and our replies.
- Usage statistics, only if you turn them on: counts with no identifier (see "Usage statistics").`,
  },
  {
    id: 'purposes',
    title: 'Why we hold it',
    body: `- Service operation (service-operation): to keep your account, store and return your encrypted backups, and enforce storage limits.
- Security logging (security-logging): to detect and investigate abuse and unauthorised access, using the access log.
- Support (support): to answer your inquiries.
- Usage statistics (usage-statistics, optional, off by default): to learn which features are used and which errors happen, so we can improve Kura.
- External services (external:<name>, optional, off by default): only for a connection you turn on yourself.
We use what we hold for these purposes only.`,
  },
  {
    id: 'consent',
    title: 'Consent',
    body: `Nothing leaves your device before you agree on the first-run screen. Optional purposes stay off until you turn them on, and you can withdraw any consent at any time in the privacy center; withdrawing does not affect what was done before. Every consent and withdrawal is written to a ledger that your device keeps as well, each entry chained to the one before by a hash, so neither side can quietly change it. You can download it as standard consent receipts.`,
  },
  {
    id: 'statistics',
    title: 'Usage statistics',
    body: `If you turn usage statistics on, the app sends at most one report a day: the app version, the browser family, how many backups ran, how many files fell into each size class, and how often each error code occurred. You can see the report before it is sent. It carries no account id, device id, file name or IP-derived value; the server adds it to daily totals and does not store the report itself or link it to you. No third-party analytics or advertising code is part of Kura.`,
  },
  {
    id: 'external',
    title: 'External services',
    body: `This server may offer connections to services run by others, listed in the app with what each would receive. None is on by default; each needs its own consent. Disconnecting deletes what we stored for that connection.`,
  },
  {
    id: 'third-parties',
    title: 'Giving information to others',
    body: `We do not sell or give your personal information to third parties except:
- where a law requires it;
- where it is needed to protect a person's life, body or property and your consent is hard to obtain;
- where it is especially needed for public health or the healthy upbringing of children and your consent is hard to obtain;
- where we must cooperate with a public body carrying out duties set by law and asking for your consent would hinder those duties.
Even then we can only give what we hold; the contents of your backups stay encrypted. Hosting providers that store data for us receive only what the server holds, under contract, and cannot read your backups either.`,
  },
  {
    id: 'security',
    title: 'Keeping it safe and accurate',
    body: `Each account's data is kept apart from every other account's; every stored piece is checked against its checksum when read; sessions can be ended per device; sign-ins and registrations are rate-limited. You can correct your email address and device names at any time.`,
  },
  {
    id: 'retention',
    title: 'How long we keep it',
    body: `- Backups stay until you delete them; pieces no snapshot uses any more are removed after a grace period.
- Sessions expire {{sessionDays}} days after sign-in.
- Access log entries are deleted after {{accessLogRetentionDays}} days.
- Inquiries are kept while your account exists.
- When you delete your account, the key that unlocks your data with your passphrase is destroyed at once, and everything else is erased {{deletionRetentionDays}} days later. Until then you can undo the deletion with your recovery key. After the erasure you can fetch a signed deletion receipt.
- Usage statistics are kept only as daily totals, which identify nobody.`,
  },
  {
    id: 'rights',
    title: 'Your rights',
    body: `In the app's privacy center you can:
- download everything we hold about you in one machine-readable file (disclosure);
- change your email address (confirmed by a code sent to the new address) and rename or remove devices (correction);
- suspend your account: syncing and server processing stop and other devices are signed out, your data stays, and you can resume at any time (suspension);
- delete your account, as described under "How long we keep it" (deletion);
- read and export your access log and consent ledger.
You can also ask us at {{operatorEmail}}; we answer without undue delay.`,
  },
  {
    id: 'revision',
    title: 'Changes to this policy',
    body: `Each version of this policy has a number, a date and a fingerprint (SHA-256) of its text, and earlier versions stay available. The app shows what changed since the version you accepted. For a significant change we notify you in the app and ask for your consent again before syncing resumes; until then your data stays as it is, and you can still download or delete it.`,
  },
  {
    id: 'contact',
    title: 'Contact',
    body: `{{operatorName}}
{{operatorAddress}}
{{operatorEmail}}`,
  },
];

const terms: PolicySection[] = [
  {
    id: 'service',
    title: 'The service',
    body: `These terms apply between you and {{operatorName}} ("we") for the use of this Kura server. Kura stores end-to-end encrypted backups made by the Kura app in your browser.`,
  },
  {
    id: 'keys',
    title: 'Your passphrase and recovery key',
    body: `Only you hold the passphrase and the recovery key. We cannot reset them or read your backups without them. Keep the recovery key somewhere safe: losing both means losing access to your backups.`,
  },
  {
    id: 'account',
    title: 'Your account',
    body: `Give an email address you can receive mail at and keep it current. You are responsible for what is done with your account and your devices.`,
  },
  {
    id: 'acceptable-use',
    title: 'Acceptable use',
    body: `Use Kura to back up your own data. Do not attack the service, try to reach other accounts, or use it to store or spread material that is unlawful for you to hold.`,
  },
  {
    id: 'availability',
    title: 'Availability and your other copies',
    body: `We work to keep the service available and your data intact, but we cannot promise it will never fail. Keep your originals or another copy of anything you cannot afford to lose.`,
  },
  {
    id: 'suspension',
    title: 'Suspension and ending',
    body: `You can suspend or delete your account at any time from the privacy center. We may suspend an account that breaks these terms, after telling you why where the law allows.`,
  },
  {
    id: 'liability',
    title: 'Liability',
    body: `To the extent the law allows, we are not liable for losses caused by the loss of your keys or by events outside our reasonable control. Nothing in these terms limits rights you have as a consumer.`,
  },
  {
    id: 'changes',
    title: 'Changes to these terms',
    body: `These terms are versioned together with the privacy policy; significant changes ask for your consent again, as the policy describes.`,
  },
  {
    id: 'contact',
    title: 'Contact',
    body: `{{operatorName}}, {{operatorAddress}}, {{operatorEmail}}`,
  },
];

export const EN: PolicyText = { privacy, terms };

/** Version 1's retention section: it had no deletion receipt and no access-log period. */
export const EN_V1_RETENTION: PolicySection = {
  id: 'retention',
  title: 'How long we keep it',
  body: `- Backups stay until you delete them.
- Sessions expire {{sessionDays}} days after sign-in.
- When you delete your account, everything is erased {{deletionRetentionDays}} days later.`,
};

export const EN_SUMMARY = {
  v1: 'First draft of the policy and terms.',
  v2: 'Adds opt-in usage statistics, access-log and deletion periods, and signed deletion receipts.',
};
