/**
 * Sealing and opening snapshot manifests.
 *
 * The envelope is bound to the snapshot id, so the server cannot serve snapshot A's manifest as
 * snapshot B. Opening then checks, in order: it decrypts (else envelope-auth-failed), it is a
 * version we know, it passes the schema, its id is the one asked for, and its counter is not older
 * than the newest already seen from that device (else manifest-rollback).
 */
import { fromUtf8, utf8, type Bytes } from '../bytes.ts';
import { openEnvelope, sealEnvelope } from '../crypto/envelope.ts';
import { KuraError } from '../errors.ts';
import { idBytes, type DeviceId, type SnapshotId } from '../ids.ts';
import { SNAPSHOT_VERSION, snapshotSchema, type Snapshot } from './snapshot.ts';

/** The newest snapshot a client has accepted from one device. */
export interface CounterMark {
  readonly counter: number;
  readonly id: SnapshotId;
}

export interface OpenSnapshotOptions {
  readonly id: SnapshotId;
  /**
   * Pass when the snapshot is offered as a device's latest (syncing the snapshot list): the newest
   * mark already seen from that device, whose counter the snapshot must not fall below. Leave it out
   * when the user opens an older snapshot on purpose (browsing history).
   */
  readonly lastSeen?: (deviceId: DeviceId) => CounterMark | undefined;
}

export async function sealSnapshot(key: CryptoKey, snapshot: Snapshot): Promise<Bytes> {
  const checked = parseSnapshot(snapshot); // never seal what could not be opened again
  return sealEnvelope({ key, purpose: 'manifest', binding: idBytes(checked.id) }, utf8(JSON.stringify(checked)));
}

export async function openSnapshot(key: CryptoKey, sealed: Bytes, options: OpenSnapshotOptions): Promise<Snapshot> {
  const plain = await openEnvelope({ key, purpose: 'manifest', binding: idBytes(options.id) }, sealed);
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(plain));
  } catch (e) {
    throw new KuraError('manifest-invalid', { reason: 'not JSON' }, e);
  }
  const snapshot = parseSnapshot(json);
  if (snapshot.id !== options.id) {
    throw new KuraError('manifest-id-mismatch', { expected: options.id, found: snapshot.id });
  }
  const mark = options.lastSeen?.(snapshot.deviceId);
  if (mark && (snapshot.counter < mark.counter || (snapshot.counter === mark.counter && snapshot.id !== mark.id))) {
    throw new KuraError('manifest-rollback', {
      deviceId: snapshot.deviceId,
      counter: snapshot.counter,
      lastSeen: mark.counter,
    });
  }
  return snapshot;
}

export function parseSnapshot(value: unknown): Snapshot {
  const version = (value as { v?: unknown } | null)?.v;
  if (version !== SNAPSHOT_VERSION) {
    throw new KuraError('manifest-invalid', { reason: 'unsupported version', version: String(version) });
  }
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    throw new KuraError('manifest-invalid', { issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
  }
  return result.data as Snapshot;
}
