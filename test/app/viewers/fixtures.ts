/**
 * Object URLs as the viewer sees them in a test: URL.createObjectURL and revokeObjectURL replaced
 * by recorders, so a test can check which Blob got a URL and that every URL is revoked.
 */
import { vi } from 'vitest';

export interface ObjectUrls {
  readonly create: ReturnType<typeof vi.fn<(blob: Blob) => string>>;
  readonly revoke: ReturnType<typeof vi.fn<(url: string) => void>>;
  /** Blobs by the URL made for them. */
  readonly blobs: Map<string, Blob>;
  restore(): void;
}

export function stubObjectUrls(): ObjectUrls {
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
  const blobs = new Map<string, Blob>();
  let n = 0;
  const create = vi.fn((blob: Blob) => {
    const url = `blob:kura/${++n}`;
    blobs.set(url, blob);
    return url;
  });
  const revoke = vi.fn((_url: string) => undefined);
  URL.createObjectURL = create;
  URL.revokeObjectURL = revoke;
  return {
    create,
    revoke,
    blobs,
    restore() {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
    },
  };
}
