/**
 * The in-memory MetaStore: the twin the contract suite checks the SQLite store against, and the
 * store of choice for tests that do not care about persistence. Same semantics, plain Maps.
 */
import type { AccountId, ChunkId, DeviceId, SnapshotId } from '../../src/core/ids.ts';
import { ProcessLocks } from '../locks.ts';
import { toHex } from '../../src/core/bytes.ts';
import { MemoryPrivacyStore } from './memory-privacy.ts';
import type {
  AccessLogEntry,
  AccountRecord,
  ChunkRecord,
  CommitResult,
  DeviceRecord,
  GcCandidate,
  MetaStore,
  SessionRecord,
  SnapshotInfo,
  SnapshotRecord,
} from './ports.ts';

export interface AccountState {
  record: AccountRecord;
  devices: Map<DeviceId, DeviceRecord>;
  chunks: Map<ChunkId, { -readonly [K in keyof ChunkRecord]: ChunkRecord[K] } & { releasedAt: number }>;
  snapshots: Map<SnapshotId, SnapshotInfo & { sealed: Uint8Array; refs: Set<ChunkId> }>;
}

export class MemoryMetaStore implements MetaStore {
  /** One process owns this store, so in-process locks are shared by everyone who uses it. */
  private readonly locks = new ProcessLocks();

  withChunkLock<T>(accountId: AccountId, id: ChunkId, task: () => Promise<T>): Promise<T> {
    return this.locks.withChunkLock(accountId, id, task);
  }

  runAlone<T>(name: string, task: () => Promise<T>): Promise<T | undefined> {
    return this.locks.runAlone(name, task);
  }

  private readonly accounts = new Map<AccountId, AccountState>();
  private readonly emails = new Map<string, AccountId>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly rateLimits = new Map<string, { window: number; count: number; expiresAt: number }>();
  private readonly log: AccessLogEntry[] = [];
  readonly privacy = new MemoryPrivacyStore({
    accounts: this.accounts,
    emails: this.emails,
    sessions: this.sessions,
    rateLimits: this.rateLimits,
    log: this.log,
  });

  private state(id: AccountId): AccountState | undefined {
    return this.accounts.get(id);
  }

  async createAccount(account: AccountRecord, device: DeviceRecord, session: SessionRecord) {
    if (this.accounts.has(account.id)) return 'account-exists' as const;
    if (this.emails.has(account.email)) return 'email-taken' as const;
    this.accounts.set(account.id, {
      record: account,
      devices: new Map([[device.id, device]]),
      chunks: new Map(),
      snapshots: new Map(),
    });
    this.emails.set(account.email, account.id);
    this.sessions.set(toHex(session.tokenHash), session);
    return 'ok' as const;
  }

  async getAccount(id: AccountId) {
    return this.state(id)?.record;
  }

  async getAccountByEmail(email: string) {
    const id = this.emails.get(email);
    return id ? this.state(id)?.record : undefined;
  }

  async updateEmail(id: AccountId, email: string) {
    const s = this.state(id);
    if (!s) return 'not-found' as const;
    const owner = this.emails.get(email);
    if (owner && owner !== id) return 'email-taken' as const;
    this.emails.delete(s.record.email);
    this.emails.set(email, id);
    s.record = { ...s.record, email };
    return 'ok' as const;
  }

  async upsertDevice(accountId: AccountId, device: DeviceRecord) {
    const s = this.state(accountId);
    if (!s) return;
    const known = s.devices.get(device.id);
    s.devices.set(device.id, known ? { ...known, name: device.name, model: device.model, lastSeenAt: device.lastSeenAt } : device);
  }

  async listDevices(accountId: AccountId) {
    return [...(this.state(accountId)?.devices.values() ?? [])].sort((a, b) => a.createdAt - b.createdAt);
  }

  async renameDevice(accountId: AccountId, id: DeviceId, name: string) {
    const s = this.state(accountId);
    const device = s?.devices.get(id);
    if (!s || !device) return false;
    s.devices.set(id, { ...device, name });
    return true;
  }

  async touchDevice(accountId: AccountId, id: DeviceId, now: number) {
    const s = this.state(accountId);
    const device = s?.devices.get(id);
    if (s && device) s.devices.set(id, { ...device, lastSeenAt: now });
  }

  async revokeDevice(accountId: AccountId, id: DeviceId) {
    const s = this.state(accountId);
    if (!s?.devices.delete(id)) return false;
    for (const [key, session] of this.sessions) {
      if (session.accountId === accountId && session.deviceId === id) this.sessions.delete(key);
    }
    return true;
  }

  async createSession(session: SessionRecord) {
    this.sessions.set(toHex(session.tokenHash), session);
  }

  async getSession(tokenHash: Uint8Array) {
    return this.sessions.get(toHex(tokenHash));
  }

  async deleteSession(tokenHash: Uint8Array) {
    this.sessions.delete(toHex(tokenHash));
  }

  async deleteExpiredSessions(now: number) {
    let n = 0;
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) {
        this.sessions.delete(key);
        n++;
      }
    }
    return n;
  }

  async getChunk(accountId: AccountId, id: ChunkId) {
    const chunk = this.state(accountId)?.chunks.get(id);
    return chunk && { size: chunk.size, sha256: chunk.sha256, createdAt: chunk.createdAt, corrupt: chunk.corrupt };
  }

  async putChunk(accountId: AccountId, id: ChunkId, record: ChunkRecord) {
    this.state(accountId)?.chunks.set(id, { ...record, releasedAt: 0 });
  }

  async markCorrupt(accountId: AccountId, id: ChunkId) {
    const chunk = this.state(accountId)?.chunks.get(id);
    if (chunk) chunk.corrupt = true;
  }

  async missingChunks(accountId: AccountId, ids: readonly ChunkId[]) {
    const chunks = this.state(accountId)?.chunks;
    return ids.filter((id) => {
      const chunk = chunks?.get(id);
      return !chunk || chunk.corrupt;
    });
  }

  async usageBytes(accountId: AccountId) {
    const s = this.state(accountId);
    if (!s) return 0;
    let total = 0;
    for (const chunk of s.chunks.values()) total += chunk.size;
    for (const snapshot of s.snapshots.values()) total += snapshot.sealed.length;
    return total;
  }

  async commitSnapshot(accountId: AccountId, snapshot: SnapshotRecord, refs: readonly ChunkId[]): Promise<CommitResult> {
    const s = this.state(accountId);
    if (!s) return { kind: 'missing', missing: [...refs] };
    if (s.snapshots.has(snapshot.id)) return { kind: 'exists' };
    for (const other of s.snapshots.values()) {
      if (other.deviceId === snapshot.deviceId && other.counter >= snapshot.counter) return { kind: 'stale-counter' };
    }
    const unique = new Set(refs);
    const missing = [...unique].filter((id) => !s.chunks.has(id) || s.chunks.get(id)!.corrupt);
    if (missing.length > 0) return { kind: 'missing', missing };
    let bytes = snapshot.sealed.length;
    for (const id of unique) bytes += s.chunks.get(id)!.size;
    s.snapshots.set(snapshot.id, { ...snapshot, bytes, chunkCount: unique.size, refs: unique });
    return { kind: 'ok' };
  }

  async listSnapshots(accountId: AccountId, filter: { kind?: 'files' | 'records'; deviceId?: DeviceId }) {
    return [...(this.state(accountId)?.snapshots.values() ?? [])]
      .filter((x) => (!filter.kind || x.kind === filter.kind) && (!filter.deviceId || x.deviceId === filter.deviceId))
      .sort((a, b) => a.createdAt - b.createdAt || a.counter - b.counter)
      .map(({ sealed: _s, refs: _r, ...info }) => info);
  }

  async getSnapshot(accountId: AccountId, id: SnapshotId) {
    const found = this.state(accountId)?.snapshots.get(id);
    if (!found) return undefined;
    const { refs: _r, ...rest } = found;
    return rest;
  }

  async deleteSnapshot(accountId: AccountId, id: SnapshotId, now: number) {
    const s = this.state(accountId);
    const snapshot = s?.snapshots.get(id);
    if (!s || !snapshot) return false;
    s.snapshots.delete(id);
    for (const ref of snapshot.refs) {
      const chunk = s.chunks.get(ref);
      if (chunk) chunk.releasedAt = now;
    }
    return true;
  }

  private referenced(s: AccountState, id: ChunkId): boolean {
    for (const snapshot of s.snapshots.values()) if (snapshot.refs.has(id)) return true;
    return false;
  }

  async gcCandidates(before: number, limit: number) {
    const out: GcCandidate[] = [];
    for (const [accountId, s] of this.accounts) {
      if (s.record.status !== 'active') continue;
      for (const [id, chunk] of s.chunks) {
        if (out.length >= limit) return out;
        if (chunk.createdAt < before && chunk.releasedAt < before && !this.referenced(s, id)) {
          out.push({ accountId, id, size: chunk.size });
        }
      }
    }
    return out;
  }

  async deleteIfUnreferenced(accountId: AccountId, id: ChunkId, before: number) {
    const s = this.state(accountId);
    const chunk = s?.chunks.get(id);
    if (!s || !chunk || chunk.createdAt >= before || chunk.releasedAt >= before || this.referenced(s, id)) return false;
    s.chunks.delete(id);
    return true;
  }

  async appendAccessLog(entry: AccessLogEntry) {
    this.log.push(entry);
  }

  async listAccessLog(accountId: AccountId, limit: number) {
    return this.log.filter((e) => e.accountId === accountId).slice(-limit).reverse();
  }

  async hitRateLimit(key: string, windowMs: number, now: number) {
    const window = Math.floor(now / windowMs);
    const current = this.rateLimits.get(key);
    const count = current && current.window === window ? current.count + 1 : 1;
    this.rateLimits.set(key, { window, count, expiresAt: (window + 1) * windowMs });
    return count;
  }

  async pruneRateLimits(now: number) {
    let n = 0;
    for (const [key, entry] of this.rateLimits) {
      if (entry.expiresAt <= now) {
        this.rateLimits.delete(key);
        n++;
      }
    }
    return n;
  }

  async integrityCheck() {
    return 'ok';
  }

  async close() {}
}
