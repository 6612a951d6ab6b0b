/** A short notices list for the Settings tests (the real one is generated at build time). */
export const NOTICES = [{ name: 'svelte', version: '5.57.3', licence: 'MIT' }];
