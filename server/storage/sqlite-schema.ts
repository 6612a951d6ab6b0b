/**
 * The SQLite schema as numbered migrations, applied in order on open and recorded in
 * PRAGMA user_version. Frozen once released: a change is a new migration, never an edit.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    kdf_alg TEXT NOT NULL,
    kdf_m INTEGER NOT NULL,
    kdf_t INTEGER NOT NULL,
    kdf_p INTEGER NOT NULL,
    kdf_salt BLOB NOT NULL,
    auth_salt BLOB NOT NULL,
    auth_hash BLOB NOT NULL,
    recovery_salt BLOB NOT NULL,
    recovery_hash BLOB NOT NULL,
    wrapped_master_key BLOB NOT NULL,
    wrapped_recovery_key BLOB NOT NULL,
    status TEXT NOT NULL,
    quota_bytes INTEGER NOT NULL,
    -- Bytes held (chunk envelopes + sealed manifests), kept in step by every write that changes it,
    -- so a quota check is one row read rather than a sum over the account's chunks.
    usage_bytes INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE devices (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, id)
  ) STRICT;

  CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    device_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_by_device ON sessions(account_id, device_id);

  CREATE TABLE chunks (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    released_at INTEGER NOT NULL DEFAULT 0,
    corrupt INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE snapshots (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    device_id TEXT NOT NULL,
    counter INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    PRIMARY KEY (account_id, id)
  ) STRICT;
  CREATE INDEX snapshots_by_device ON snapshots(account_id, device_id, counter);

  CREATE TABLE snapshot_refs (
    account_id TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    PRIMARY KEY (account_id, snapshot_id, chunk_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX snapshot_refs_by_chunk ON snapshot_refs(account_id, chunk_id);

  CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    ip TEXT NOT NULL,
    account_id TEXT,
    device_id TEXT,
    route TEXT NOT NULL,
    status INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX access_log_by_account ON access_log(account_id, id);

  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window INTEGER NOT NULL,
    count INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  `,
];
