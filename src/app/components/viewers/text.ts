/**
 * Text files as a person would read them: UTF-8 when the bytes are UTF-8 (a BOM is dropped), else
 * Shift_JIS when they are valid Shift_JIS (older Japanese notes and CSV exports from Excel), else
 * UTF-8 with replacement characters, so something readable always comes out. Only the first
 * TEXT_LIMIT bytes are read: a huge log file must not freeze the page.
 */
import { TEXT_LIMIT } from './kind.ts';

export interface ShownText {
  readonly text: string;
  /** The file is longer than what is shown. */
  readonly truncated: boolean;
}

export async function readText(blob: Blob, limit = TEXT_LIMIT): Promise<ShownText> {
  const truncated = blob.size > limit;
  const bytes = new Uint8Array(await blob.slice(0, limit).arrayBuffer());
  return { text: decodeText(bytes, truncated), truncated };
}

/** `cut`: the bytes stop mid-file, so a character split at the end is not an error. */
export function decodeText(bytes: Uint8Array, cut = false): string {
  for (const encoding of ['utf-8', 'shift_jis']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: cut });
    } catch {
      // Not valid in this encoding (or the platform lacks it): try the next.
    }
  }
  return new TextDecoder('utf-8').decode(bytes, { stream: cut });
}
