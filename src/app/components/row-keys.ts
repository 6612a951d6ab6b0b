/**
 * Keyboard movement in a list of rows marked `data-row` (its index), where only one row holds the
 * Tab stop: the arrows move one row, Page Up and Page Down eight, Home and End to either end.
 * The list decides where a move lands (some skip their heading rows); these read the event.
 */
const MOVES: Readonly<Record<string, number>> = { ArrowUp: -1, ArrowDown: 1, PageUp: -8, PageDown: 8, Home: -Infinity, End: Infinity };

/** The index of the row holding the event's target, if it is in one. */
export function rowOf(event: Event): number | undefined {
  const item = (event.target as HTMLElement).closest<HTMLElement>('[data-row]');
  return item ? Number(item.dataset.row) : undefined;
}

/**
 * A key that moves between rows: the row it was pressed in and how far to go (±Infinity for Home
 * and End), with the browser's own scrolling prevented. Undefined for any other key, a key with a
 * modifier, or one pressed outside a row.
 */
export function rowMove(event: KeyboardEvent): { readonly from: number; readonly step: number } | undefined {
  const step = MOVES[event.key];
  const from = rowOf(event);
  if (step === undefined || from === undefined || event.altKey || event.ctrlKey || event.metaKey) return undefined;
  event.preventDefault();
  return { from, step };
}
