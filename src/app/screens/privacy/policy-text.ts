/**
 * A policy section's body as blocks to render: paragraphs are separated by blank lines, and lines
 * starting "- " are list items (consecutive ones make one list). No markup is interpreted, so the
 * server's text can never inject HTML.
 */
export type PolicyBlock = { readonly kind: 'paragraph'; readonly text: string } | { readonly kind: 'list'; readonly items: readonly string[] };

export function policyBlocks(body: string): PolicyBlock[] {
  const blocks: PolicyBlock[] = [];
  for (const chunk of body.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    let paragraph: string[] = [];
    let items: string[] = [];
    const flushParagraph = () => {
      if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
      paragraph = [];
    };
    const flushList = () => {
      if (items.length) blocks.push({ kind: 'list', items });
      items = [];
    };
    for (const raw of chunk.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith('- ')) {
        flushParagraph();
        items.push(line.slice(2).trim());
      } else {
        flushList();
        paragraph.push(line);
      }
    }
    flushParagraph();
    flushList();
  }
  return blocks;
}

/** The anchor id of a section in the rendered document. */
export function sectionAnchor(id: string): string {
  return `policy-${id.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

/** "2026-11-01" as a date the user reads, without the time zone moving it a day. */
export function policyDateMs(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12) : undefined;
}

/**
 * Follows a link to a policy section in the page: scrolls to it and moves focus there. The URL's
 * hash is the app's route (#/privacy/policy), so a plain "#anchor" link would navigate away.
 */
export function jumpToSection(event: MouseEvent, id: string): void {
  event.preventDefault();
  const target = document.getElementById(sectionAnchor(id));
  target?.scrollIntoView?.({ block: 'start' });
  target?.focus();
}
