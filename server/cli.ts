/**
 * `npm run kura -- <command>`: the server's maintenance commands.
 *
 *   migrate --from <data dir> --to <postgres url> [--s3-endpoint URL] [--s3-bucket NAME] [--verify-only]
 *
 * Copies an embedded deployment into PostgreSQL and the S3 bucket of KURA_S3_* (the flags
 * override endpoint and bucket), verifies the copy, prints a report. Exit status: 0 complete and
 * verified, 1 a mismatch was found, 2 the migration could not run (the reason is printed).
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { migrate, MigrateError, redact, type MigrateReport } from './migrate/migrate.ts';
import { s3OptionsFromEnv } from './storage/s3-objects.ts';

const USAGE = `Usage: npm run kura -- migrate --from <data dir> --to <postgres url> [--s3-endpoint URL] [--s3-bucket NAME] [--verify-only]

  Copies an embedded Kura deployment (the data dir's kura.sqlite and objects/) into PostgreSQL
  and an S3 bucket, verifies every object and every table's row count, and prints a report.
  S3 settings come from KURA_S3_ENDPOINT, KURA_S3_BUCKET, KURA_S3_REGION, KURA_S3_PREFIX and
  KURA_S3_ACCESS_KEY/KURA_S3_SECRET_KEY (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), as for the
  server; --s3-endpoint and --s3-bucket override the first two. Run it again to resume or to
  bring the target up to date; --verify-only checks without writing.`;

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export function formatReport(r: MigrateReport, verifyOnly: boolean): string {
  const lines = [`Kura migration ${verifyOnly ? 'check' : 'report'} (${r.seconds.toFixed(1)} s)`, '', '  table            source   target  inserted  updated  removed'];
  for (const t of r.tables) {
    lines.push(`  ${t.name.padEnd(15)} ${String(t.source).padStart(7)} ${String(t.target).padStart(8)} ${String(t.inserted).padStart(9)} ${String(t.updated).padStart(8)} ${String(t.removed).padStart(8)}`);
  }
  const o = r.objects;
  lines.push(
    '',
    `  objects: ${o.total} (${mib(o.bytes)}); copied ${o.copied} (${mib(o.copiedBytes)}), already in the bucket ${o.alreadyPresent}; ` +
      `${o.verified} verified by reading back and hashing against the recorded SHA-256`,
  );
  if (r.corruptInSource > 0) lines.push(`  ${r.corruptInSource} chunk(s) were already corrupt or lost in the source (the server reports them as object-corrupt); copied as they are`);
  lines.push('');
  if (r.problems.length === 0) lines.push('OK: the target is a complete, verified copy.');
  else {
    lines.push(`MISMATCH: ${r.problems.length} problem(s):`);
    for (const p of r.problems.slice(0, 50)) lines.push(`  - ${p}`);
    if (r.problems.length > 50) lines.push(`  … and ${r.problems.length - 50} more`);
    if (!verifyOnly) lines.push('Run the command again: it finishes what is missing and checks again.');
  }
  return lines.join('\n');
}

function secretAdvice(dataDir: string): string {
  const file = join(dataDir, 'server-secret');
  if (process.env.KURA_SERVER_SECRET) return 'Server secret: keep KURA_SERVER_SECRET as it is set here on every new instance.';
  if (!existsSync(file)) return `Server secret: ${file} does not exist; nothing to carry over.`;
  return [
    `Server secret: the new instances must use this deployment's secret, or sign-in answers for unknown`,
    `emails change (telling them apart from real ones). Set on every instance:`,
    `  export KURA_SERVER_SECRET=$(od -An -tx1 -v ${file} | tr -d ' \\n')`,
    `(or copy ${file} into each instance's KURA_DATA_DIR).`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'migrate') {
    console.error(command ? `Unknown command "${command}".\n\n${USAGE}` : USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      's3-endpoint': { type: 'string' },
      's3-bucket': { type: 'string' },
      'verify-only': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.from || !values.to) throw new MigrateError(`--from and --to are required.\n\n${USAGE}`);
  if (!/^postgres(ql)?:\/\//.test(values.to)) throw new MigrateError(`--to must be a postgres:// or postgresql:// URL.`);
  const env = { ...process.env };
  if (values['s3-endpoint']) env.KURA_S3_ENDPOINT = values['s3-endpoint'];
  if (values['s3-bucket']) env.KURA_S3_BUCKET = values['s3-bucket'];
  const s3 = s3OptionsFromEnv(env);
  if (!s3) throw new MigrateError('No S3 target: set KURA_S3_ENDPOINT and KURA_S3_BUCKET (and the keys), or pass --s3-endpoint and --s3-bucket.');
  const verifyOnly = values['verify-only'];
  console.log(`${verifyOnly ? 'Checking' : 'Migrating'} ${values.from} → ${redact(values.to)} and s3 ${s3.endpoint} bucket ${s3.bucket}`);
  const report = await migrate({ dataDir: values.from, databaseUrl: values.to, s3, verifyOnly, log: (l) => console.log(l) });
  console.log(`\n${formatReport(report, verifyOnly)}`);
  if (!verifyOnly && report.problems.length === 0) console.log(`\n${secretAdvice(values.from)}`);
  return report.problems.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // Operator errors (and anything else) as one readable line; the stack only on request.
  const message = e instanceof Error ? e.message : String(e);
  console.error(`kura: ${message}`);
  if (process.env.KURA_DEBUG && e instanceof Error && !(e instanceof MigrateError)) console.error(e.stack);
  process.exitCode = 2;
}
