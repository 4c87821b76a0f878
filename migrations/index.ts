import { ClinicsAndOutbox1764201600000 } from './1764201600000-clinics-and-outbox.js';

/** Every migration, oldest first. Landed migrations are never edited. */
export const MIGRATIONS = [ClinicsAndOutbox1764201600000];
