import { randomUUID } from 'node:crypto';

import type { CaseViewer } from '@mend/access';
import { recordAudit, type AuditMetadata } from '@mend/audit';
import { FieldEncryption, type TenantTransaction } from '@mend/core';

import type { SessionsClock } from '../sessions/session.service.js';
import { SYSTEM_SESSIONS_CLOCK } from '../sessions/session.service.js';
import { noteNotFound, SessionsError, SessionsErrorCode } from '../sessions.errors.js';
import {
  applyAmendments,
  bodyProblems,
  linkedAssignmentIds,
  signingProblems,
  type NoteBody,
  type NoteStatus,
  type NoteTemplate,
} from './note-templates.js';

export interface AmendmentView {
  readonly id: string;
  readonly authorMembershipId: string;
  readonly createdAt: Date;
  readonly reason: string;
  /** The fields changed, with their new values. */
  readonly changes: NoteBody;
  readonly changedFields: readonly string[];
}

export interface ProgressNoteView {
  readonly id: string;
  readonly caseId: string;
  readonly sessionId: string | null;
  readonly authorMembershipId: string;
  readonly template: NoteTemplate;
  readonly status: NoteStatus;
  readonly revision: number;
  /** The note as written (and signed): never overwritten. */
  readonly body: NoteBody;
  /** The body with every amendment applied in order. */
  readonly currentBody: NoteBody;
  readonly amendments: readonly AmendmentView[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly signedAt: Date | null;
  readonly cosignRequired: boolean;
  readonly cosignedAt: Date | null;
  readonly cosignedByMembershipId: string | null;
}

/** An unsigned note (or one awaiting co-signature) in a counselor's or supervisor's queue: no content. */
export interface NoteQueueItem {
  readonly id: string;
  readonly caseId: string;
  readonly sessionId: string | null;
  readonly authorMembershipId: string;
  readonly template: NoteTemplate;
  readonly status: NoteStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface NoteRow {
  id: string;
  case_id: string;
  session_id: string | null;
  author_membership_id: string;
  template: NoteTemplate;
  status: NoteStatus;
  body: string;
  key_version: number;
  revision: number;
  created_at: Date;
  updated_at: Date;
  signed_at: Date | null;
  cosign_required: boolean;
  cosigned_at: Date | null;
  cosigned_by_membership_id: string | null;
}

interface AmendmentRow {
  id: string;
  note_id: string;
  author_membership_id: string;
  changed_fields: string[];
  body: string;
  created_at: Date;
}

const COLUMNS = `id, case_id, session_id, author_membership_id, template, status, body, key_version, revision,
  created_at, updated_at, signed_at, cosign_required, cosigned_at, cosigned_by_membership_id`;

export const NOTE_LOCATION = (id: string) => ({ table: 'progress_notes', rowId: id, column: 'body' }) as const;
export const AMENDMENT_LOCATION = (id: string) =>
  ({ table: 'progress_note_amendments', rowId: id, column: 'body' }) as const;

export const AMENDMENT_REASON_MAX = 2000;

async function audit(
  tx: TenantTransaction,
  viewer: CaseViewer,
  action: string,
  targetId: string,
  metadata: AuditMetadata = {},
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: 'progress_note',
    targetId,
    actorUserId: viewer.principal.userId,
    actorMembershipId: viewer.principal.membershipId,
    metadata: { caseId: viewer.case.caseId, ...metadata },
  });
}

function sealedVersion(sealed: string): number {
  const version = FieldEncryption.keyVersionOf(sealed);
  if (version === null) throw new Error('A sealed value names its key version');
  return version;
}

/**
 * Progress notes (clinical.md §5.1, §5.3): templates SOAP, DAP, BIRP, couple and
 * free; a draft is edited by its author (optimistic revision), then signed;
 * a signed note is immutable (the database refuses the runtime role's UPDATE)
 * and changes only by amendment (author, time, reason, the change), the
 * original always retrievable; a supervisor's co-signature when the clinic
 * requires it for the author. Bodies and amendments are encrypted at rest.
 * Care team only (supervisors read); participants and the directory get 404.
 */
export class ProgressNoteService {
  constructor(
    private readonly encryption: FieldEncryption,
    private readonly clock: SessionsClock = SYSTEM_SESSIONS_CLOCK,
  ) {}

  async create(
    tx: TenantTransaction,
    viewer: CaseViewer,
    input: { readonly template: NoteTemplate; readonly sessionId?: string | null; readonly body: unknown },
  ): Promise<ProgressNoteView> {
    const body = validBody(input.template, input.body);
    if (input.sessionId !== undefined && input.sessionId !== null) {
      await assertSessionOfCase(tx, viewer.case.caseId, input.sessionId);
    }
    const id = randomUUID();
    const sealed = await this.encryption.encrypt(tx, NOTE_LOCATION(id), JSON.stringify(body));
    const now = this.clock.now();
    await tx.query(
      `insert into progress_notes (clinic_id, id, case_id, session_id, author_membership_id, template, status, body,
                                   key_version, revision, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, 1, $9, $9)`,
      [
        tx.clinicId,
        id,
        viewer.case.caseId,
        input.sessionId ?? null,
        viewer.principal.membershipId,
        input.template,
        sealed,
        sealedVersion(sealed),
        now,
      ],
    );
    await audit(tx, viewer, 'progress_note.create', id, {
      template: input.template,
      fields: Object.keys(body).length,
      linkedAssignments: linkedAssignmentIds(body).length,
    });
    return this.view(tx, await this.row(tx, viewer.case.caseId, id), []);
  }

  async list(tx: TenantTransaction, viewer: CaseViewer): Promise<ProgressNoteView[]> {
    const rows = await tx.query<NoteRow>(
      `select ${COLUMNS} from progress_notes where clinic_id = $1 and case_id = $2 order by created_at desc, id`,
      [tx.clinicId, viewer.case.caseId],
    );
    const amendments = await tx.query<AmendmentRow>(
      `select a.id, a.note_id, a.author_membership_id, a.changed_fields, a.body, a.created_at
         from progress_note_amendments a
         join progress_notes n on n.clinic_id = a.clinic_id and n.id = a.note_id
        where a.clinic_id = $1 and n.case_id = $2 order by a.created_at, a.id`,
      [tx.clinicId, viewer.case.caseId],
    );
    const byNote = new Map<string, AmendmentRow[]>();
    for (const amendment of amendments) {
      byNote.set(amendment.note_id, [...(byNote.get(amendment.note_id) ?? []), amendment]);
    }
    const views = await Promise.all(rows.map((row) => this.view(tx, row, byNote.get(row.id) ?? [])));
    await recordAudit(tx, {
      action: 'progress_note.list',
      targetType: 'case',
      targetId: viewer.case.caseId,
      actorUserId: viewer.principal.userId,
      actorMembershipId: viewer.principal.membershipId,
      metadata: { caseId: viewer.case.caseId, entries: views.length },
    });
    return views;
  }

  async get(tx: TenantTransaction, viewer: CaseViewer, noteId: string): Promise<ProgressNoteView> {
    const row = await this.row(tx, viewer.case.caseId, noteId);
    await audit(tx, viewer, 'progress_note.read', noteId);
    return this.view(tx, row, await this.amendmentRows(tx, noteId));
  }

  async updateDraft(
    tx: TenantTransaction,
    viewer: CaseViewer,
    noteId: string,
    input: { readonly body: unknown; readonly revision: number },
  ): Promise<ProgressNoteView> {
    const row = await this.row(tx, viewer.case.caseId, noteId, true);
    assertDraft(row, viewer.case.caseId);
    assertAuthor(row, viewer);
    if (row.revision !== input.revision) {
      throw new SessionsError(
        SessionsErrorCode.StaleRevision,
        409,
        `The note changed since revision ${input.revision} (now ${row.revision}): reload it`,
      );
    }
    const body = validBody(row.template, input.body);
    const sealed = await this.encryption.encrypt(tx, NOTE_LOCATION(noteId), JSON.stringify(body));
    await tx.query(
      `update progress_notes set body = $3, key_version = $4, revision = revision + 1, updated_at = $5
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, noteId, sealed, sealedVersion(sealed), this.clock.now()],
    );
    await audit(tx, viewer, 'progress_note.update', noteId, { fields: Object.keys(body).length });
    return this.view(tx, await this.row(tx, viewer.case.caseId, noteId), []);
  }

  async sign(tx: TenantTransaction, viewer: CaseViewer, noteId: string): Promise<ProgressNoteView> {
    const row = await this.row(tx, viewer.case.caseId, noteId, true);
    assertDraft(row, viewer.case.caseId);
    assertAuthor(row, viewer);
    const body = await this.decryptBody(tx, row);
    const problems = signingProblems(row.template, body);
    if (problems.length > 0) {
      throw new SessionsError(SessionsErrorCode.NoteIncomplete, 422, 'The note misses what signing needs', problems);
    }
    const [requirement] = await tx.query(
      'select 1 from note_cosign_requirements where clinic_id = $1 and counselor_membership_id = $2',
      [tx.clinicId, row.author_membership_id],
    );
    await tx.query(
      `update progress_notes set status = 'signed', signed_at = $3, cosign_required = $4, updated_at = $3
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, noteId, this.clock.now(), requirement !== undefined],
    );
    await audit(tx, viewer, 'progress_note.sign', noteId, { cosignRequired: requirement !== undefined });
    return this.view(tx, await this.row(tx, viewer.case.caseId, noteId), []);
  }

  async amend(
    tx: TenantTransaction,
    viewer: CaseViewer,
    noteId: string,
    input: { readonly reason: string; readonly changes: unknown },
  ): Promise<ProgressNoteView> {
    const row = await this.row(tx, viewer.case.caseId, noteId, true);
    if (row.status !== 'signed') {
      throw new SessionsError(
        SessionsErrorCode.NoteNotSigned,
        422,
        'A draft is edited, not amended: PATCH the note with its revision',
      );
    }
    const changes = validBody(row.template, input.changes);
    const changedFields = Object.keys(changes).sort();
    if (changedFields.length === 0) {
      throw new SessionsError(SessionsErrorCode.EmptyAmendment, 400, 'An amendment changes at least one field', [
        { field: 'changes', rule: 'not_empty', message: 'must change at least one field' },
      ]);
    }
    const id = randomUUID();
    const sealed = await this.encryption.encrypt(
      tx,
      AMENDMENT_LOCATION(id),
      JSON.stringify({ reason: input.reason, changes }),
    );
    await tx.query(
      `insert into progress_note_amendments (clinic_id, id, note_id, author_membership_id, changed_fields, body,
                                             key_version, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        tx.clinicId,
        id,
        noteId,
        viewer.principal.membershipId,
        changedFields,
        sealed,
        sealedVersion(sealed),
        this.clock.now(),
      ],
    );
    await audit(tx, viewer, 'progress_note.amend', noteId, { amendmentId: id, changedFields: changedFields.join(',') });
    return this.view(tx, row, await this.amendmentRows(tx, noteId));
  }

  async cosign(tx: TenantTransaction, viewer: CaseViewer, noteId: string): Promise<ProgressNoteView> {
    const row = await this.row(tx, viewer.case.caseId, noteId, true);
    if (row.status !== 'signed') {
      throw new SessionsError(SessionsErrorCode.NoteNotSigned, 422, 'Only a signed note is co-signed');
    }
    if (!row.cosign_required) {
      throw new SessionsError(SessionsErrorCode.CosignNotRequired, 422, 'This note needs no co-signature');
    }
    if (row.cosigned_at !== null) {
      throw new SessionsError(SessionsErrorCode.AlreadyCosigned, 409, 'This note is already co-signed');
    }
    const [link] = await tx.query(
      `select 1 from supervision_links where clinic_id = $1 and supervisor_membership_id = $2 and counselor_membership_id = $3`,
      [tx.clinicId, viewer.principal.membershipId, row.author_membership_id],
    );
    if (link === undefined) {
      throw new SessionsError(
        SessionsErrorCode.NotAuthorsSupervisor,
        403,
        "Only a supervisor of the note's author co-signs it",
      );
    }
    await tx.query(
      `update progress_notes set cosigned_at = $3, cosigned_by_membership_id = $4 where clinic_id = $1 and id = $2`,
      [tx.clinicId, noteId, this.clock.now(), viewer.principal.membershipId],
    );
    await audit(tx, viewer, 'progress_note.cosign', noteId);
    return this.view(tx, await this.row(tx, viewer.case.caseId, noteId), await this.amendmentRows(tx, noteId));
  }

  /** The author's drafts across cases, and signed notes awaiting a co-signature (no content). */
  async unsignedOf(tx: TenantTransaction, membershipId: string): Promise<NoteQueueItem[]> {
    return this.queue(
      tx,
      `author_membership_id = $2 and (status = 'draft' or (cosign_required and cosigned_at is null))`,
      membershipId,
    );
  }

  /** Signed notes of the counselors this supervisor supervises that await a co-signature (no content). */
  async awaitingCosignatureBy(tx: TenantTransaction, supervisorMembershipId: string): Promise<NoteQueueItem[]> {
    return this.queue(
      tx,
      `status = 'signed' and cosign_required and cosigned_at is null and author_membership_id in
         (select counselor_membership_id from supervision_links where clinic_id = $1 and supervisor_membership_id = $2)`,
      supervisorMembershipId,
    );
  }

  async setCosignRequirement(
    tx: TenantTransaction,
    actor: { readonly userId: string; readonly membershipId: string },
    counselorMembershipId: string,
    required: boolean,
  ): Promise<void> {
    if (required) {
      await tx.query(
        `insert into note_cosign_requirements (clinic_id, counselor_membership_id, required_by_membership_id)
         values ($1, $2, $3) on conflict (clinic_id, counselor_membership_id) do nothing`,
        [tx.clinicId, counselorMembershipId, actor.membershipId],
      );
    } else {
      await tx.query('delete from note_cosign_requirements where clinic_id = $1 and counselor_membership_id = $2', [
        tx.clinicId,
        counselorMembershipId,
      ]);
    }
    await recordAudit(tx, {
      action: required ? 'note_cosign_requirement.set' : 'note_cosign_requirement.clear',
      targetType: 'membership',
      targetId: counselorMembershipId,
      actorUserId: actor.userId,
      actorMembershipId: actor.membershipId,
    });
  }

  async cosignRequired(tx: TenantTransaction, counselorMembershipId: string): Promise<boolean> {
    const rows = await tx.query(
      'select 1 from note_cosign_requirements where clinic_id = $1 and counselor_membership_id = $2',
      [tx.clinicId, counselorMembershipId],
    );
    return rows.length > 0;
  }

  private async queue(tx: TenantTransaction, where: string, membershipId: string): Promise<NoteQueueItem[]> {
    const rows = await tx.query<NoteRow>(
      `select id, case_id, session_id, author_membership_id, template, status, created_at, updated_at
         from progress_notes where clinic_id = $1 and ${where} order by created_at, id limit 500`,
      [tx.clinicId, membershipId],
    );
    return rows.map((row) => ({
      id: row.id,
      caseId: row.case_id,
      sessionId: row.session_id,
      authorMembershipId: row.author_membership_id,
      template: row.template,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  private async row(tx: TenantTransaction, caseId: string, noteId: string, forUpdate = false): Promise<NoteRow> {
    const [row] = await tx.query<NoteRow>(
      `select ${COLUMNS} from progress_notes where clinic_id = $1 and case_id = $2 and id = $3${forUpdate ? ' for update' : ''}`,
      [tx.clinicId, caseId, noteId],
    );
    if (row === undefined) throw noteNotFound();
    return row;
  }

  private amendmentRows(tx: TenantTransaction, noteId: string): Promise<AmendmentRow[]> {
    return tx.query<AmendmentRow>(
      `select id, note_id, author_membership_id, changed_fields, body, created_at from progress_note_amendments
        where clinic_id = $1 and note_id = $2 order by created_at, id`,
      [tx.clinicId, noteId],
    );
  }

  private async decryptBody(tx: TenantTransaction, row: NoteRow): Promise<NoteBody> {
    return JSON.parse(await this.encryption.decrypt(tx, NOTE_LOCATION(row.id), row.body)) as NoteBody;
  }

  private async view(
    tx: TenantTransaction,
    row: NoteRow,
    amendmentRows: readonly AmendmentRow[],
  ): Promise<ProgressNoteView> {
    const body = await this.decryptBody(tx, row);
    const amendments: AmendmentView[] = [];
    for (const amendment of amendmentRows) {
      const opened = JSON.parse(
        await this.encryption.decrypt(tx, AMENDMENT_LOCATION(amendment.id), amendment.body),
      ) as {
        reason: string;
        changes: NoteBody;
      };
      amendments.push({
        id: amendment.id,
        authorMembershipId: amendment.author_membership_id,
        createdAt: amendment.created_at,
        reason: opened.reason,
        changes: opened.changes,
        changedFields: amendment.changed_fields,
      });
    }
    return {
      id: row.id,
      caseId: row.case_id,
      sessionId: row.session_id,
      authorMembershipId: row.author_membership_id,
      template: row.template,
      status: row.status,
      revision: row.revision,
      body,
      currentBody: applyAmendments(
        body,
        amendments.map((amendment) => amendment.changes),
      ),
      amendments,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      signedAt: row.signed_at,
      cosignRequired: row.cosign_required,
      cosignedAt: row.cosigned_at,
      cosignedByMembershipId: row.cosigned_by_membership_id,
    };
  }
}

function validBody(template: NoteTemplate, body: unknown): NoteBody {
  const problems = bodyProblems(template, body);
  if (problems.length > 0) {
    throw new SessionsError(
      SessionsErrorCode.InvalidNoteBody,
      400,
      `The body does not fit the ${template} template`,
      problems,
    );
  }
  return body as NoteBody;
}

export async function assertSessionOfCase(tx: TenantTransaction, caseId: string, sessionId: string): Promise<void> {
  const [session] = await tx.query<{ case_id: string }>(
    'select case_id from therapy_sessions where clinic_id = $1 and id = $2',
    [tx.clinicId, sessionId],
  );
  if (session === undefined || session.case_id.toLowerCase() !== caseId.toLowerCase()) {
    throw new SessionsError(SessionsErrorCode.SessionOfAnotherCase, 422, 'The session is not one of this case', [
      { field: 'sessionId', rule: 'same_case', message: 'must be a session of this case' },
    ]);
  }
}

function assertDraft(row: NoteRow, caseId: string): void {
  if (row.status === 'signed') {
    throw new SessionsError(
      SessionsErrorCode.NoteSigned,
      409,
      `The note is signed and cannot be edited: amend it with POST /api/v1/cases/${caseId}/notes/${row.id}/amendments ` +
        '({reason, changes})',
    );
  }
}

function assertAuthor(row: NoteRow, viewer: CaseViewer): void {
  if (row.author_membership_id.toLowerCase() !== viewer.principal.membershipId.toLowerCase()) {
    throw new SessionsError(SessionsErrorCode.NotTheAuthor, 403, "Only the note's author edits or signs a draft");
  }
}
