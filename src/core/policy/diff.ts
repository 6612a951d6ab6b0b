/**
 * What changed between two versions, section by section (by id), for "what changed since the
 * version you accepted".
 */
import type { PolicyDocumentKind, PolicyLanguage, PolicySection, PolicyVersion } from './types.ts';
import { POLICY_DOCUMENTS } from './types.ts';

export interface SectionChange {
  readonly document: PolicyDocumentKind;
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** The newer version's title, or the older one's for a removed section. */
  readonly title: string;
}

export function diffVersions(from: PolicyVersion, to: PolicyVersion, lang: PolicyLanguage): SectionChange[] {
  return POLICY_DOCUMENTS.flatMap((document) => diffSections(from.text[lang][document], to.text[lang][document]).map((c) => ({ document, ...c })));
}

/** One document's sections compared by id: the added and changed in the newer order, then the removed. */
export function diffSections(from: readonly PolicySection[], to: readonly PolicySection[]): Omit<SectionChange, 'document'>[] {
  const before = new Map(from.map((s) => [s.id, s]));
  const after = new Set(to.map((s) => s.id));
  const out: Omit<SectionChange, 'document'>[] = [];
  for (const s of to) {
    const old = before.get(s.id);
    if (!old) out.push({ id: s.id, change: 'added', title: s.title });
    else if (old.title !== s.title || old.body !== s.body) out.push({ id: s.id, change: 'changed', title: s.title });
  }
  for (const s of from) if (!after.has(s.id)) out.push({ id: s.id, change: 'removed', title: s.title });
  return out;
}
