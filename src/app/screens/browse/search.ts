/**
 * Matching file names as people type them: case-insensitive, and width-insensitive for Japanese
 * (NFKC folds full-width "ＩＭＧ" and half-width "ｶﾒﾗ" into "img" and "カメラ"), so a search
 * finds a file however the keyboard or the camera spelled it.
 */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Indexes of the keys containing the query (all of them for a blank query). */
export function matching(keys: readonly string[], query: string): number[] | undefined {
  const q = searchKey(query.trim());
  if (q === '') return undefined;
  const out: number[] = [];
  for (let i = 0; i < keys.length; i++) if (keys[i]!.includes(q)) out.push(i);
  return out;
}
