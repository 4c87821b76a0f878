import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { NoteStatus, NoteTemplate } from './note-templates.js';

/**
 * A progress note: part of the designated record set. `body` is ciphertext
 * (FieldEncryption) of the template's fields as JSON; once signed the row is
 * immutable for the runtime role (trigger `progress_notes_immutable_when_signed`).
 */
@Entity({ name: 'progress_notes' })
@Index('progress_notes_case_idx', ['clinicId', 'caseId', 'createdAt'])
@Index('progress_notes_key_version_idx', ['clinicId', 'keyVersion'])
export class ProgressNote {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') caseId: string;
  @Column('uuid', { nullable: true }) sessionId: string | null;
  @Column('uuid') authorMembershipId: string;
  @Column('text') template: NoteTemplate;
  @Column('text', { default: 'draft' }) status: NoteStatus;
  @Column('text') body: string;
  @Column('integer') keyVersion: number;
  @Column('integer', { default: 1 }) revision: number;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
  @Column('timestamptz', { nullable: true }) signedAt: Date | null;
  @Column('boolean', { default: false }) cosignRequired: boolean;
  @Column('timestamptz', { nullable: true }) cosignedAt: Date | null;
  @Column('uuid', { nullable: true }) cosignedByMembershipId: string | null;
}

/** A change to a signed note: who, when, why and what (reason and changes encrypted in `body`). Append-only. */
@Entity({ name: 'progress_note_amendments' })
@Index('progress_note_amendments_note_idx', ['clinicId', 'noteId', 'createdAt'])
@Index('progress_note_amendments_key_version_idx', ['clinicId', 'keyVersion'])
export class ProgressNoteAmendment {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') noteId: string;
  @Column('uuid') authorMembershipId: string;
  @Column('text', { array: true }) changedFields: string[];
  @Column('text') body: string;
  @Column('integer') keyVersion: number;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}

/** A psychotherapy note (45 CFR 164.501): its author's alone, kept apart from the record. `body` is ciphertext. */
@Entity({ name: 'psychotherapy_notes' })
@Index('psychotherapy_notes_author_idx', ['clinicId', 'authorMembershipId', 'caseId'])
@Index('psychotherapy_notes_key_version_idx', ['clinicId', 'keyVersion'])
export class PsychotherapyNote {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') caseId: string;
  @Column('uuid', { nullable: true }) sessionId: string | null;
  @Column('uuid') authorMembershipId: string;
  @Column('text') body: string;
  @Column('integer') keyVersion: number;
  @Column('integer', { default: 1 }) revision: number;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt: Date;
}

/** The clinic requires a supervisor's co-signature on this counselor's progress notes. */
@Entity({ name: 'note_cosign_requirements' })
export class NoteCosignRequirement {
  @PrimaryColumn('uuid') clinicId: string;
  @PrimaryColumn('uuid') counselorMembershipId: string;
  @Column('uuid') requiredByMembershipId: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
}
