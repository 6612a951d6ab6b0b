/** The privacy center's sections, each a sub-route: #/privacy/<section>. */
export const PRIVACY_SECTIONS = ['policy', 'consent', 'data', 'access-log', 'inquiries', 'external'] as const;
export type PrivacySectionId = (typeof PRIVACY_SECTIONS)[number];

/** A section named in a URL, or the policy when it names none Kura knows. */
export function privacySection(raw: string | undefined): PrivacySectionId {
  return PRIVACY_SECTIONS.find((s) => s === raw) ?? 'policy';
}
