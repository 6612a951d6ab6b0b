/**
 * The nouns of Kura's policy documents (this folder: the privacy policy and terms as data, their
 * versions, the consent ledger and consent receipts; pure, shared by the app and the server).
 *
 * - A PolicyVersion is one published revision: a number, an effective date, whether it is a
 *   significant revision (one that asks every account for consent again before sync resumes), and
 *   its text per language, as sections with a stable id so an app can build a table of contents
 *   and show what changed between two versions.
 * - Text carries {{placeholders}} for facts that come from the server's configuration (operator,
 *   retention periods); RenderedPolicy is a version with them filled in, and its hash is over
 *   that rendered text: the words the user actually saw.
 */
export const POLICY_LANGUAGES = ['en', 'ja'] as const;
export type PolicyLanguage = (typeof POLICY_LANGUAGES)[number];

export const POLICY_DOCUMENTS = ['privacy', 'terms'] as const;
export type PolicyDocumentKind = (typeof POLICY_DOCUMENTS)[number];

export interface PolicySection {
  /** Stable across versions and languages: the key for a table of contents and for diffs. */
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

export type PolicyText = Readonly<Record<PolicyDocumentKind, readonly PolicySection[]>>;

export interface PolicyVersion {
  readonly version: number;
  /** Effective date, YYYY-MM-DD (UTC): the version is current from this day on. */
  readonly date: string;
  readonly significant: boolean;
  /** One line per language: what this revision changed. */
  readonly summary: Readonly<Record<PolicyLanguage, string>>;
  readonly text: Readonly<Record<PolicyLanguage, PolicyText>>;
}

/** What the text leaves to the deployment: filled into every {{placeholder}}. */
export interface PolicyFacts {
  readonly operatorName: string;
  readonly operatorAddress: string;
  readonly operatorEmail: string;
  readonly deletionRetentionDays: number;
  readonly accessLogRetentionDays: number;
  readonly sessionDays: number;
}

export interface RenderedLanguage {
  readonly summary: string;
  readonly privacy: readonly PolicySection[];
  readonly terms: readonly PolicySection[];
}

export interface RenderedPolicy {
  readonly version: number;
  readonly date: string;
  readonly significant: boolean;
  /** SHA-256 (hex) of the canonical text of every document in every language (render.ts). */
  readonly hash: string;
  readonly languages: Readonly<Partial<Record<PolicyLanguage, RenderedLanguage>>>;
}
