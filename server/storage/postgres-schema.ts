/**
 * The PostgreSQL schema as numbered migrations, applied in order on start and recorded in the
 * schema_migrations table, all under one advisory lock in one transaction, so two instances
 * starting at once neither race nor leave a half-applied schema. Frozen once released: a change is
 * a new migration, never an edit. Mirrors sqlite-schema.ts; times and sizes are BIGINT (the
 * store parses them back to numbers), byte strings BYTEA.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL CONSTRAINT accounts_email_key UNIQUE,
    kdf_alg TEXT NOT NULL,
    kdf_m INTEGER NOT NULL,
    kdf_t INTEGER NOT NULL,
    kdf_p INTEGER NOT NULL,
    kdf_salt BYTEA NOT NULL,
    auth_salt BYTEA NOT NULL,
    auth_hash BYTEA NOT NULL,
    recovery_salt BYTEA NOT NULL,
    recovery_hash BYTEA NOT NULL,
    wrapped_master_key BYTEA NOT NULL,
    wrapped_recovery_key BYTEA NOT NULL,
    status TEXT NOT NULL,
    quota_bytes BIGINT NOT NULL,
    -- Bytes held (chunk envelopes + sealed manifests), kept in step by every write that changes it.
    usage_bytes BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
  );

  CREATE TABLE devices (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, id)
  );

  CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    device_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_device ON sessions(account_id, device_id);
  CREATE INDEX sessions_by_expiry ON sessions(expires_at);

  CREATE TABLE chunks (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    released_at BIGINT NOT NULL DEFAULT 0,
    corrupt BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, id)
  );

  CREATE TABLE snapshots (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    device_id TEXT NOT NULL,
    counter BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    chunk_count BIGINT NOT NULL,
    sealed BYTEA NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  CREATE INDEX snapshots_by_device ON snapshots(account_id, device_id, counter);

  CREATE TABLE snapshot_refs (
    account_id TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    PRIMARY KEY (account_id, snapshot_id, chunk_id)
  );
  CREATE INDEX snapshot_refs_by_chunk ON snapshot_refs(account_id, chunk_id);

  CREATE TABLE access_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time BIGINT NOT NULL,
    ip TEXT NOT NULL,
    account_id TEXT,
    device_id TEXT,
    route TEXT NOT NULL,
    status INTEGER NOT NULL
  );
  CREATE INDEX access_log_by_account ON access_log(account_id, id);

  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_index BIGINT NOT NULL,
    count BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  `,
];
