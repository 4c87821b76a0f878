import { AuditEventError } from './audit.error.js';

export type AuditOutcome = 'success' | 'denied' | 'failure';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'denied', 'failure'];

/** Ids, codes and small numbers: never free text. */
export type AuditMetadataValue = string | number | boolean | null | readonly string[];
export type AuditMetadata = Readonly<Record<string, AuditMetadataValue>>;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** As the migration's check constraints. */
export const ACTION = /^[a-z][a-z0-9_.-]{0,79}$/;
export const TARGET_TYPE = /^[a-z][a-z0-9_]{0,39}$/;
/**
 * A metadata string or target id: an id, a code, an ISO time, a hash. No
 * whitespace and no "@", so a sentence (clinical text) or an email address
 * cannot be recorded, not even by mistake.
 */
export const TOKEN = /^[A-Za-z0-9_.:/+=-]{1,100}$/;
const METADATA_KEY = /^[a-z][a-zA-Z0-9_]{0,39}$/;
export const MAX_METADATA_KEYS = 16;
export const MAX_METADATA_LIST = 20;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Refuses metadata that could carry clinical text or documents: a flat object of
 * at most 16 fields, each null, a boolean, a finite number, a token (see
 * {@link TOKEN}) or a list of at most 20 tokens. Errors name the field, never
 * the value (it might be exactly what must not be logged).
 */
export function assertAuditMetadata(metadata: unknown): asserts metadata is AuditMetadata {
  if (!isPlainObject(metadata)) throw new AuditEventError('Audit metadata is a flat object');
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_KEYS) {
    throw new AuditEventError(`Audit metadata has at most ${MAX_METADATA_KEYS} fields`);
  }
  for (const [key, value] of entries) {
    if (!METADATA_KEY.test(key)) throw new AuditEventError('Audit metadata field names are camelCase identifiers');
    const isToken = (item: unknown): boolean => typeof item === 'string' && TOKEN.test(item);
    const isAllowed =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      isToken(value) ||
      (Array.isArray(value) && value.length <= MAX_METADATA_LIST && value.every(isToken));
    if (!isAllowed) {
      throw new AuditEventError(
        `Audit metadata field "${key}" must be an id, a code or a small number (no free text, at most 100 characters)`,
      );
    }
  }
}

/** A uuid in the case PostgreSQL returns it, or null; refuses anything else. */
export function optionalUuid(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (!UUID.test(value)) throw new AuditEventError(`Audit field "${field}" must be a uuid`);
  return value.toLowerCase();
}
