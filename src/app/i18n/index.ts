/**
 * Every user-visible string comes from these catalogues (svelte-i18n, ICU message syntax), one
 * file per area and language so each screen's strings sit together. The catalogues are small and
 * bundled: the app shows text at once, offline, with no flash of keys. `test/app/catalogue.test.ts`
 * fails when a key is missing in either language.
 */
import { addMessages, init, locale } from 'svelte-i18n';
import type { Language } from '../../client/app-api.ts';
import enBrowse from './en/browse.json';
import enCommon from './en/common.json';
import enDevices from './en/devices.json';
import enHome from './en/home.json';
import enOnboarding from './en/onboarding.json';
import enRestore from './en/restore.json';
import enSettings from './en/settings.json';
import enRecords from './en/records.json';
import enContacts from './en/contacts.json';
import enCalendar from './en/calendar.json';
import enCalls from './en/calls.json';
import enPrivacy from './en/privacy.json';
import jaBrowse from './ja/browse.json';
import jaCommon from './ja/common.json';
import jaDevices from './ja/devices.json';
import jaHome from './ja/home.json';
import jaOnboarding from './ja/onboarding.json';
import jaRestore from './ja/restore.json';
import jaSettings from './ja/settings.json';
import jaRecords from './ja/records.json';
import jaContacts from './ja/contacts.json';
import jaCalendar from './ja/calendar.json';
import jaCalls from './ja/calls.json';
import jaPrivacy from './ja/privacy.json';

export const CATALOGUES = {
  en: { common: enCommon, onboarding: enOnboarding, home: enHome, browse: enBrowse, restore: enRestore, devices: enDevices, settings: enSettings, records: enRecords, contacts: enContacts, calendar: enCalendar, calls: enCalls, privacy: enPrivacy },
  ja: { common: jaCommon, onboarding: jaOnboarding, home: jaHome, browse: jaBrowse, restore: jaRestore, devices: jaDevices, settings: jaSettings, records: jaRecords, contacts: jaContacts, calendar: jaCalendar, calls: jaCalls, privacy: jaPrivacy },
} as const;

export const LANGUAGES: readonly Language[] = ['en', 'ja'];

/** The browser's language when it is one Kura speaks, English otherwise. */
export function browserLanguage(languages: readonly string[] = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en']): Language {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'en';
}

let started = false;

/** Loads the catalogues and sets the language (the user's choice, or the browser's). */
export function startI18n(chosen: Language | undefined): Language {
  const language = chosen ?? browserLanguage();
  if (!started) {
    for (const lang of LANGUAGES) addMessages(lang, CATALOGUES[lang]);
    init({ fallbackLocale: 'en', initialLocale: language });
    started = true;
  } else {
    void locale.set(language);
  }
  setDocumentLanguage(language);
  return language;
}

export function setLanguage(language: Language): void {
  void locale.set(language);
  setDocumentLanguage(language);
}

function setDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
