import { ClinicsAndOutbox1764201600000 } from './1764201600000-clinics-and-outbox.js';
import { Audit1764288000000 } from './1764288000000-audit.js';
import { Identity1764288100000 } from './1764288100000-identity.js';
import { ClientsAndCases1764374400000 } from './1764374400000-clients-and-cases.js';

/** Every migration, oldest first. Landed migrations are never edited. */
export const MIGRATIONS = [
  ClinicsAndOutbox1764201600000,
  Audit1764288000000,
  Identity1764288100000,
  ClientsAndCases1764374400000,
];
