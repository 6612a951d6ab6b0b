/** The user's preferences on this device, applied as they change (language, theme). */
import type { AppApi, Language, Preferences } from '../../client/app-api.ts';
import { browserLanguage, setLanguage } from '../i18n/index.ts';

export class PreferencesState {
  value = $state<Preferences>() as Preferences;

  constructor(private readonly api: AppApi) {
    this.value = api.loadPreferences();
  }

  /** The language in use: the chosen one, or the browser's. */
  get language(): Language {
    return this.value.language ?? browserLanguage();
  }

  update(changes: Partial<Preferences>): void {
    this.value = this.api.savePreferences(changes);
    if ('language' in changes) setLanguage(this.language);
    if ('theme' in changes) applyTheme(this.value.theme);
  }
}

/** `data-theme` on <html>: 'system' leaves the colour scheme to the media query. */
export function applyTheme(theme: Preferences['theme'], root: HTMLElement | undefined = globalThis.document?.documentElement): void {
  if (!root) return;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
