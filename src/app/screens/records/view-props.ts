/**
 * What the records hub hands each kind's view (contacts, calendar, call history): one contract, so
 * the hub can show any of them and a test can put a stub in their place.
 */
import type { Component } from 'svelte';
import type { RecordKind } from '../../../client/records-api.ts';

export interface RecordViewProps {
  /** Bumped by the hub after an import or a restore: the view loads its records again. */
  refresh?: number;
  /** The keys (recordKey) of the records the user selected; $bindable. */
  selected?: string[];
  /** The user asked to export these records: the hub opens the export dialog. */
  onexport: (keys: string[]) => void;
}

export type RecordViews = { readonly [K in RecordKind]: Component<RecordViewProps, object, 'selected'> };
