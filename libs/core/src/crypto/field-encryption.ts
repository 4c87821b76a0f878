import type { MendConfig } from '../config/config.js';
import type { TenantTransaction } from '../database/unit-of-work.js';
import { DecryptionError, EnvelopeEncryption, type DataKey } from './envelope.js';

/**
 * The envelope of this process's master keys: MASTER_KEY wraps, and while a
 * rotation is under way MASTER_KEY_PREVIOUS still unwraps the data keys it
 * wrapped. Null without MASTER_KEY (each process says why it needs one).
 */
export function masterKeyEnvelope(
  config: Pick<MendConfig, 'masterKey' | 'previousMasterKey'>,
): EnvelopeEncryption | null {
  if (config.masterKey === undefined) return null;
  return new EnvelopeEncryption(
    config.masterKey,
    config.previousMasterKey === undefined ? [] : [config.previousMasterKey],
  );
}

/**
 * Where an encrypted value lives. It is bound into the ciphertext as additional
 * authenticated data, so a value copied to another column, row or clinic fails
 * to decrypt instead of showing someone else's text.
 */
export interface FieldLocation {
  /** Table name, e.g. `session_notes`. */
  readonly table: string;
  readonly rowId: string;
  /** Column or field path, e.g. `body` or `answers.fears`. */
  readonly column: string;
}

const LOCATION_PART = /^[a-z0-9_.\-:[\]]{1,120}$/i;

export function fieldAad(clinicId: string, location: FieldLocation): string {
  for (const part of [location.table, location.rowId, location.column]) {
    if (!LOCATION_PART.test(part)) throw new Error('An encrypted field location must be identifiers only');
  }
  return `clinic:${clinicId.toLowerCase()}/${location.table}:${location.rowId.toLowerCase()}/${location.column}`;
}

/** `<clinicId>:<version>`: the key id written into every sealed value. */
function keyIdOf(clinicId: string, version: number): string {
  return `${clinicId.toLowerCase()}~${version}`;
}

function parseKeyId(sealed: string): { clinicId: string; version: number } | null {
  const keyId = sealed.split('.')[1] ?? '';
  const match = /^([0-9a-f-]{36})~(\d{1,6})$/.exec(keyId);
  return match === null ? null : { clinicId: match[1], version: Number(match[2]) };
}

interface KeyRow {
  version: number;
  wrapped_key: string;
  master_key_id: string;
}

/**
 * Encryption at rest of clinical text with per-clinic data keys (envelope
 * encryption: each clinic's key is stored wrapped by the master key). Values are
 * sealed in the caller's unit of work; the clinic's current key is created on
 * first use. Unwrapped keys are cached in memory for a short time (never
 * written anywhere).
 */
export class FieldEncryption {
  private readonly cache = new Map<string, { key: DataKey; until: number }>();

  constructor(
    private readonly envelope: EnvelopeEncryption,
    private readonly cacheMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async encrypt(tx: TenantTransaction, location: FieldLocation, plaintext: string): Promise<string> {
    const key = await this.currentKey(tx);
    return this.envelope.encrypt(key, plaintext, fieldAad(tx.clinicId, location));
  }

  async encryptNullable(
    tx: TenantTransaction,
    location: FieldLocation,
    plaintext: string | null,
  ): Promise<string | null> {
    return plaintext === null ? null : this.encrypt(tx, location, plaintext);
  }

  /** Throws {@link DecryptionError} for a value sealed elsewhere (another row, column or clinic) or altered. */
  async decrypt(tx: TenantTransaction, location: FieldLocation, sealed: string): Promise<string> {
    const keyId = parseKeyId(sealed);
    if (keyId === null || keyId.clinicId !== tx.clinicId.toLowerCase()) throw new DecryptionError();
    const key = await this.keyVersion(tx, keyId.version);
    if (key === null) throw new DecryptionError();
    return this.envelope.decrypt(key, sealed, fieldAad(tx.clinicId, location));
  }

  async decryptNullable(tx: TenantTransaction, location: FieldLocation, sealed: string | null): Promise<string | null> {
    return sealed === null ? null : this.decrypt(tx, location, sealed);
  }

  /** The key version a sealed value was written with (rotation re-encrypts those below the current one). */
  static keyVersionOf(sealed: string): number | null {
    return parseKeyId(sealed)?.version ?? null;
  }

  private cached(clinicId: string, version: number): DataKey | null {
    const hit = this.cache.get(keyIdOf(clinicId, version));
    if (hit === undefined || hit.until < this.now()) return null;
    return hit.key;
  }

  private remember(clinicId: string, row: KeyRow): DataKey {
    const key = this.envelope.unwrapDataKey(keyIdOf(clinicId, row.version), row.wrapped_key);
    this.cache.set(key.id, { key, until: this.now() + this.cacheMs });
    return key;
  }

  private async keyVersion(tx: TenantTransaction, version: number): Promise<DataKey | null> {
    const hit = this.cached(tx.clinicId, version);
    if (hit !== null) return hit;
    const [row] = await tx.query<KeyRow>(
      'select version, wrapped_key, master_key_id from clinic_data_keys where clinic_id = $1 and version = $2',
      [tx.clinicId, version],
    );
    return row === undefined ? null : this.remember(tx.clinicId, row);
  }

  private async currentKey(tx: TenantTransaction): Promise<DataKey> {
    const [current] = await tx.query<KeyRow>(
      `select version, wrapped_key, master_key_id from clinic_data_keys
        where clinic_id = $1 and retired_at is null order by version desc limit 1`,
      [tx.clinicId],
    );
    if (current !== undefined) return this.cached(tx.clinicId, current.version) ?? this.remember(tx.clinicId, current);
    // First use in this clinic: create version 1 (a concurrent first writer wins; both then use its key).
    const fresh = this.envelope.createDataKey(keyIdOf(tx.clinicId, 1));
    const masterKeyId = fresh.wrapped.split('.')[1];
    await tx.query(
      `insert into clinic_data_keys (clinic_id, version, wrapped_key, master_key_id) values ($1, 1, $2, $3)
       on conflict (clinic_id, version) do nothing`,
      [tx.clinicId, fresh.wrapped, masterKeyId],
    );
    const [row] = await tx.query<KeyRow>(
      'select version, wrapped_key, master_key_id from clinic_data_keys where clinic_id = $1 and version = 1',
      [tx.clinicId],
    );
    return this.remember(tx.clinicId, row);
  }
}
