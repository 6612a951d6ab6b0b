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
  // 2: privacy (issue 7). Account status beyond 'active' uses the existing status column.
  `
  ALTER TABLE accounts ADD COLUMN deletion_requested_at BIGINT;
  ALTER TABLE accounts ADD COLUMN deletion_due_at BIGINT;
  ALTER TABLE accounts ADD COLUMN deletion_receipt_id TEXT;

  CREATE TABLE consents (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    seq INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    action TEXT NOT NULL,
    policy_version INTEGER NOT NULL,
    policy_hash TEXT NOT NULL,
    time BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    screen_version TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (account_id, seq)
  );

  CREATE TABLE email_changes (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id),
    email TEXT NOT NULL,
    code_hash BYTEA NOT NULL,
    expires_at BIGINT NOT NULL
  );

  -- What the default mailer "sends": the operator delivers it (README, Privacy).
  CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time BIGINT NOT NULL,
    account_id TEXT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL
  );

  CREATE TABLE inquiries (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX inquiries_by_account ON inquiries(account_id, created_at);

  CREATE TABLE inquiry_messages (
    inquiry_id TEXT NOT NULL REFERENCES inquiries(id),
    seq INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    time BIGINT NOT NULL,
    PRIMARY KEY (inquiry_id, seq)
  );

  CREATE TABLE inquiry_attachments (
    inquiry_id TEXT NOT NULL REFERENCES inquiries(id),
    seq INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (inquiry_id, seq)
  );

  CREATE TABLE external_links (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    service_id TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, service_id)
  );

  -- A keyed hash of (account, day) per report received: one report a day, never the account id.
  CREATE TABLE stats_markers (
    marker TEXT PRIMARY KEY,
    day TEXT NOT NULL
  );

  CREATE TABLE stats_counters (
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (day, name)
  );

  CREATE TABLE deletion_receipts (
    id TEXT PRIMARY KEY,
    signed TEXT NOT NULL,
    signature BYTEA NOT NULL,
    created_at BIGINT NOT NULL
  );

  CREATE INDEX access_log_by_time ON access_log(time);
  `,
];
