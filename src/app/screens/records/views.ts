/** Which view shows each kind of record in the hub (the default of Records.svelte's `views`). */
import type { RecordViews } from './view-props.ts';
import Contacts from './contacts/Contacts.svelte';
import Calendar from './calendar/Calendar.svelte';
import Calls from './calls/Calls.svelte';

export const RECORD_VIEWS: RecordViews = { contacts: Contacts, calendar: Calendar, calls: Calls };
