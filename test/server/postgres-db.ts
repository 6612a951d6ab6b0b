/**
 * Throwaway PostgreSQL databases for tests. KURA_TEST_DATABASE_URL points at a server where the
 * user may create databases (e.g. postgres:///postgres?host=/var/run/postgresql&user=root, with a
 * superuser role named after the OS user; .ci/run sets one up). Without it the PostgreSQL tests
 * are skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL: string | undefined = process.env.KURA_TEST_DATABASE_URL || undefined;

export const SKIP_REASON = 'PostgreSQL tests skipped: set KURA_TEST_DATABASE_URL=postgres://… (a role that may CREATE DATABASE) to run them';

export interface TestDatabase {
  /** The new database's URL: KURA_TEST_DATABASE_URL with its database name replaced. */
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!TEST_DATABASE_URL) throw new Error('KURA_TEST_DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named, empty database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kura_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
