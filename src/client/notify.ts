/**
 * Notifications and the app badge, where the browser has them and the user allowed them. Shown
 * through the service worker's registration when there is one (installed apps), so they work the
 * same in a window and in the standalone app.
 */
export function canNotify(): boolean {
  return typeof Notification !== 'undefined';
}

/** Asks for permission; must run inside the user's click. */
export async function askNotificationPermission(): Promise<boolean> {
  if (!canNotify()) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

export function notify(title: string, body: string): void {
  if (!canNotify() || Notification.permission !== 'granted') return;
  const options = { body, icon: '/icon-192.png', badge: '/icon-192.png', tag: 'kura-backup' };
  const registration = globalThis.navigator?.serviceWorker?.controller ? navigator.serviceWorker.ready : undefined;
  if (registration) void registration.then((r) => r.showNotification(title, options)).catch(() => undefined);
  else new Notification(title, options);
}

interface BadgeNavigator {
  setAppBadge?(count?: number): Promise<void>;
  clearAppBadge?(): Promise<void>;
}

export function canBadge(): boolean {
  return typeof (globalThis.navigator as BadgeNavigator | undefined)?.setAppBadge === 'function';
}

export function setBadge(count: number): void {
  const nav = globalThis.navigator as BadgeNavigator | undefined;
  if (!nav?.setAppBadge) return;
  void (count > 0 ? nav.setAppBadge(count) : (nav.clearAppBadge?.() ?? nav.setAppBadge(0))).catch(() => undefined);
}
