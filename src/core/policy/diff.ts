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
  const out: SectionChange[] = [];
  for (const document of POLICY_DOCUMENTS) {
    const before = new Map<string, PolicySection>(from.text[lang][document].map((s) => [s.id, s]));
    const after = new Map<string, PolicySection>(to.text[lang][document].map((s) => [s.id, s]));
    for (const [id, s] of after) {
      const old = before.get(id);
      if (!old) out.push({ document, id, change: 'added', title: s.title });
      else if (old.title !== s.title || old.body !== s.body) out.push({ document, id, change: 'changed', title: s.title });
    }
    for (const [id, s] of before) if (!after.has(id)) out.push({ document, id, change: 'removed', title: s.title });
  }
  return out;
}
