import { randomBytes } from 'node:crypto';

import { DecryptionError, EnvelopeEncryption } from './envelope.js';

describe('EnvelopeEncryption', () => {
  const master = { id: 'k1', key: randomBytes(32) };
  const encryption = new EnvelopeEncryption(master);

  it('round-trips text through a wrapped data key', () => {
    const dataKey = encryption.createDataKey('clinic-a');
    const sealed = encryption.encrypt(dataKey, 'synthetic text ✓', 'clinic:a/note:1');
    expect(sealed).not.toContain('synthetic');
    const unwrapped = encryption.unwrapDataKey('clinic-a', dataKey.wrapped);
    expect(encryption.decrypt(unwrapped, sealed, 'clinic:a/note:1')).toBe('synthetic text ✓');
  });

  it('refuses a ciphertext moved to another context (AAD)', () => {
    const dataKey = encryption.createDataKey('clinic-a');
    const sealed = encryption.encrypt(dataKey, 'synthetic', 'clinic:a/note:1');
    expect(() => encryption.decrypt(dataKey, sealed, 'clinic:a/note:2')).toThrow(DecryptionError);
  });

  it('refuses an altered ciphertext', () => {
    const dataKey = encryption.createDataKey('clinic-a');
    const sealed = encryption.encrypt(dataKey, 'synthetic', 'ctx');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    parts[4] = body.toString('base64url');
    expect(() => encryption.decrypt(dataKey, parts.join('.'), 'ctx')).toThrow(DecryptionError);
  });

  it('refuses a data key wrapped for another id, or under an unknown master key', () => {
    const dataKey = encryption.createDataKey('clinic-a');
    expect(() => encryption.unwrapDataKey('clinic-b', dataKey.wrapped)).toThrow(DecryptionError);
    const other = new EnvelopeEncryption({ id: 'k9', key: randomBytes(32) });
    expect(() => other.unwrapDataKey('clinic-a', dataKey.wrapped)).toThrow(DecryptionError);
  });

  it('rewraps data keys under a new master key while the old one is still known', () => {
    const dataKey = encryption.createDataKey('clinic-a');
    const sealed = encryption.encrypt(dataKey, 'synthetic', 'ctx');
    const rotated = new EnvelopeEncryption({ id: 'k2', key: randomBytes(32) }, [master]);
    const rewrapped = rotated.rewrapDataKey('clinic-a', dataKey.wrapped);
    expect(rewrapped.split('.')[1]).toBe('k2');
    const onlyNew = new EnvelopeEncryption({
      id: 'k2',
      key: (rotated as unknown as { current: { key: Buffer } }).current.key,
    });
    expect(onlyNew.decrypt(onlyNew.unwrapDataKey('clinic-a', rewrapped), sealed, 'ctx')).toBe('synthetic');
  });
});
