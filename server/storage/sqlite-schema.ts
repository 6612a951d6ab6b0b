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
  // 2: privacy (issue 7). Account status beyond 'active' uses the existing status column.
  `
  ALTER TABLE accounts ADD COLUMN deletion_requested_at INTEGER;
  ALTER TABLE accounts ADD COLUMN deletion_due_at INTEGER;
  ALTER TABLE accounts ADD COLUMN deletion_receipt_id TEXT;

  CREATE TABLE consents (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    seq INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    action TEXT NOT NULL,
    policy_version INTEGER NOT NULL,
    policy_hash TEXT NOT NULL,
    time INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    screen_version TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (account_id, seq)
  ) STRICT;

  CREATE TABLE email_changes (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id),
    email TEXT NOT NULL,
    code_hash BLOB NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;

  -- What the default mailer "sends": the operator delivers it (README, Privacy).
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    account_id TEXT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL
  ) STRICT;

  CREATE TABLE inquiries (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX inquiries_by_account ON inquiries(account_id, created_at);

  CREATE TABLE inquiry_messages (
    inquiry_id TEXT NOT NULL REFERENCES inquiries(id),
    seq INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    time INTEGER NOT NULL,
    PRIMARY KEY (inquiry_id, seq)
  ) STRICT;

  CREATE TABLE inquiry_attachments (
    inquiry_id TEXT NOT NULL REFERENCES inquiries(id),
    seq INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (inquiry_id, seq)
  ) STRICT;

  CREATE TABLE external_links (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    service_id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, service_id)
  ) STRICT;

  -- A keyed hash of (account, day) per report received: one report a day, never the account id.
  CREATE TABLE stats_markers (
    marker TEXT PRIMARY KEY,
    day TEXT NOT NULL
  ) STRICT;

  CREATE TABLE stats_counters (
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (day, name)
  ) STRICT;

  CREATE TABLE deletion_receipts (
    id TEXT PRIMARY KEY,
    signed TEXT NOT NULL,
    signature BLOB NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE INDEX access_log_by_time ON access_log(time);
  `,
];
