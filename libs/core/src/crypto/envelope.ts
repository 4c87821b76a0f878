import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelope encryption. Each record (or clinic) has a random data key;
 * the data key is stored wrapped by the master key. Additional authenticated data
 * binds a ciphertext to its place (e.g. `clinic:<id>/note:<id>/body`), so a
 * ciphertext copied to another row or clinic fails to decrypt.
 *
 * Format of a sealed value: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

export class DecryptionError extends Error {
  constructor() {
    super('The value could not be decrypted (wrong key, wrong context or altered)');
    this.name = 'DecryptionError';
  }
}

export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

function seal(key: Buffer, keyId: string, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(
    '.',
  );
}

function open(keys: ReadonlyMap<string, Buffer>, sealed: string, aad: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptionError();
  const [, keyId, iv, tag, ciphertext] = parts;
  const key = keys.get(keyId);
  if (key === undefined) throw new DecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/** A data key in the clear (memory only) and its wrapped form (stored). */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
  readonly wrapped: string;
}

export class EnvelopeEncryption {
  private readonly masterKeys: ReadonlyMap<string, Buffer>;
  private readonly current: MasterKey;

  /** `previous` master keys still unwrap old data keys during a rotation. */
  constructor(current: MasterKey, previous: readonly MasterKey[] = []) {
    if (current.key.length !== KEY_BYTES) throw new Error('A master key is 32 bytes');
    this.current = current;
    this.masterKeys = new Map([...previous, current].map((k) => [k.id, k.key]));
  }

  /** A fresh data key, wrapped by the current master key; `id` names it in AAD and storage. */
  createDataKey(id: string): DataKey {
    const key = randomBytes(KEY_BYTES);
    return { id, key, wrapped: seal(this.current.key, this.current.id, key, `data-key:${id}`) };
  }

  unwrapDataKey(id: string, wrapped: string): DataKey {
    return { id, key: open(this.masterKeys, wrapped, `data-key:${id}`), wrapped };
  }

  /** Re-wraps a data key under the current master key (key rotation). */
  rewrapDataKey(id: string, wrapped: string): string {
    const { key } = this.unwrapDataKey(id, wrapped);
    return seal(this.current.key, this.current.id, key, `data-key:${id}`);
  }

  encrypt(dataKey: DataKey, plaintext: string, aad: string): string {
    return seal(dataKey.key, dataKey.id, Buffer.from(plaintext, 'utf8'), aad);
  }

  decrypt(dataKey: DataKey, sealed: string, aad: string): string {
    return open(new Map([[dataKey.id, dataKey.key]]), sealed, aad).toString('utf8');
  }
}
