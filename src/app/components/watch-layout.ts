/**
 * What a page-scrolled virtual list needs from its container, for as long as it is mounted: to be
 * measured now and whenever it or the window resizes (its width, its offset from the page top),
 * and its keyboard and focus events. Returns the function that stops all of it.
 */
export function watchLayout(
  el: HTMLElement,
  measure: () => void,
  on: { readonly keydown: (event: KeyboardEvent) => void; readonly focusin: (event: FocusEvent) => void },
): () => void {
  measure();
  el.addEventListener('keydown', on.keydown);
  el.addEventListener('focusin', on.focusin);
  window.addEventListener('resize', measure);
  const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(measure);
  observer?.observe(el);
  return () => {
    observer?.disconnect();
    el.removeEventListener('keydown', on.keydown);
    el.removeEventListener('focusin', on.focusin);
    window.removeEventListener('resize', measure);
  };
}

/** The element's distance from the top of the document: a page-scrolled list's scroll margin. */
export function pageTop(el: HTMLElement): number {
  return Math.round(el.getBoundingClientRect().top + window.scrollY);
}
