import { randomUUID } from 'node:crypto';

import fc from 'fast-check';
import type pg from 'pg';

import { AuditSealer, auditRowHash, recordAudit, verifyAuditChain, type AuditChainVerdict } from '@mend/audit';
import type { UnitOfWork } from '@mend/core';
import { connectAs, createClinic, openTestDatabase, testSeed, type TestDatabase } from '@mend/testing';

import { sealUntilCovered } from './support/audit-chain.js';

const ROW_FIELDS = {
  occurred_at: "occurred_at = occurred_at + interval '1 millisecond'",
  actor_user_id: 'actor_user_id = gen_random_uuid()',
  actor_membership_id: 'actor_membership_id = gen_random_uuid()',
  action: "action = 'tampered.action'",
  target_type: "target_type = 'tampered'",
  target_id: "target_id = 'tampered-id'",
  outcome: "outcome = case outcome when 'success' then 'denied' else 'success' end",
  ip: "ip = '192.0.2.99'",
  correlation_id: "correlation_id = 'tampered'",
  metadata: `metadata = metadata || '{"tampered": true}'`,
  row_hash: 'row_hash = md5(row_hash) || md5(row_hash)',
  id: 'id = gen_random_uuid()',
  // Bound by the seal (not by the row hash):
  // Moves the row to another transaction id inside the same seal's range when there is one ($3).
  tx_id: 'tx_id = $3',
  seq: 'seq = default',
  clinic_id: 'clinic_id = $3',
} as const;
type RowField = keyof typeof ROW_FIELDS;
/** Edits the row hash itself must reveal, at that row. */
const HASHED_FIELDS = new Set<RowField>(
  Object.keys(ROW_FIELDS).filter((f) => !['tx_id', 'seq', 'clinic_id'].includes(f)) as RowField[],
);

const SEAL_FIELDS = {
  k: 'k = k + 1000',
  xmin_from: 'xmin_from = case when xmin_from > 0 then xmin_from - 1 else xmin_from + 1 end',
  xmin_to: 'xmin_to = xmin_to + 1',
  row_count: 'row_count = row_count + 1',
  rows_digest: 'rows_digest = md5(rows_digest) || md5(rows_digest)',
  prev_seal_hash: 'prev_seal_hash = md5(prev_seal_hash) || md5(prev_seal_hash)',
  seal_hash: 'seal_hash = md5(seal_hash) || md5(seal_hash)',
  sealed_at: "sealed_at = sealed_at + interval '1 millisecond'",
} as const;
type SealField = keyof typeof SEAL_FIELDS;

type Tampering =
  | { readonly kind: 'edit-row'; readonly row: number; readonly field: RowField }
  | { readonly kind: 'delete-row'; readonly row: number }
  | { readonly kind: 'swap-seq'; readonly row: number; readonly other: number; readonly adjacent: boolean }
  | { readonly kind: 'forge-row'; readonly seal: number; readonly position: number; readonly belowFirstSeal: boolean }
  | { readonly kind: 'edit-seal'; readonly seal: number; readonly field: SealField };

const index = fc.nat({ max: 1_000 });
const tampering: fc.Arbitrary<Tampering> = fc.oneof(
  {
    // Fifteen fields to choose from: weighted so that each is exercised in a run.
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('edit-row' as const),
      row: index,
      field: fc.constantFrom(...(Object.keys(ROW_FIELDS) as RowField[])),
    }),
  },
  fc.record({ kind: fc.constant('delete-row' as const), row: index }),
  // Adjacent rows often straddle two seals: a swap there keeps each seal's row order.
  fc.record({ kind: fc.constant('swap-seq' as const), row: index, other: index, adjacent: fc.boolean() }),
  fc.record({
    kind: fc.constant('forge-row' as const),
    seal: index,
    position: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    // Mostly inside a seal's range; sometimes below the first seal (covered by none).
    belowFirstSeal: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  }),
  fc.record({
    kind: fc.constant('edit-seal' as const),
    seal: index,
    field: fc.constantFrom(...(Object.keys(SEAL_FIELDS) as SealField[])),
  }),
);

/** Another transaction id inside the seal that covers txId (outside it when the range holds one id only). */
function otherTxIdInSeal(txId: bigint, seals: readonly { xmin_from: string; xmin_to: string }[]): bigint {
  const seal = seals.find((candidate) => txId >= BigInt(candidate.xmin_from) && txId < BigInt(candidate.xmin_to));
  if (seal === undefined) return txId + 1n;
  const last = BigInt(seal.xmin_to) - 1n;
  if (last !== txId) return last;
  const first = BigInt(seal.xmin_from);
  return first !== txId ? first : txId + 1n;
}

/** Batches of rows written in one transaction each, optionally sealed right after. */
const chainShape = fc.array(fc.record({ rows: fc.integer({ min: 1, max: 4 }), sealAfter: fc.boolean() }), {
  minLength: 2,
  maxLength: 4,
});

const RUNS = Number(process.env.MEND_AUDIT_PROPERTY_RUNS ?? 200);

describe('audit chain tampering (property)', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;
  let otherClinic: string;
  const sealer = new AuditSealer();

  beforeAll(async () => {
    database = await openTestDatabase(4);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
    otherClinic = await createClinic(unitOfWork, 'Other clinic');
  });

  afterAll(async () => {
    await admin.end();
    await database.close();
  });

  async function buildChain(shape: readonly { rows: number; sealAfter: boolean }[]): Promise<string> {
    const clinicId = await createClinic(unitOfWork, 'Tamper clinic');
    let written = 0;
    for (const batch of shape) {
      await unitOfWork.run(clinicId, async (tx) => {
        for (let row = 0; row < batch.rows; row += 1) {
          written += 1;
          await recordAudit(tx, {
            action: written % 2 === 0 ? 'client.read' : 'note.update',
            outcome: written % 5 === 0 ? 'denied' : 'success',
            targetType: 'client',
            targetId: randomUUID(),
            actorUserId: randomUUID(),
            actorMembershipId: randomUUID(),
            ip: `10.0.${written}.${batch.rows}`,
            correlationId: `req-${written}`,
            metadata: { n: written, view: 'summary' },
          });
        }
      });
      if (batch.sealAfter) await sealer.sealClinic(unitOfWork, clinicId);
    }
    await sealUntilCovered(unitOfWork, clinicId, sealer);
    return clinicId;
  }

  /** Runs the tampering as the superuser with triggers off (what only an administrator can do). */
  async function tamper(clinicId: string, change: Tampering): Promise<{ expectRowSeq?: string }> {
    const { rows } = await admin.query<{ seq: string; tx_id: string }>(
      'select seq::text as seq, tx_id::text as tx_id from audit_events where clinic_id = $1 order by seq',
      [clinicId],
    );
    const seals = await admin.query<{ k: number; xmin_from: string; xmin_to: string }>(
      'select k, xmin_from::text as xmin_from, xmin_to::text as xmin_to from audit_seals where clinic_id = $1 order by k',
      [clinicId],
    );
    const pick = <T>(list: readonly T[], at: number): T => list[at % list.length];
    await admin.query('begin');
    try {
      await admin.query("set local session_replication_role = 'replica'");
      switch (change.kind) {
        case 'edit-row': {
          const { seq, tx_id: txId } = pick(rows, change.row);
          const parameters: unknown[] = [clinicId, seq];
          if (change.field === 'clinic_id') parameters.push(otherClinic);
          if (change.field === 'tx_id') parameters.push(otherTxIdInSeal(BigInt(txId), seals.rows).toString());
          const result = await admin.query(
            `update audit_events set ${ROW_FIELDS[change.field]} where clinic_id = $1 and seq = $2`,
            parameters,
          );
          expect(result.rowCount).toBe(1);
          await admin.query('commit');
          return HASHED_FIELDS.has(change.field) ? { expectRowSeq: seq } : {};
        }
        case 'delete-row': {
          const result = await admin.query('delete from audit_events where clinic_id = $1 and seq = $2', [
            clinicId,
            pick(rows, change.row).seq,
          ]);
          expect(result.rowCount).toBe(1);
          break;
        }
        case 'swap-seq': {
          const first = pick(rows, change.row).seq;
          let second = pick(rows, change.adjacent ? change.row + 1 : change.other).seq;
          if (second === first) second = pick(rows, change.row + 1).seq;
          // Identity columns cannot be updated to a value: delete and re-insert, as an attacker would.
          await admin.query(
            `create temporary table moved on commit drop as
               select * from audit_events where clinic_id = $1 and seq in ($2, $3)`,
            [clinicId, first, second],
          );
          await admin.query('delete from audit_events where clinic_id = $1 and seq in ($2, $3)', [
            clinicId,
            first,
            second,
          ]);
          const result = await admin.query(
            `insert into audit_events (clinic_id, seq, id, occurred_at, tx_id, actor_user_id, actor_membership_id,
                                       action, target_type, target_id, outcome, ip, correlation_id, metadata, row_hash)
             overriding system value
             select clinic_id, case when seq = $1 then $2::bigint else $1::bigint end, id, occurred_at, tx_id,
                    actor_user_id, actor_membership_id, action, target_type, target_id, outcome, ip, correlation_id,
                    metadata, row_hash
               from moved`,
            [first, second],
          );
          expect(result.rowCount).toBe(2);
          break;
        }
        case 'forge-row': {
          const seal = pick(seals.rows, change.seal);
          const from = BigInt(seal.xmin_from);
          const width = BigInt(seal.xmin_to) - from;
          const txId = change.belowFirstSeal ? -1n : from + BigInt(Math.floor(change.position * Number(width)));
          // A well-formed row with a correct hash: only the seals can tell it was never written by the app.
          const fields = {
            clinicId,
            id: randomUUID(),
            occurredAt: new Date(Date.now() - 60_000),
            actorUserId: randomUUID(),
            actorMembershipId: null,
            action: 'client.read',
            targetType: 'client',
            targetId: randomUUID(),
            outcome: 'success',
            ip: null,
            correlationId: 'req-forged',
            metadata: {},
          };
          await admin.query(
            `insert into audit_events (clinic_id, id, occurred_at, tx_id, actor_user_id, action, target_type, target_id,
                                       outcome, correlation_id, metadata, row_hash)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{}', $11)`,
            [
              clinicId,
              fields.id,
              fields.occurredAt.toISOString(),
              txId.toString(),
              fields.actorUserId,
              fields.action,
              fields.targetType,
              fields.targetId,
              fields.outcome,
              fields.correlationId,
              auditRowHash(fields),
            ],
          );
          break;
        }
        case 'edit-seal': {
          const result = await admin.query(
            `update audit_seals set ${SEAL_FIELDS[change.field]} where clinic_id = $1 and k = $2`,
            [clinicId, pick(seals.rows, change.seal).k],
          );
          expect(result.rowCount).toBe(1);
          break;
        }
        default: {
          const unexpected: never = change;
          throw new Error(`Unknown tampering ${JSON.stringify(unexpected)}`);
        }
      }
      await admin.query('commit');
      return {};
    } catch (error) {
      await admin.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  it('detects every random edit, deletion, reordering and insertion of sealed rows, and every seal edit', async () => {
    const seed = testSeed();
    let runs = 0;
    const detectedBy = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(chainShape, tampering, async (shape, change) => {
          runs += 1;
          const clinicId = await buildChain(shape);
          const before = await verifyAuditChain(unitOfWork, clinicId);
          expect(before).toMatchObject({ ok: true, unsealedRows: 0 });

          const { expectRowSeq } = await tamper(clinicId, change);
          const verdict: AuditChainVerdict = await verifyAuditChain(unitOfWork, clinicId);
          expect(verdict.ok).toBe(false);
          if (!verdict.ok) {
            const label = `${change.kind}${'field' in change ? `:${change.field}` : ''} → ${verdict.firstBrokenLink.kind}`;
            detectedBy.set(label, (detectedBy.get(label) ?? 0) + 1);
            if (expectRowSeq !== undefined) {
              expect(verdict.firstBrokenLink).toEqual({
                kind: 'row',
                seq: expectRowSeq,
                reason: 'row hash does not match its fields',
              });
            }
          }
        }),
        { numRuns: RUNS, seed },
      );
    } finally {
      console.info(
        `audit tamper property: ${runs} runs (of ${RUNS}), seed ${seed} (replay: MEND_TEST_SEED=${seed})\n` +
          [...detectedBy.entries()]
            .sort()
            .map(([label, count]) => `  ${label}: ${count}`)
            .join('\n'),
      );
    }
  }, 600_000);
});
