import { randomUUID } from 'node:crypto';

import { recordAudit, type AuditMetadata } from '@mend/audit';
import type { TenantTransaction } from '@mend/core';

import { BUILT_IN_EXERCISES, builtInExercise } from '../catalogue/index.js';
import type { Audience, CoachMode, ExerciseDefinition, Phase, SeedConceptId, Visibility } from '../exercise.types.js';
import { checkExerciseContent, contentOf, EXERCISE_LIMITS, type ExerciseContent } from './exercise-content.js';
import type { ExerciseStatus } from './exercise.entities.js';
import {
  BuiltInExerciseReadOnlyError,
  ExerciseNotFoundError,
  ExerciseRetiredError,
  ExerciseVersionConflictError,
  ExerciseVersionNotFoundError,
  InvalidExerciseDefinitionError,
} from './exercise.errors.js';

/**
 * The exercise library of a clinic: the built-ins (in code, addressed by key `E01`..`E37`,
 * always at version {@link BUILT_IN_VERSION}) and the clinic's own exercises (addressed
 * by id, with immutable versions). Built-ins are read-only; copy one to change it.
 * Every change is audited (ids and counts only).
 */

/** The version every built-in has; it moves when Mend ships a changed catalogue. */
export const BUILT_IN_VERSION = 1;

export type ExerciseSource = 'built_in' | 'custom';

/** Who acts: the signed-in staff member. */
export interface ExerciseActor {
  readonly userId: string;
  readonly membershipId: string;
  readonly ip?: string | null;
}

export interface ExerciseSummary {
  /** A built-in key (`E05`) or a custom exercise id. */
  readonly ref: string;
  readonly source: ExerciseSource;
  readonly title: string;
  readonly audience: Audience;
  readonly phases: readonly Phase[];
  readonly defaultVisibility: Visibility;
  readonly coachMode: CoachMode;
  readonly estimatedMinutes: number;
  /** Seed concepts of clinical.md §0.1 (the library filter). */
  readonly seedConcepts: readonly SeedConceptId[];
  readonly status: ExerciseStatus;
  readonly currentVersion: number;
  /** What a custom exercise was copied from: a built-in key, or `<exercise id>:v<version>`. */
  readonly copiedFrom: string | null;
  readonly updatedAt: Date | null;
}

export interface ExerciseVersionView extends Omit<
  ExerciseSummary,
  'title' | 'audience' | 'phases' | 'defaultVisibility' | 'coachMode' | 'estimatedMinutes' | 'seedConcepts'
> {
  readonly version: number;
  readonly content: ExerciseContent;
  readonly createdAt: Date | null;
  readonly authorMembershipId: string | null;
  readonly changeNote: string | null;
}

export interface ExerciseVersionSummary {
  readonly version: number;
  readonly title: string;
  readonly createdAt: Date | null;
  readonly authorMembershipId: string | null;
  readonly changeNote: string | null;
}

export interface ExerciseListFilter {
  readonly status?: ExerciseStatus | 'all';
  readonly source?: ExerciseSource | 'all';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ExerciseRow {
  id: string;
  status: ExerciseStatus;
  current_version: number;
  copied_from: string | null;
  updated_at: Date;
}

interface VersionRow {
  version: number;
  title: string;
  definition: ExerciseContent;
  change_note: string | null;
  author_membership_id: string;
  created_at: Date;
}

type Ref =
  | { readonly kind: 'built_in'; readonly definition: ExerciseDefinition }
  | { readonly kind: 'custom'; readonly id: string };

/** A built-in key or a uuid; anything else is 404 like an unknown exercise. */
function parseRef(ref: string): Ref {
  const definition = builtInExercise(ref);
  if (definition !== undefined) return { kind: 'built_in', definition };
  if (UUID.test(ref)) return { kind: 'custom', id: ref.toLowerCase() };
  throw new ExerciseNotFoundError();
}

function summaryOfContent(
  ref: string,
  source: ExerciseSource,
  content: ExerciseContent,
  row: Pick<ExerciseSummary, 'status' | 'currentVersion' | 'copiedFrom' | 'updatedAt'>,
): ExerciseSummary {
  return {
    ref,
    source,
    title: content.title,
    audience: content.audience,
    phases: content.phases,
    defaultVisibility: content.defaultVisibility,
    coachMode: content.coachMode,
    estimatedMinutes: content.estimatedMinutes,
    seedConcepts: content.seedConcepts,
    ...row,
  };
}

const BUILT_IN_ROW = { status: 'active', currentVersion: BUILT_IN_VERSION, copiedFrom: null, updatedAt: null } as const;

function builtInView(definition: ExerciseDefinition): ExerciseVersionView {
  return {
    ref: definition.key,
    source: 'built_in',
    ...BUILT_IN_ROW,
    version: BUILT_IN_VERSION,
    content: contentOf(definition),
    createdAt: null,
    authorMembershipId: null,
    changeNote: null,
  };
}

async function exerciseRow(tx: TenantTransaction, id: string, lock = false): Promise<ExerciseRow | null> {
  const rows = await tx.query<ExerciseRow>(
    `select id, status, current_version, copied_from, updated_at from exercises
      where clinic_id = $1 and id = $2${lock ? ' for update' : ''}`,
    [tx.clinicId, id],
  );
  return rows[0] ?? null;
}

async function versionRow(tx: TenantTransaction, id: string, version: number): Promise<VersionRow | null> {
  const rows = await tx.query<VersionRow>(
    `select version, title, definition, change_note, author_membership_id, created_at from exercise_versions
      where clinic_id = $1 and exercise_id = $2 and version = $3`,
    [tx.clinicId, id, version],
  );
  return rows[0] ?? null;
}

function customView(row: ExerciseRow, version: VersionRow): ExerciseVersionView {
  return {
    ref: row.id,
    source: 'custom',
    status: row.status,
    currentVersion: row.current_version,
    copiedFrom: row.copied_from,
    updatedAt: row.updated_at,
    version: version.version,
    content: version.definition,
    createdAt: version.created_at,
    authorMembershipId: version.author_membership_id,
    changeNote: version.change_note,
  };
}

async function audit(
  tx: TenantTransaction,
  actor: ExerciseActor,
  action: string,
  exerciseId: string,
  metadata: AuditMetadata,
): Promise<void> {
  await recordAudit(tx, {
    action,
    targetType: 'exercise',
    targetId: exerciseId,
    actorUserId: actor.userId,
    actorMembershipId: actor.membershipId,
    ip: actor.ip ?? null,
    metadata,
  });
}

function validContent(candidate: unknown): ExerciseContent {
  const check = checkExerciseContent(candidate);
  if (!check.valid) throw new InvalidExerciseDefinitionError(check.issues);
  return check.content;
}

function validChangeNote(changeNote: string | null | undefined): string | null {
  if (changeNote === null || changeNote === undefined) return null;
  if (changeNote.trim().length === 0 || changeNote.length > EXERCISE_LIMITS.maxChangeNote)
    throw new InvalidExerciseDefinitionError([
      {
        pointer: '/changeNote',
        path: 'changeNote',
        rule: 'change-note-length',
        message: `must be 1 to ${EXERCISE_LIMITS.maxChangeNote} characters`,
      },
    ]);
  return changeNote;
}

function fieldCount(content: ExerciseContent): number {
  return content.responseSchema.fields.length;
}

// ---- reading -------------------------------------------------------------------------------------

/** Built-ins and the clinic's own exercises (current versions), built-ins first, then by title. */
export async function listExercises(
  tx: TenantTransaction,
  filter: ExerciseListFilter = {},
): Promise<ExerciseSummary[]> {
  const status = filter.status ?? 'active';
  const source = filter.source ?? 'all';
  const builtIns =
    source === 'custom' || status === 'retired'
      ? []
      : BUILT_IN_EXERCISES.map((definition) =>
          summaryOfContent(definition.key, 'built_in', contentOf(definition), BUILT_IN_ROW),
        );
  if (source === 'built_in') return builtIns;
  const rows = await tx.query<ExerciseRow & { definition: ExerciseContent }>(
    `select e.id, e.status, e.current_version, e.copied_from, e.updated_at, v.definition
       from exercises e
       join exercise_versions v on v.clinic_id = e.clinic_id and v.exercise_id = e.id and v.version = e.current_version
      where e.clinic_id = $1 and ($2::text = 'all' or e.status = $2)
      order by v.title, e.id`,
    [tx.clinicId, status],
  );
  const custom = rows.map((row) =>
    summaryOfContent(row.id, 'custom', row.definition, {
      status: row.status,
      currentVersion: row.current_version,
      copiedFrom: row.copied_from,
      updatedAt: row.updated_at,
    }),
  );
  return [...builtIns, ...custom];
}

/** One exercise at its current version, or at `version` (assignments pin versions). */
export async function readExercise(tx: TenantTransaction, ref: string, version?: number): Promise<ExerciseVersionView> {
  const parsed = parseRef(ref);
  if (parsed.kind === 'built_in') {
    if (version !== undefined && version !== BUILT_IN_VERSION) throw new ExerciseVersionNotFoundError();
    return builtInView(parsed.definition);
  }
  const row = await exerciseRow(tx, parsed.id);
  if (row === null) throw new ExerciseNotFoundError();
  const found = await versionRow(tx, parsed.id, version ?? row.current_version);
  if (found === null) throw new ExerciseVersionNotFoundError();
  return customView(row, found);
}

/** The versions of an exercise, oldest first. */
export async function listExerciseVersions(tx: TenantTransaction, ref: string): Promise<ExerciseVersionSummary[]> {
  const parsed = parseRef(ref);
  if (parsed.kind === 'built_in')
    return [
      {
        version: BUILT_IN_VERSION,
        title: parsed.definition.title,
        createdAt: null,
        authorMembershipId: null,
        changeNote: null,
      },
    ];
  if ((await exerciseRow(tx, parsed.id)) === null) throw new ExerciseNotFoundError();
  const rows = await tx.query<Omit<VersionRow, 'definition'>>(
    `select version, title, change_note, author_membership_id, created_at from exercise_versions
      where clinic_id = $1 and exercise_id = $2 order by version`,
    [tx.clinicId, parsed.id],
  );
  return rows.map((row) => ({
    version: row.version,
    title: row.title,
    createdAt: row.created_at,
    authorMembershipId: row.author_membership_id,
    changeNote: row.change_note,
  }));
}

// ---- writing -------------------------------------------------------------------------------------

async function insertExercise(
  tx: TenantTransaction,
  actor: ExerciseActor,
  content: ExerciseContent,
  changeNote: string | null,
  copiedFrom: string | null,
): Promise<ExerciseVersionView> {
  const id = randomUUID();
  const [row] = await tx.query<ExerciseRow>(
    `insert into exercises (clinic_id, id, status, current_version, copied_from, created_by_membership_id)
     values ($1, $2, 'active', 1, $3, $4)
     returning id, status, current_version, copied_from, updated_at`,
    [tx.clinicId, id, copiedFrom, actor.membershipId],
  );
  const version = await insertVersion(tx, actor, id, 1, content, changeNote);
  return customView(row, version);
}

async function insertVersion(
  tx: TenantTransaction,
  actor: ExerciseActor,
  exerciseId: string,
  version: number,
  content: ExerciseContent,
  changeNote: string | null,
): Promise<VersionRow> {
  const [row] = await tx.query<VersionRow>(
    `insert into exercise_versions (clinic_id, exercise_id, version, id, title, definition, change_note, author_membership_id)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
     returning version, title, definition, change_note, author_membership_id, created_at`,
    [
      tx.clinicId,
      exerciseId,
      version,
      randomUUID(),
      content.title,
      JSON.stringify(content),
      changeNote,
      actor.membershipId,
    ],
  );
  return row;
}

/** A new clinic exercise at version 1; the definition and its response schema are validated first (422). */
export async function createExercise(
  tx: TenantTransaction,
  actor: ExerciseActor,
  input: { readonly content: unknown; readonly changeNote?: string | null },
): Promise<ExerciseVersionView> {
  const content = validContent(input.content);
  const view = await insertExercise(tx, actor, content, validChangeNote(input.changeNote), null);
  await audit(tx, actor, 'exercise.create', view.ref, { version: 1, fieldCount: fieldCount(content) });
  return view;
}

/** Locks a clinic exercise for a change; built-ins are read-only (422), retired ones too. */
async function lockCustom(tx: TenantTransaction, ref: string): Promise<ExerciseRow> {
  const parsed = parseRef(ref);
  if (parsed.kind === 'built_in') throw new BuiltInExerciseReadOnlyError();
  const row = await exerciseRow(tx, parsed.id, true);
  if (row === null) throw new ExerciseNotFoundError();
  return row;
}

/**
 * A new immutable version. `expectedVersion` must be the current one (else 409 with
 * the current version: never a lost update); the exercise row is locked first.
 */
export async function reviseExercise(
  tx: TenantTransaction,
  actor: ExerciseActor,
  ref: string,
  input: { readonly expectedVersion: number; readonly content: unknown; readonly changeNote?: string | null },
): Promise<ExerciseVersionView> {
  const row = await lockCustom(tx, ref);
  if (row.status === 'retired') throw new ExerciseRetiredError();
  if (row.current_version !== input.expectedVersion)
    throw new ExerciseVersionConflictError(input.expectedVersion, row.current_version);
  const content = validContent(input.content);
  const next = row.current_version + 1;
  const version = await insertVersion(tx, actor, row.id, next, content, validChangeNote(input.changeNote));
  await tx.query(`update exercises set current_version = $3, updated_at = now() where clinic_id = $1 and id = $2`, [
    tx.clinicId,
    row.id,
    next,
  ]);
  const updated = (await exerciseRow(tx, row.id))!;
  await audit(tx, actor, 'exercise.revise', row.id, { version: next, fieldCount: fieldCount(content) });
  return customView(updated, version);
}

/** Retires a clinic exercise: no new assignments; pinned versions stay readable. Retiring twice changes nothing. */
export async function retireExercise(
  tx: TenantTransaction,
  actor: ExerciseActor,
  ref: string,
): Promise<ExerciseVersionView> {
  const row = await lockCustom(tx, ref);
  let current = row;
  if (row.status !== 'retired') {
    await tx.query(
      `update exercises set status = 'retired', retired_at = now(), retired_by_membership_id = $3, updated_at = now()
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, row.id, actor.membershipId],
    );
    const updated = (await exerciseRow(tx, row.id))!;
    current = updated;
    await audit(tx, actor, 'exercise.retire', row.id, { version: row.current_version });
  }
  const version = await versionRow(tx, row.id, current.current_version);
  return customView(current, version!);
}

/**
 * Copies a built-in (or a clinic exercise, at its current or a given version) into a
 * new clinic exercise, which can then be changed. The copy records where it came from.
 */
export async function copyExercise(
  tx: TenantTransaction,
  actor: ExerciseActor,
  ref: string,
  input: { readonly version?: number; readonly title?: string | null } = {},
): Promise<ExerciseVersionView> {
  const source = await readExercise(tx, ref, input.version);
  const title = input.title ?? source.content.title;
  const content = validContent({ ...source.content, title });
  const copiedFrom = source.source === 'built_in' ? source.ref : `${source.ref}:v${source.version}`;
  const view = await insertExercise(tx, actor, content, null, copiedFrom);
  await audit(tx, actor, 'exercise.copy', view.ref, {
    version: 1,
    copiedFrom,
    sourceKind: source.source,
    fieldCount: fieldCount(content),
  });
  return view;
}
