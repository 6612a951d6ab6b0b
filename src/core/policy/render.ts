/**
 * Filling a version's {{placeholders}} from the deployment's facts, and its hash.
 *
 * The canonical text a hash covers is, for each language in POLICY_LANGUAGES order and each
 * document in POLICY_DOCUMENTS order: "[lang/document]\n" then every section as
 * "## id: title\n\nbody\n\n". UTF-8, SHA-256, lowercase hex. The header and ids are in it so that
 * moving text between sections changes the hash too.
 */
import { toHex } from '../bytes.ts';
import { POLICY_DOCUMENTS, POLICY_LANGUAGES, type PolicyFacts, type PolicyLanguage, type PolicySection, type PolicyVersion, type RenderedLanguage, type RenderedPolicy } from './types.ts';

export function fillText(text: string, facts: PolicyFacts): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = (facts as unknown as Record<string, unknown>)[name];
    return value === undefined ? whole : String(value);
  });
}

function fillSections(sections: readonly PolicySection[], facts: PolicyFacts): PolicySection[] {
  return sections.map((s) => ({ id: s.id, title: fillText(s.title, facts), body: fillText(s.body, facts) }));
}

export function renderLanguage(v: PolicyVersion, lang: PolicyLanguage, facts: PolicyFacts): RenderedLanguage {
  return { summary: v.summary[lang], privacy: fillSections(v.text[lang].privacy, facts), terms: fillSections(v.text[lang].terms, facts) };
}

export function canonicalText(languages: Readonly<Record<PolicyLanguage, RenderedLanguage>>): string {
  let out = '';
  for (const lang of POLICY_LANGUAGES) {
    for (const doc of POLICY_DOCUMENTS) {
      out += `[${lang}/${doc}]\n`;
      for (const s of languages[lang][doc]) out += `## ${s.id}: ${s.title}\n\n${s.body}\n\n`;
    }
  }
  return out;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return toHex(new Uint8Array(digest));
}

/** The version with the facts filled in; `only` keeps one language in the answer (the hash still covers all). */
export async function renderPolicy(v: PolicyVersion, facts: PolicyFacts, only?: PolicyLanguage): Promise<RenderedPolicy> {
  const all = { en: renderLanguage(v, 'en', facts), ja: renderLanguage(v, 'ja', facts) };
  const hash = await sha256Hex(canonicalText(all));
  return { version: v.version, date: v.date, significant: v.significant, hash, languages: only ? { [only]: all[only] } : all };
}
