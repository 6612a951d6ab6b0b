/** Online or not, as the browser says; the banner and the sync badge read it. */
export class Connectivity {
  online = $state(true);

  constructor(navigatorLike: { onLine?: boolean } | undefined = globalThis.navigator) {
    this.online = navigatorLike?.onLine ?? true;
  }

  listen(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
    const on = () => (this.online = true);
    const off = () => (this.online = false);
    target.addEventListener('online', on);
    target.addEventListener('offline', off);
    return () => {
      target.removeEventListener('online', on);
      target.removeEventListener('offline', off);
    };
  }
}
