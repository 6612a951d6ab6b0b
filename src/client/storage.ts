/**
 * The browser's storage for Kura: ask once that it be persistent (so the browser does not evict
 * staged backups under pressure) and read how much is used, for the storage meter.
 */
export interface LocalStorageState {
  readonly persisted: boolean;
  readonly usageBytes: number | undefined;
  readonly quotaBytes: number | undefined;
}

export async function requestPersistence(storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<boolean> {
  if (!storage?.persist) return false;
  return (await storage.persisted?.()) || storage.persist();
}

export async function localStorageState(storage: StorageManager | undefined = globalThis.navigator?.storage): Promise<LocalStorageState> {
  const estimate = await storage?.estimate?.();
  return {
    persisted: (await storage?.persisted?.()) ?? false,
    usageBytes: estimate?.usage,
    quotaBytes: estimate?.quota,
  };
}
