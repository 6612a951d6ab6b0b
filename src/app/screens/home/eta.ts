/**
 * A time left to show as "about …": estimates jump with every chunk, so they are rounded to a
 * step that does not flicker (5 s under a minute, whole minutes under an hour, 5 min above).
 */
export function roughSeconds(seconds: number): number {
  if (seconds < 60) return Math.max(5, Math.ceil(seconds / 5) * 5);
  if (seconds < 3600) return Math.round(seconds / 60) * 60;
  return Math.round(seconds / 300) * 300;
}
