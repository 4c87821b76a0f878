import {
  auditRowHash,
  genesisSealHash,
  sealHash,
  sealRowsDigest,
  RowsDigest,
  type AuditRowFields,
} from './audit-hash.js';

const row: AuditRowFields = {
  clinicId: '5f0c6f5e-3c2a-4f0e-9d59-0d6f3b9a1c11',
  id: '0b7f5a52-9d0e-4a35-8d55-7b1f0f0c2a11',
  occurredAt: new Date('2026-03-04T05:06:07.089Z'),
  actorUserId: '6a1f6f7c-2b8e-4e0d-a9a4-3c7d8f1e5b22',
  actorMembershipId: null,
  action: 'client.read',
  targetType: 'client',
  targetId: '9d2c8f4e-1a3b-4c5d-8e6f-7a8b9c0d1e2f',
  outcome: 'success',
  ip: '203.0.113.7',
  correlationId: 'req-1',
  metadata: { view: 'summary', fields: ['name', 'dob'], count: 2 },
};

describe('audit hashes', () => {
  // Expected value from Python: sha256(b"mend.audit.row.v1\n" + json.dumps(fields, sort_keys=True,
  // separators=(",", ":"))) with the snake_case fields below. Changing the serialisation breaks every stored chain.
  it('hashes a row to a fixed value, computed independently (sha256 of the domain tag and sorted-key JSON)', () => {
    expect(auditRowHash(row)).toBe('28fe9c07091f072dc46198ff108259e3dca646625777fabce99db79f4bcf77aa');
  });

  it('ignores metadata key order and uuid case, as PostgreSQL returns them', () => {
    const reordered: AuditRowFields = {
      ...row,
      clinicId: row.clinicId.toUpperCase(),
      actorUserId: row.actorUserId?.toUpperCase() ?? null,
      metadata: { count: 2, fields: ['name', 'dob'], view: 'summary' },
    };
    expect(auditRowHash(reordered)).toBe(auditRowHash(row));
  });

  it.each<[string, Partial<AuditRowFields>]>([
    ['the time by one millisecond', { occurredAt: new Date('2026-03-04T05:06:07.090Z') }],
    ['the actor', { actorUserId: null }],
    ['the outcome', { outcome: 'denied' }],
    ['the address', { ip: '203.0.113.8' }],
    ['a metadata value', { metadata: { view: 'summary', fields: ['name', 'dob'], count: 3 } }],
    ['the order of a metadata list', { metadata: { view: 'summary', fields: ['dob', 'name'], count: 2 } }],
    ['the clinic', { clinicId: '5f0c6f5e-3c2a-4f0e-9d59-0d6f3b9a1c12' }],
  ])('changes when %s changes', (_label, change) => {
    expect(auditRowHash({ ...row, ...change })).not.toBe(auditRowHash(row));
  });

  it('binds seq and tx_id in a seal digest, and the incremental digest agrees', () => {
    const rows = [
      { seq: '1', txId: '740', rowHash: 'a'.repeat(64) },
      { seq: '2', txId: '741', rowHash: 'b'.repeat(64) },
    ];
    const incremental = new RowsDigest();
    rows.forEach((r) => incremental.add(r));
    expect(incremental.digest()).toBe(sealRowsDigest(rows));
    expect(incremental.count).toBe(2);
    const swapped = [
      { ...rows[0], seq: '2' },
      { ...rows[1], seq: '1' },
    ].reverse();
    expect(sealRowsDigest(swapped)).not.toBe(sealRowsDigest(rows));
    expect(sealRowsDigest([{ ...rows[0], txId: '739' }, rows[1]])).not.toBe(sealRowsDigest(rows));
  });

  it('chains seals from a genesis bound to the clinic, over every seal field', () => {
    const genesis = genesisSealHash(row.clinicId);
    expect(genesis).not.toBe(genesisSealHash('5f0c6f5e-3c2a-4f0e-9d59-0d6f3b9a1c12'));
    const seal = {
      clinicId: row.clinicId,
      k: 1,
      xminFrom: '0',
      xminTo: '750',
      rowCount: 2,
      rowsDigest: 'c'.repeat(64),
      prevSealHash: genesis,
      sealedAt: new Date('2026-03-04T05:07:00.000Z'),
    };
    const hash = sealHash(seal);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const change of [
      { k: 2 },
      { xminFrom: '1' },
      { xminTo: '751' },
      { rowCount: 3 },
      { rowsDigest: 'd'.repeat(64) },
      { prevSealHash: 'e'.repeat(64) },
      { sealedAt: new Date('2026-03-04T05:07:00.001Z') },
    ]) {
      expect(sealHash({ ...seal, ...change })).not.toBe(hash);
    }
  });
});
