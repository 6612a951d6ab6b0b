/**
 * KuraErrors across the worker boundary (STYLE.md 7): Comlink sends a thrown Error as its name and
 * message only; this keeps the stable code and the details, and rebuilds a KuraError on the other
 * side. Installed by both the worker entry and the page before any call.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { KuraError, type KuraErrorCode } from '../../core/errors.ts';

interface SerializedKuraError {
  readonly kura: true;
  readonly code: KuraErrorCode;
  readonly details: Record<string, unknown>;
}

export function installErrorTransfer(): void {
  const original = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown> | undefined;
  if (!original || (original as { kura?: boolean }).kura) return;
  const handler: TransferHandler<{ value: unknown }, unknown> & { kura: true } = {
    kura: true,
    canHandle: (value): value is { value: unknown } => original.canHandle(value),
    serialize(thrown) {
      if (thrown.value instanceof KuraError) {
        const details = JSON.parse(JSON.stringify(thrown.value.details)) as Record<string, unknown>;
        return [{ kura: true, code: thrown.value.code, details } satisfies SerializedKuraError, []];
      }
      return original.serialize(thrown);
    },
    deserialize(serialized) {
      const s = serialized as Partial<SerializedKuraError> | null;
      if (s?.kura && s.code) throw new KuraError(s.code, s.details ?? {});
      return original.deserialize(serialized);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
}
