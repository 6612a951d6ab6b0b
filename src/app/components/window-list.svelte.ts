/**
 * A virtual list that scrolls with the page (the window), over TanStack Virtual's core, for rows
 * whose heights are known in advance (grid rows, header rows, file rows). Only the rows in view,
 * plus a few either side, are in the DOM; `items` is reactive, changing when that window moves.
 *
 * It drives the core Virtualizer directly instead of the Svelte store adapter: a rune wrapper is a
 * few lines, and a new row count or row height (a resize regroups the grid) takes effect at once.
 */
import {
  defaultRangeExtractor,
  observeWindowOffset,
  observeWindowRect,
  Virtualizer,
  windowScroll,
  type VirtualItem,
  type VirtualizerOptions,
} from '@tanstack/svelte-virtual';

export interface WindowListConfig {
  readonly count: number;
  readonly sizeOf: (index: number) => number;
  readonly keyOf: (index: number) => string | number;
  /** The list's distance from the top of the document (what sits above it on the page). */
  readonly scrollMargin: number;
  /** A row kept rendered even when out of view (the one holding keyboard focus). */
  readonly keep?: number | undefined;
}

export class WindowList {
  private tick = $state(0);
  private ticks = 0;
  private readonly virtualizer: Virtualizer<Window, HTMLElement>;
  private keep: number | undefined;

  constructor(overscan = 4) {
    this.virtualizer = new Virtualizer<Window, HTMLElement>(this.options({ count: 0, sizeOf: () => 0, keyOf: (i) => i, scrollMargin: 0 }, overscan));
  }

  /** The rows to render now, each with its `start` (includes the scroll margin) and `size`. */
  get items(): VirtualItem[] {
    void this.tick;
    return this.virtualizer.getVirtualItems();
  }

  get totalSize(): number {
    void this.tick;
    return this.virtualizer.getTotalSize();
  }

  get scrollMargin(): number {
    void this.tick;
    return this.virtualizer.options.scrollMargin;
  }

  /** Starts following the window's scroll and size; returns the function that stops. */
  attach(): () => void {
    const detach = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.changed();
    return detach;
  }

  configure(config: WindowListConfig): void {
    this.keep = config.keep;
    this.virtualizer.setOptions(this.options(config, this.virtualizer.options.overscan));
    this.virtualizer.measure(); // row heights may have changed with the same count
    this.virtualizer._willUpdate();
  }

  scrollToRow(index: number): void {
    this.virtualizer.scrollToIndex(index, { align: 'auto' });
  }

  private changed(): void {
    this.tick = ++this.ticks; // a write only: effects that configure the list never depend on it
  }

  private options(config: WindowListConfig, overscan: number): VirtualizerOptions<Window, HTMLElement> {
    return {
      count: config.count,
      estimateSize: config.sizeOf,
      getItemKey: config.keyOf,
      scrollMargin: config.scrollMargin,
      overscan,
      getScrollElement: () => (typeof window === 'undefined' ? null : window),
      observeElementRect: observeWindowRect,
      observeElementOffset: observeWindowOffset,
      scrollToFn: windowScroll,
      initialOffset: () => (typeof window === 'undefined' ? 0 : window.scrollY),
      rangeExtractor: (range) => {
        const indexes = defaultRangeExtractor(range);
        const keep = this.keep;
        if (keep === undefined || keep >= range.count || indexes.includes(keep)) return indexes;
        return keep < (indexes[0] ?? 0) ? [keep, ...indexes] : [...indexes, keep];
      },
      onChange: () => this.changed(),
    };
  }
}
