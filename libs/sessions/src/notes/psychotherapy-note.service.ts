import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit } from '@mend/audit';
import { FieldEncryption, type TenantTransaction } from '@mend/core';

import { SYSTEM_SESSIONS_CLOCK, type SessionsClock } from '../sessions/session.service.js';
import { SessionsError, SessionsErrorCode } from '../sessions.errors.js';
import { assertSessionOfCase } from './progress-note.service.js';

export const PSYCHOTHERAPY_NOTE_MAX = 50_000;

export interface PsychotherapyNoteView {
  readonly id: string;
  readonly caseId: string;
  readonly sessionId: string | null;
  readonly body: string;
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface Row {
  id: string;
  case_id: string;
  session_id: string | null;
  author_membership_id: string;
  body: string;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

export const PSYCHOTHERAPY_NOTE_LOCATION = (id: string) =>
  ({ table: 'psychotherapy_notes', rowId: id, column: 'body' }) as const;

/** 404 for anyone but the author: the same answer as for a note that does not exist. */
const notFound = (): SessionsError => new SessionsError(SessionsErrorCode.NotFound, 404, 'No such psychotherapy note');

/**
 * Psychotherapy notes (45 CFR 164.501; clinical.md §5.2): a record apart from
 * the chart, read and written by its author only — not the supervisor, not the
 * clinic admin, not the client (404 for all of them). Never in a report, export,
 * timeline, search, notification or log; audit rows name ids only. Encrypted at rest.
 */
export class PsychotherapyNoteService {
  constructor(
    private readonly encryption: FieldEncryption,
    private readonly clock: SessionsClock = SYSTEM_SESSIONS_CLOCK,
  ) {}

  async create(
    tx: TenantTransaction,
    viewer: CaseViewer,
    input: { readonly sessionId?: string | null; readonly body: string },
  ): Promise<PsychotherapyNoteView> {
    if (input.sessionId !== undefined && input.sessionId !== null) {
      await assertSessionOfCase(tx, viewer.case.caseId, input.sessionId);
    }
    const id = randomUUID();
    const sealed = await this.encryption.encrypt(tx, PSYCHOTHERAPY_NOTE_LOCATION(id), input.body);
    const now = this.clock.now();
    await tx.query(
      `insert into psychotherapy_notes (clinic_id, id, case_id, session_id, author_membership_id, body, key_version,
                                        revision, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)`,
      [
        tx.clinicId,
        id,
        viewer.case.caseId,
        input.sessionId ?? null,
        viewer.principal.membershipId,
        sealed,
        FieldEncryption.keyVersionOf(sealed),
        now,
      ],
    );
    await this.audit(tx, viewer, 'psychotherapy_note.create', id);
    return this.open(tx, await this.own(tx, viewer, id));
  }

  /** The caller's own psychotherapy notes of the case (nobody else's, whoever asks). */
  async listOwn(tx: TenantTransaction, viewer: CaseViewer): Promise<PsychotherapyNoteView[]> {
    const rows = await tx.query<Row>(
      `select id, case_id, session_id, author_membership_id, body, revision, created_at, updated_at
         from psychotherapy_notes where clinic_id = $1 and case_id = $2 and author_membership_id = $3
        order by created_at desc, id`,
      [tx.clinicId, viewer.case.caseId, viewer.principal.membershipId],
    );
    await recordAudit(tx, {
      action: 'psychotherapy_note.list',
      targetType: 'case',
      targetId: viewer.case.caseId,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { caseId: viewer.case.caseId, entries: rows.length },
    });
    return Promise.all(rows.map((row) => this.open(tx, row)));
  }

  async get(tx: TenantTransaction, viewer: CaseViewer, noteId: string): Promise<PsychotherapyNoteView> {
    const row = await this.own(tx, viewer, noteId);
    await this.audit(tx, viewer, 'psychotherapy_note.read', noteId);
    return this.open(tx, row);
  }

  async update(
    tx: TenantTransaction,
    viewer: CaseViewer,
    noteId: string,
    input: { readonly body: string; readonly revision: number },
  ): Promise<PsychotherapyNoteView> {
    const row = await this.own(tx, viewer, noteId, true);
    if (row.revision !== input.revision) {
      throw new SessionsError(
        SessionsErrorCode.StaleRevision,
        409,
        `The note changed since revision ${input.revision} (now ${row.revision}): reload it`,
      );
    }
    const sealed = await this.encryption.encrypt(tx, PSYCHOTHERAPY_NOTE_LOCATION(noteId), input.body);
    await tx.query(
      `update psychotherapy_notes set body = $3, key_version = $4, revision = revision + 1, updated_at = $5
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, noteId, sealed, FieldEncryption.keyVersionOf(sealed), this.clock.now()],
    );
    await this.audit(tx, viewer, 'psychotherapy_note.update', noteId);
    return this.open(tx, await this.own(tx, viewer, noteId));
  }

  private async own(tx: TenantTransaction, viewer: CaseViewer, noteId: string, forUpdate = false): Promise<Row> {
    const [row] = await tx.query<Row>(
      `select id, case_id, session_id, author_membership_id, body, revision, created_at, updated_at
         from psychotherapy_notes where clinic_id = $1 and case_id = $2 and id = $3${forUpdate ? ' for update' : ''}`,
      [tx.clinicId, viewer.case.caseId, noteId],
    );
    if (row === undefined || row.author_membership_id.toLowerCase() !== viewer.principal.membershipId.toLowerCase()) {
      throw notFound();
    }
    return row;
  }

  private async open(tx: TenantTransaction, row: Row): Promise<PsychotherapyNoteView> {
    return {
      id: row.id,
      caseId: row.case_id,
      sessionId: row.session_id,
      body: await this.encryption.decrypt(tx, PSYCHOTHERAPY_NOTE_LOCATION(row.id), row.body),
      revision: row.revision,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private async audit(tx: TenantTransaction, viewer: CaseViewer, action: string, id: string): Promise<void> {
    await recordAudit(tx, {
      action,
      targetType: 'psychotherapy_note',
      targetId: id,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { caseId: viewer.case.caseId },
    });
  }
}
