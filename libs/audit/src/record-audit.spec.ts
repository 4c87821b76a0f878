import { runWithContext } from '@mend/core';

import { assertAuditMetadata } from './audit-event.input.js';
import { auditRowHash } from './audit-hash.js';
import { AuditEventError } from './audit.error.js';
import { buildAuditRow } from './record-audit.js';

const clinicId = '5F0C6F5E-3C2A-4F0E-9D59-0D6F3B9A1C11';
const userId = '6a1f6f7c-2b8e-4e0d-a9a4-3c7d8f1e5b22';

describe('audit metadata', () => {
  it.each([
    ['ids and codes', { clientId: userId, view: 'summary', at: '2026-03-04T05:06:07.089Z' }],
    ['small scalars', { count: 3, ratio: 0.5, isFirst: true, previous: null }],
    ['a short list of codes', { roles: ['counselor', 'supervisor'] }],
    ['nothing', {}],
  ])('accepts %s', (_label, metadata) => {
    expect(() => assertAuditMetadata(metadata)).not.toThrow();
  });

  it.each([
    ['free text (a sentence)', { note: 'client said she felt betrayed' }],
    ['a long string', { token: 'x'.repeat(101) }],
    ['an empty string', { code: '' }],
    ['an email address', { email: 'someone@example.test' }],
    ['a line break', { code: 'a\nb' }],
    ['a nested document', { answers: { q1: 'yes' } }],
    ['a list of documents', { items: [{ id: 1 }] }],
    ['a long list', { ids: Array.from({ length: 21 }, (_, i) => `id${i}`) }],
    ['a list with free text', { codes: ['ok', 'not ok'] }],
    ['a non-finite number', { n: Number.POSITIVE_INFINITY }],
    ['too many fields', Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, i]))],
    ['a field name that is not an identifier', { 'client name': 'x' }],
    ['an array instead of an object', ['a']],
    ['a class instance', new Date()],
  ])('refuses %s', (_label, metadata) => {
    expect(() => assertAuditMetadata(metadata)).toThrow(AuditEventError);
  });

  it('names the field, never the value, when refusing', () => {
    expect(() => assertAuditMetadata({ note: 'client said she felt betrayed' })).toThrow(
      /^Audit metadata field "note" must be/,
    );
    try {
      assertAuditMetadata({ note: 'client said she felt betrayed' });
    } catch (error) {
      expect((error as Error).message).not.toContain('betrayed');
    }
  });
});

describe('buildAuditRow', () => {
  it('builds the row as stored: lower-case uuids, millisecond time, canonical address, defaults', () => {
    const now = new Date('2026-03-04T05:06:07.089Z');
    const row = buildAuditRow(
      clinicId,
      { action: 'client.read', targetType: 'client', targetId: 'c-1', ip: '::ffff:10.0.0.1' },
      now,
    );
    expect(row).toMatchObject({
      clinicId: clinicId.toLowerCase(),
      occurredAt: now,
      outcome: 'success',
      actorUserId: null,
      ip: '10.0.0.1',
      correlationId: null,
      metadata: {},
    });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes the actor and correlation id from the request context unless given', () => {
    const row = runWithContext({ userId: userId.toUpperCase(), correlationId: 'req-7' }, () =>
      buildAuditRow(clinicId, { action: 'auth.login' }),
    );
    expect(row.actorUserId).toBe(userId);
    expect(row.correlationId).toBe('req-7');
    const explicit = runWithContext({ userId, correlationId: 'req-7' }, () =>
      buildAuditRow(clinicId, { action: 'auth.login', actorUserId: null, correlationId: null }),
    );
    expect(explicit.actorUserId).toBeNull();
    expect(explicit.correlationId).toBeNull();
  });

  it('drops a correlation id that is not a token instead of failing the change', () => {
    const row = buildAuditRow(clinicId, { action: 'auth.login', correlationId: 'two words' });
    expect(row.correlationId).toBeNull();
  });

  it.each([
    ['an action that is not a code', { action: 'Client Read' }],
    ['an unknown outcome', { action: 'client.read', outcome: 'maybe' as never }],
    ['a target type that is not an identifier', { action: 'client.read', targetType: 'Client Record' }],
    ['a target id with spaces', { action: 'client.read', targetType: 'client', targetId: 'Jane Doe' }],
    ['an actor that is not a uuid', { action: 'client.read', actorUserId: 'jane' }],
    ['free text in metadata', { action: 'note.update', metadata: { text: 'felt anxious today' } }],
  ])('refuses %s', (_label, event) => {
    expect(() => buildAuditRow(clinicId, event)).toThrow(AuditEventError);
  });

  it('gives two rows with the same fields different hashes (each row has its own id)', () => {
    const now = new Date('2026-03-04T05:06:07.089Z');
    const first = buildAuditRow(clinicId, { action: 'client.read' }, now);
    const second = buildAuditRow(clinicId, { action: 'client.read' }, now);
    expect(auditRowHash(first)).not.toBe(auditRowHash(second));
  });
});
