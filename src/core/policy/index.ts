/** The policy folder's one door (types.ts defines its nouns). */
export * from './types.ts';
export * from './versions.ts';
export * from './render.ts';
export * from './diff.ts';
export * from './ledger.ts';
export * from './receipt.ts';
