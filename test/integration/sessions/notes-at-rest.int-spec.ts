import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';

import type pg from 'pg';

import type { CaseViewer } from '@mend/access';
import {
  DecryptionError,
  EnvelopeEncryption,
  FieldEncryption,
  type MasterKey,
  type TenantTransaction,
  type UnitOfWork,
} from '@mend/core';
import {
  DataKeyRotation,
  ProgressNoteService,
  PsychotherapyNoteService,
  ROTATABLE_COLUMNS,
  SessionService,
} from '@mend/sessions';
import { connectAs, createClinic, openTestDatabase, testEnvironment, type TestDatabase } from '@mend/testing';

import { SESSIONS_DOMAIN_TABLES, seedSessionsDomain } from './support/seed-sessions-domain.js';

/**
 * Progress notes, amendments and psychotherapy notes at rest: the database
 * keeps a signed note immutable for the runtime role; every body is ciphertext
 * bound to its row; data keys rotate resumably through the reviewed SECURITY
 * DEFINER function, which changes only the ciphertext and its key version.
 */
const REFUSED = /refused|permission denied/;
const CANARY = (label: string) => `CANARY-${label}-${randomUUID().slice(0, 8)}`;

interface World {
  clinicId: string;
  caseId: string;
  counselor: { userId: string; membershipId: string };
  supervisor: { userId: string; membershipId: string };
  clientA: string;
  clientB: string;
  viewer: CaseViewer;
}

async function seedWorld(unitOfWork: UnitOfWork, admin: pg.Client, name: string): Promise<World> {
  const clinicId = await createClinic(unitOfWork, name);
  const counselor = { userId: randomUUID(), membershipId: randomUUID() };
  const supervisor = { userId: randomUUID(), membershipId: randomUUID() };
  for (const [person, role] of [
    [counselor, 'counselor'],
    [supervisor, 'supervisor'],
  ] as const) {
    await admin.query('insert into users (id, email) values ($1, $2)', [
      person.userId,
      `notes.${person.userId.slice(0, 8)}@test.mend.example`,
    ]);
    await admin.query(`insert into memberships (clinic_id, id, user_id, roles) values ($1, $2, $3, $4)`, [
      clinicId,
      person.membershipId,
      person.userId,
      [role],
    ]);
  }
  await admin.query(
    'insert into supervision_links (clinic_id, supervisor_membership_id, counselor_membership_id) values ($1, $2, $3)',
    [clinicId, supervisor.membershipId, counselor.membershipId],
  );
  const caseId = randomUUID();
  const clientA = randomUUID();
  const clientB = randomUUID();
  await unitOfWork.run(clinicId, async (tx) => {
    for (const client of [clientA, clientB]) {
      await tx.query(
        `insert into clients (clinic_id, id, display_name, timezone) values ($1, $2, 'Synthetic', 'America/Chicago')`,
        [clinicId, client],
      );
    }
    await tx.query(
      `insert into cases (clinic_id, id, title, type, status) values ($1, $2, 'Synthetic case', 'couple', 'active')`,
      [clinicId, caseId],
    );
    await tx.query(
      'insert into case_care_team (clinic_id, case_id, membership_id, is_primary) values ($1, $2, $3, true)',
      [clinicId, caseId, counselor.membershipId],
    );
    await tx.query(
      `insert into case_participants (clinic_id, case_id, client_id, role) values ($1, $2, $3, 'harmed'), ($1, $2, $4, 'harming')`,
      [clinicId, caseId, clientA, clientB],
    );
  });
  const viewer: CaseViewer = {
    kind: 'care_team',
    principal: { clinicId, userId: counselor.userId, membershipId: counselor.membershipId, roles: ['counselor'] },
    case: {
      kind: 'case',
      clinicId,
      caseId,
      status: 'active',
      safetyStatus: 'normal',
      careTeam: [{ membershipId: counselor.membershipId, isPrimary: true }],
      supervisorMembershipIds: [supervisor.membershipId],
      participants: [
        { clientId: clientA, membershipId: null, role: 'harmed' },
        { clientId: clientB, membershipId: null, role: 'harming' },
      ],
    },
  };
  return { clinicId, caseId, counselor, supervisor, clientA, clientB, viewer };
}

function supervisorViewer(world: World): CaseViewer {
  return {
    kind: 'care_team',
    principal: {
      clinicId: world.clinicId,
      userId: world.supervisor.userId,
      membershipId: world.supervisor.membershipId,
      roles: ['supervisor'],
    },
    case: world.viewer.case,
  };
}

describe('notes at rest: immutability, encryption, key rotation', () => {
  let database: TestDatabase;
  let unitOfWork: UnitOfWork;
  let admin: pg.Client;
  let world: World;
  const master: MasterKey = { id: 'notes-master-1', key: randomBytes(32) };
  let encryption: FieldEncryption;
  let notes: ProgressNoteService;
  let psychotherapy: PsychotherapyNoteService;
  const canaries: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(4);
    unitOfWork = database.unitOfWork;
    admin = await connectAs('admin');
    world = await seedWorld(unitOfWork, admin, 'Notes at rest clinic');
    encryption = new FieldEncryption(new EnvelopeEncryption(master));
    notes = new ProgressNoteService(encryption);
    psychotherapy = new PsychotherapyNoteService(encryption);
  });
  afterAll(async () => {
    await admin.end();
    await database.close();
  });

  async function signedNote(text = CANARY('soap')): Promise<string> {
    canaries.push(text);
    return unitOfWork.run(world.clinicId, async (tx) => {
      const note = await notes.create(tx, world.viewer, {
        template: 'soap',
        body: { subjective: text, objective: 'calm', assessment: 'stable', plan: 'weekly' },
      });
      await notes.sign(tx, world.viewer, note.id);
      return note.id;
    });
  }

  it("refuses the runtime role's direct UPDATE of a signed note, and its DELETE", async () => {
    const noteId = await signedNote();
    for (const statement of [
      `update progress_notes set body = body || 'x' where id = $1`,
      `update progress_notes set status = 'draft', signed_at = null where id = $1`,
      `update progress_notes set template = 'free' where id = $1`,
      `update progress_notes set key_version = key_version + 1 where id = $1`,
      `delete from progress_notes where id = $1`,
    ]) {
      await expect(unitOfWork.run(world.clinicId, (tx) => tx.query(statement, [noteId]))).rejects.toThrow(REFUSED);
    }
    // The owner's own direct UPDATE is refused too: only a re-encryption under a newer key passes the trigger.
    const owner = await connectAs('owner');
    try {
      await owner.query('begin');
      await owner.query("select set_config('app.clinic_id', $1, true)", [world.clinicId]);
      await expect(owner.query(`update progress_notes set template = 'free' where id = $1`, [noteId])).rejects.toThrow(
        REFUSED,
      );
      await owner.query('rollback');
    } finally {
      await owner.end();
    }
  });

  it('lets a draft change, then refuses it once signed; amendments are append-only; the original stays', async () => {
    const noteId = await unitOfWork.run(world.clinicId, async (tx) => {
      const note = await notes.create(tx, world.viewer, { template: 'free', body: { text: 'first draft' } });
      await notes.updateDraft(tx, world.viewer, note.id, { body: { text: 'second draft' }, revision: 1 });
      await notes.sign(tx, world.viewer, note.id);
      await notes.amend(tx, world.viewer, note.id, { reason: 'late entry', changes: { text: 'amended text' } });
      await notes.amend(tx, world.viewer, note.id, { reason: 'typo', changes: { text: 'amended text, fixed' } });
      return note.id;
    });
    const view = await unitOfWork.run(world.clinicId, (tx) => notes.get(tx, world.viewer, noteId));
    expect(view.body).toEqual({ text: 'second draft' });
    expect(view.currentBody).toEqual({ text: 'amended text, fixed' });
    expect(view.amendments.map((a) => [a.reason, a.changedFields, a.authorMembershipId])).toEqual([
      ['late entry', ['text'], world.counselor.membershipId],
      ['typo', ['text'], world.counselor.membershipId],
    ]);
    await expect(
      unitOfWork.run(world.clinicId, (tx) =>
        tx.query(`update progress_note_amendments set changed_fields = '{x}' where note_id = $1`, [noteId]),
      ),
    ).rejects.toThrow(REFUSED);
    await expect(
      unitOfWork.run(world.clinicId, (tx) =>
        tx.query('delete from progress_note_amendments where note_id = $1', [noteId]),
      ),
    ).rejects.toThrow(REFUSED);
    await expect(
      unitOfWork.run(world.clinicId, (tx) =>
        notes.updateDraft(tx, world.viewer, noteId, { body: { text: 'sneaky' }, revision: view.revision }),
      ),
    ).rejects.toMatchObject({ code: 'note_signed', status: 409 });
  });

  it('co-signs once (the database accepts only that change of a signed note)', async () => {
    await unitOfWork.run(world.clinicId, (tx) =>
      notes.setCosignRequirement(tx, world.supervisor, world.counselor.membershipId, true),
    );
    const noteId = await signedNote();
    const pending = await unitOfWork.run(world.clinicId, (tx) => notes.get(tx, world.viewer, noteId));
    expect(pending).toMatchObject({ cosignRequired: true, cosignedAt: null });
    const queue = await unitOfWork.run(world.clinicId, (tx) =>
      notes.awaitingCosignatureBy(tx, world.supervisor.membershipId),
    );
    expect(queue.map((item) => item.id)).toContain(noteId);
    await expect(unitOfWork.run(world.clinicId, (tx) => notes.cosign(tx, world.viewer, noteId))).rejects.toMatchObject({
      code: 'not_authors_supervisor',
    });
    const cosigned = await unitOfWork.run(world.clinicId, (tx) => notes.cosign(tx, supervisorViewer(world), noteId));
    expect(cosigned.cosignedByMembershipId).toBe(world.supervisor.membershipId);
    await expect(
      unitOfWork.run(world.clinicId, (tx) =>
        tx.query('update progress_notes set cosigned_at = now(), cosigned_by_membership_id = $2 where id = $1', [
          noteId,
          world.counselor.membershipId,
        ]),
      ),
    ).rejects.toThrow(REFUSED);
    await unitOfWork.run(world.clinicId, (tx) =>
      notes.setCosignRequirement(tx, world.supervisor, world.counselor.membershipId, false),
    );
  });

  it('fails to decrypt a ciphertext swapped between two rows (AAD binds the row)', async () => {
    const [first, second] = await unitOfWork.run(world.clinicId, async (tx) => [
      await notes.create(tx, world.viewer, { template: 'free', body: { text: CANARY('swap-a') } }),
      await notes.create(tx, world.viewer, { template: 'free', body: { text: CANARY('swap-b') } }),
    ]);
    canaries.push(first.body.text as string, second.body.text as string);
    await unitOfWork.run(world.clinicId, (tx) =>
      tx.query(`update progress_notes set body = (select body from progress_notes where id = $1) where id = $2`, [
        first.id,
        second.id,
      ]),
    );
    await expect(unitOfWork.run(world.clinicId, (tx) => notes.get(tx, world.viewer, second.id))).rejects.toThrow(
      DecryptionError,
    );
    const other = await seedWorld(unitOfWork, admin, 'Notes at rest clinic B');
    const sealed = (await admin.query<{ body: string }>('select body from progress_notes where id = $1', [first.id]))
      .rows[0].body;
    await expect(
      unitOfWork.run(other.clinicId, (tx) =>
        encryption.decrypt(tx, { table: 'progress_notes', rowId: first.id, column: 'body' }, sealed),
      ),
    ).rejects.toThrow(DecryptionError);
  });

  /**
   * Homework and safety values of a clinic, sealed as their services seal them: a submitted answer, a
   * draft, feedback, a safety alert's matched sentence and reason, a check-in's open text.
   */
  async function seedHomeworkAndSafety(clinic: World, expected: Map<string, string>): Promise<{ submitted: string }> {
    const seal = async (tx: TenantTransaction, table: string, column: string, id: string, text: string) => {
      canaries.push(text);
      expected.set(`${table}.${column}:${id}`, text);
      return encryption.encrypt(tx, { table, rowId: id, column }, text);
    };
    const ids = {
      assignment: randomUUID(),
      occurrence: randomUUID(),
      draftOccurrence: randomUUID(),
      submitted: randomUUID(),
      draft: randomUUID(),
      feedback: randomUUID(),
      alert: randomUUID(),
      checkIn: randomUUID(),
    };
    await unitOfWork.run(clinic.clinicId, async (tx) => {
      await tx.query(
        `insert into assignments (clinic_id, id, case_id, exercise_ref, exercise_version, exercise_title, exercise_snapshot,
                                  paired, visibility, schedule, created_by_membership_id)
         values ($1, $2, $3, 'E01', 1, 'Synthetic', '{}', false, 'clinician', '{"kind":"once","dueOn":"2031-06-03"}', $4)`,
        [clinic.clinicId, ids.assignment, clinic.caseId, clinic.counselor.membershipId],
      );
      for (const [occurrence, dueOn] of [
        [ids.occurrence, '2031-06-03'],
        [ids.draftOccurrence, '2031-06-04'],
      ]) {
        await tx.query(
          `insert into assignment_occurrences (clinic_id, id, assignment_id, case_id, client_id, opens_on, due_on)
           values ($1, $2, $3, $4, $5, $6, $6)`,
          [clinic.clinicId, occurrence, ids.assignment, clinic.caseId, clinic.clientA, dueOn],
        );
      }
      await tx.query(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers, submitted_at)
         values ($1, $2, $3, $4, $5, 'submitted', $6, now())`,
        [
          clinic.clinicId,
          ids.submitted,
          ids.occurrence,
          clinic.caseId,
          clinic.clientA,
          await seal(tx, 'submissions', 'answers', ids.submitted, JSON.stringify({ fears: CANARY('answer') })),
        ],
      );
      await tx.query(
        `insert into submissions (clinic_id, id, occurrence_id, case_id, author_client_id, status, answers)
         values ($1, $2, $3, $4, $5, 'draft', $6)`,
        [
          clinic.clinicId,
          ids.draft,
          ids.draftOccurrence,
          clinic.caseId,
          clinic.clientA,
          await seal(tx, 'submissions', 'answers', ids.draft, JSON.stringify({ fears: CANARY('draft') })),
        ],
      );
      await tx.query(
        `insert into submission_feedback (clinic_id, id, submission_id, case_id, author_membership_id, body)
         values ($1, $2, $3, $4, $5, $6)`,
        [
          clinic.clinicId,
          ids.feedback,
          ids.submitted,
          clinic.caseId,
          clinic.counselor.membershipId,
          await seal(tx, 'submission_feedback', 'body', ids.feedback, JSON.stringify({ note: CANARY('feedback') })),
        ],
      );
      await tx.query(
        `insert into safety_alerts (clinic_id, id, case_id, tier, trigger, rule_ids, spans, raised_at, excerpt, reason)
         values ($1, $2, $3, 2, 'manual', '[]'::jsonb, '[]'::jsonb, now(), $4, $5)`,
        [
          clinic.clinicId,
          ids.alert,
          clinic.caseId,
          await seal(tx, 'safety_alerts', 'excerpt', ids.alert, CANARY('excerpt')),
          await seal(tx, 'safety_alerts', 'reason', ids.alert, CANARY('alert-reason')),
        ],
      );
      await tx.query(
        `insert into safety_check_ins (clinic_id, id, case_id, client_id, status, questions, open_text,
                                       offered_by_membership_id, completed_at)
         values ($1, $2, $3, $4, 'completed', '[]'::jsonb, $5, $6, now())`,
        [
          clinic.clinicId,
          ids.checkIn,
          clinic.caseId,
          clinic.clientA,
          await seal(tx, 'safety_check_ins', 'open_text', ids.checkIn, CANARY('open-text')),
          clinic.counselor.membershipId,
        ],
      );
    });
    return { submitted: ids.submitted };
  }

  it('resumes a data key rotation killed mid-way: nothing lost, nothing encrypted twice (notes, homework, safety)', async () => {
    const rotating = await seedWorld(unitOfWork, admin, 'Rotation clinic');
    /** Plaintext by `table.column:id`. */
    const expected = new Map<string, string>();
    await unitOfWork.run(rotating.clinicId, async (tx) => {
      for (let index = 0; index < 7; index += 1) {
        const text = CANARY(`rot-${index}`);
        canaries.push(text);
        const note = await notes.create(tx, rotating.viewer, { template: 'free', body: { text } });
        expected.set(`progress_notes.body:${note.id}`, JSON.stringify({ text }));
        if (index % 2 === 0) {
          await notes.sign(tx, rotating.viewer, note.id);
          const reason = CANARY(`reason-${index}`);
          canaries.push(reason);
          await notes.amend(tx, rotating.viewer, note.id, { reason, changes: { text: `${text}+` } });
        }
      }
      for (let index = 0; index < 3; index += 1) {
        const body = CANARY(`psy-${index}`);
        canaries.push(body);
        const note = await psychotherapy.create(tx, rotating.viewer, { body });
        expected.set(`psychotherapy_notes.body:${note.id}`, body);
      }
    });
    const { submitted } = await seedHomeworkAndSafety(rotating, expected);
    const total = 7 + 4 + 3 + 2 + 1 + 2 + 1;
    const rotation = new DataKeyRotation(unitOfWork, new EnvelopeEncryption(master), encryption);
    const killed = rotation.rotateClinic(rotating.clinicId, {
      batchSize: 2,
      afterBatch: (done) => {
        if (done >= 2) throw new Error('killed');
      },
    });
    await expect(killed).rejects.toThrow('killed');
    /** How many values of each column are sealed with each key version (read from the sealed value). */
    const versions = async (): Promise<Record<string, number>> => {
      const counts: Record<string, number> = {};
      for (const { table, column, keyVersionColumn } of ROTATABLE_COLUMNS) {
        const { rows } = await admin.query<{ version: number; n: string; agree: boolean }>(
          `select sealed_key_version(${column}) as version, count(*) as n,
                  bool_and(${keyVersionColumn ?? `sealed_key_version(${column})`} = sealed_key_version(${column})) as agree
             from ${table} where clinic_id = $1 and ${column} is not null group by 1`,
          [rotating.clinicId],
        );
        for (const row of rows) {
          expect([table, row.agree]).toEqual([table, true]);
          counts[`${table}.${column}@${row.version}`] = Number(row.n);
        }
      }
      return counts;
    };
    const midway = await versions();
    expect(midway['progress_notes.body@2']).toBe(2);
    expect(midway['progress_notes.body@1']).toBe(5);
    expect(midway['submissions.answers@1']).toBe(2);

    // Mid-way, key version 2 exists: the runtime role still cannot write a (genuinely) re-sealed answer or
    // feedback itself, not even with the setting the homework migration used to honour.
    const resealed = await unitOfWork.run(rotating.clinicId, (tx) =>
      encryption.encrypt(
        tx,
        { table: 'submissions', rowId: submitted, column: 'answers' },
        expected.get(`submissions.answers:${submitted}`) as string,
      ),
    );
    expect(FieldEncryption.keyVersionOf(resealed)).toBe(2);
    await expect(
      unitOfWork.run(rotating.clinicId, async (tx) => {
        await tx.query(`select set_config('mend.reencrypting_answers', 'on', true)`);
        await tx.query('update submissions set answers = $2 where id = $1', [submitted, resealed]);
      }),
    ).rejects.toThrow(REFUSED);
    await expect(
      unitOfWork.run(rotating.clinicId, (tx) =>
        tx.query(`update submission_feedback set body = body where submission_id = $1`, [submitted]),
      ),
    ).rejects.toThrow(REFUSED);

    const resumed = await rotation.rotateClinic(rotating.clinicId, { batchSize: 2 });
    expect(resumed).toMatchObject({ version: 2, resumed: true, reencrypted: total - 2, skipped: 0 });
    expect(await versions()).toEqual({
      'progress_notes.body@2': 7,
      'progress_note_amendments.body@2': 4,
      'psychotherapy_notes.body@2': 3,
      'submissions.answers@2': 2,
      'submission_feedback.body@2': 1,
      'safety_alerts.excerpt@2': 1,
      'safety_alerts.reason@2': 1,
      'safety_check_ins.open_text@2': 1,
    });
    // Every value decrypts (once) to exactly what was written.
    let checked = 0;
    for (const { table, column } of ROTATABLE_COLUMNS) {
      const { rows } = await admin.query<{ id: string; value: string }>(
        `select id, ${column} as value from ${table} where clinic_id = $1 and ${column} is not null`,
        [rotating.clinicId],
      );
      for (const row of rows) {
        const plaintext = await unitOfWork.run(rotating.clinicId, (tx) =>
          encryption.decrypt(tx, { table, rowId: row.id, column }, row.value),
        );
        const want = expected.get(`${table}.${column}:${row.id}`);
        if (want !== undefined) {
          expect(plaintext).toBe(want);
          checked += 1;
        }
      }
    }
    expect(checked).toBe(expected.size);
    expect(checked).toBe(total - 4);
    const list = await unitOfWork.run(rotating.clinicId, (tx) => notes.list(tx, rotating.viewer));
    expect(list.filter((note) => note.amendments.length === 1)).toHaveLength(4);
    // The submitted row changed nothing but its ciphertext.
    const submittedRow = await admin.query<{ status: string; draft_version: number; submitted: boolean }>(
      'select status, draft_version, submitted_at is not null as submitted from submissions where id = $1',
      [submitted],
    );
    expect(submittedRow.rows).toEqual([{ status: 'submitted', draft_version: 1, submitted: true }]);
    // Old versions are retired, still readable; the runtime still cannot touch a signed note directly.
    const keys = await admin.query<{ version: number; retired: boolean }>(
      'select version, retired_at is not null as retired from clinic_data_keys where clinic_id = $1 order by version',
      [rotating.clinicId],
    );
    expect(keys.rows).toEqual([
      { version: 1, retired: true },
      { version: 2, retired: false },
    ]);
    const signed = [...expected.keys()][0].split(':')[1];
    const [signedRow] = (await admin.query<{ body: string }>('select body from progress_notes where id = $1', [signed]))
      .rows;
    await expect(
      unitOfWork.run(rotating.clinicId, (tx) =>
        tx.query('update progress_notes set key_version = 3 where id = $1', [signed]),
      ),
    ).rejects.toThrow(REFUSED);
    // The definer function refuses a value not sealed with the clinic's key version given, and any other column.
    await expect(
      unitOfWork.run(rotating.clinicId, (tx) =>
        tx.query('select rotate_encrypted_value($1, $2, $3, $4, $5, $6)', [
          'progress_notes',
          'body',
          signed,
          signedRow.body,
          'v1.attacker~9.x.y.z',
          9,
        ]),
      ),
    ).rejects.toThrow(/not sealed/);
    for (const [table, column] of [
      ['audit_events', 'metadata'],
      ['safety_alerts', 'case_id'],
      ['submissions', 'status'],
    ]) {
      await expect(
        unitOfWork.run(rotating.clinicId, (tx) =>
          tx.query('select rotate_encrypted_value($1, $2, $3, $4, $5, $6)', [table, column, signed, 'a', resealed, 2]),
        ),
      ).rejects.toThrow(/not a rotatable/);
    }
    // A second run with nothing pending starts version 3.
    const next = await rotation.rotateClinic(rotating.clinicId, { batchSize: 50 });
    expect(next).toMatchObject({ version: 3, resumed: false, reencrypted: total });
  });

  it('re-wraps data keys under a new master key only (values untouched, still readable)', async () => {
    const clinic = await seedWorld(unitOfWork, admin, 'Rewrap clinic');
    const text = CANARY('rewrap');
    canaries.push(text);
    const note = await unitOfWork.run(clinic.clinicId, (tx) =>
      notes.create(tx, clinic.viewer, { template: 'free', body: { text } }),
    );
    const before = (await admin.query<{ body: string }>('select body from progress_notes where id = $1', [note.id]))
      .rows[0].body;
    const next: MasterKey = { id: 'notes-master-2', key: randomBytes(32) };
    const envelope = new EnvelopeEncryption(next, [master]);
    const rotation = new DataKeyRotation(unitOfWork, envelope, new FieldEncryption(envelope));
    const clinics = await rotation.clinicsToRewrap(next.id);
    expect(clinics).toContain(clinic.clinicId);
    expect(await rotation.rewrapClinic(clinic.clinicId, next.id)).toBe(1);
    expect(await rotation.rewrapClinic(clinic.clinicId, next.id)).toBe(0);
    const after = (await admin.query<{ body: string }>('select body from progress_notes where id = $1', [note.id]))
      .rows[0].body;
    expect(after).toBe(before);
    const onlyNew = new ProgressNoteService(new FieldEncryption(new EnvelopeEncryption(next)));
    const view = await unitOfWork.run(clinic.clinicId, (tx) => onlyNew.get(tx, clinic.viewer, note.id));
    expect(view.body).toEqual({ text });
    const onlyOld = new ProgressNoteService(new FieldEncryption(new EnvelopeEncryption(master)));
    await expect(unitOfWork.run(clinic.clinicId, (tx) => onlyOld.get(tx, clinic.viewer, note.id))).rejects.toThrow(
      DecryptionError,
    );
  });

  it('refuses a double-booking raced by two transactions (exclusion constraint)', async () => {
    const sessions = new SessionService();
    const input = {
      start: { at: new Date('2031-05-05T15:00:00Z') },
      durationMinutes: 50,
      modality: 'video' as const,
      kind: 'joint' as const,
    };
    const results = await Promise.allSettled([
      unitOfWork.run(world.clinicId, (tx) => sessions.schedule(tx, world.viewer, input)),
      unitOfWork.run(world.clinicId, (tx) => sessions.schedule(tx, world.viewer, input)),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'session_conflict', status: 409 });
    const won = results.find((result) => result.status === 'fulfilled');
    const closed: CaseViewer = { ...world.viewer, case: { ...world.viewer.case, status: 'closed' } };
    await expect(
      unitOfWork.run(world.clinicId, (tx) =>
        sessions.schedule(tx, closed, { ...input, start: { at: new Date('2031-05-06T15:00:00Z') } }),
      ),
    ).rejects.toMatchObject({ code: 'case_closed', status: 422 });
    expect((refused?.reason as Error).message).toContain((won as PromiseFulfilledResult<{ id: string }>).value.id);
  });

  it('seeds one row in every sessions-and-notes table (the RLS backstop uses it), readable by the services', async () => {
    const seeded = await seedWorld(unitOfWork, admin, 'Seeded sessions clinic');
    await unitOfWork.run(seeded.clinicId, (tx) =>
      seedSessionsDomain(tx, encryption, {
        caseId: seeded.caseId,
        counselorMembershipId: seeded.counselor.membershipId,
        clientId: seeded.clientA,
      }),
    );
    for (const table of SESSIONS_DOMAIN_TABLES) {
      const { rows } = await admin.query<{ n: string }>(`select count(*) as n from ${table} where clinic_id = $1`, [
        seeded.clinicId,
      ]);
      expect([table, Number(rows[0].n)]).toEqual([table, 1]);
    }
    const list = await unitOfWork.run(seeded.clinicId, (tx) => notes.list(tx, seeded.viewer));
    expect(list[0].currentBody).toEqual({ text: 'Synthetic change' });
  });

  it('leaves no plaintext canary in any text column of the seeded tables (a scan of every text column as admin, then pg_dump)', async () => {
    await unitOfWork.run(world.clinicId, async (tx) => {
      const text = CANARY('psy-scan');
      canaries.push(text);
      await psychotherapy.create(tx, world.viewer, { body: text });
    });
    expect(canaries.length).toBeGreaterThanOrEqual(20);
    // A control canary in a column that is not encrypted: the scan must find it (and only it).
    const control = CANARY('control');
    await unitOfWork.run(world.clinicId, (tx) =>
      tx.query('update clients set display_name = $2 where id = $1', [world.clientA, control]),
    );
    const { rows: columns } = await admin.query<{ table_name: string; column_name: string }>(
      `select c.table_name, c.column_name from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
          and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
    );
    expect(columns.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await admin.query<{ value: string | null }>(`select "${column}"::text as value from "${table}"`);
      for (const row of rows) {
        if (row.value !== null && [...canaries, control].some((canary) => row.value?.includes(canary))) {
          found.push(`${table}.${column}`);
        }
      }
    }
    expect(found).toEqual(['clients.display_name']);
    // And the literal check: a data-only pg_dump of the whole database.
    const environment = testEnvironment();
    const url = new URL(environment.adminUrl);
    url.pathname = `/${environment.database}`;
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', '--dbname', url.toString()], {
      maxBuffer: 1024 * 1024 * 1024,
    }).toString('utf8');
    expect(dump).toContain(control);
    expect(canaries.filter((canary) => dump.includes(canary))).toEqual([]);
  });
});
