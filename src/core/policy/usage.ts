/**
 * Usage statistics (opt-in, DESIGN.md section 1): the counters a device keeps between reports and
 * the one function that turns them into the POST /stats body. The preview the user reads and the
 * request that is sent are both `usagePayload(...)`, so what is shown is byte for byte what goes.
 * Nothing here can name a person, a device or a file: counts, size classes, error codes, the app's
 * version and the browser's family.
 */
import type { UsageStatsReport } from '../protocol.ts';

export const SIZE_CLASSES = ['under1MiB', 'to10MiB', 'to100MiB', 'to1GiB', 'over1GiB'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];
export type BrowserFamily = UsageStatsReport['browserFamily'];

export interface UsageCounters {
  readonly backupsRun: number;
  readonly filesBySize: Readonly<Record<SizeClass, number>>;
  /** Error code → how many times; codes that are not kebab-case are counted as "other". */
  readonly errors: Readonly<Record<string, number>>;
}

const MiB = 1024 * 1024;
const MAX_COUNT = 1_000_000;
const MAX_ERROR_CODES = 50;
const ERROR_CODE = /^[a-z][a-z0-9-]{0,47}$/;

export const EMPTY_COUNTERS: UsageCounters = {
  backupsRun: 0,
  filesBySize: { under1MiB: 0, to10MiB: 0, to100MiB: 0, to1GiB: 0, over1GiB: 0 },
  errors: {},
};

export function sizeClass(bytes: number): SizeClass {
  if (bytes < MiB) return 'under1MiB';
  if (bytes < 10 * MiB) return 'to10MiB';
  if (bytes < 100 * MiB) return 'to100MiB';
  if (bytes < 1024 * MiB) return 'to1GiB';
  return 'over1GiB';
}

/** The browser family from a user-agent string (order matters: Edge and Samsung say Chrome too). */
export function browserFamily(userAgent: string): BrowserFamily {
  if (/Edg\//.test(userAgent)) return 'edge';
  if (/SamsungBrowser\//.test(userAgent)) return 'samsung';
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrome\/|CriOS\//.test(userAgent)) return 'chrome';
  if (/Safari\//.test(userAgent)) return 'safari';
  return 'other';
}

/** "0.1.0-beta+x" → "0.1.0"; anything unlike a version → "0.0.0" (the schema takes only x.y.z). */
export function appVersionOf(version: string): string {
  return /^(\d{1,4}\.\d{1,4}\.\d{1,4})/.exec(version)?.[1] ?? '0.0.0';
}

/** One backup run ended: its files by size, and its error codes (a failed run's, or each file's). */
export function countRun(counters: UsageCounters, run: { readonly sizes: readonly number[]; readonly errors: readonly string[] }): UsageCounters {
  const cap = (n: number) => Math.min(MAX_COUNT, n);
  const filesBySize = { ...counters.filesBySize };
  for (const size of run.sizes) filesBySize[sizeClass(size)] = cap(filesBySize[sizeClass(size)] + 1);
  const errors: Record<string, number> = { ...counters.errors };
  for (const raw of run.errors) {
    const code = ERROR_CODE.test(raw) ? raw : 'other';
    if (!(code in errors) && Object.keys(errors).length >= MAX_ERROR_CODES) continue;
    errors[code] = cap((errors[code] ?? 0) + 1);
  }
  return { backupsRun: cap(counters.backupsRun + 1), filesBySize, errors };
}

/** The report as the server's schema has it, keys in a fixed order. */
export function usageReportOf(counters: UsageCounters, app: { readonly version: string; readonly browser: BrowserFamily }): UsageStatsReport {
  const errors: Record<string, number> = {};
  for (const code of Object.keys(counters.errors).sort()) errors[code] = counters.errors[code]!;
  return {
    appVersion: appVersionOf(app.version),
    browserFamily: app.browser,
    backupsRun: counters.backupsRun,
    filesBySize: Object.fromEntries(SIZE_CLASSES.map((c) => [c, counters.filesBySize[c]])) as UsageStatsReport['filesBySize'],
    errors,
  };
}

/** The exact JSON body of POST /stats: shown in the preview and sent as is. */
export function usagePayload(counters: UsageCounters, app: { readonly version: string; readonly browser: BrowserFamily }): string {
  return JSON.stringify(usageReportOf(counters, app), null, 2);
}
