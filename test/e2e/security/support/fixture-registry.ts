import type pg from 'pg';

import type { Operation } from './openapi.js';

/**
 * Real record ids by path parameter name, for the security suites: a fuzzed
 * request names records that exist (so it reaches the handler instead of dying
 * at 404), the wrong kind of record, or another clinic's. A parameter name that
 * is not here fails the suite at once, naming the route: add a line when a new
 * route brings a new name (never skip a route silently).
 *
 * Where one name means different records on different routes (`noteId` of a
 * progress or a psychotherapy note, `checkInId` of the ledger or of safety,
 * `version` of an exercise or a measure), entries carry a path test; the first
 * entry whose test matches wins.
 */
interface FixtureSource {
  readonly param: string;
  /** Only for operations whose documented path matches. */
  readonly path?: RegExp;
  /** The ids of one clinic ($1), or constant values valid in every clinic. */
  readonly query?: string;
  readonly values?: (clinicId: string) => readonly string[];
}

const SOURCES: readonly FixtureSource[] = [
  { param: 'caseId', query: 'select id::text from cases where clinic_id = $1' },
  { param: 'clientId', query: 'select id::text from clients where clinic_id = $1' },
  { param: 'membershipId', query: 'select id::text from memberships where clinic_id = $1' },
  {
    param: 'supervisorMembershipId',
    query: `select id::text from memberships where clinic_id = $1 and 'supervisor' = any(roles)`,
  },
  { param: 'id', path: /\/auth\/sessions\/\{id\}$/, query: 'select id::text from login_sessions where clinic_id = $1' },
  { param: 'invitationId', query: 'select id::text from invitations where clinic_id = $1' },
  {
    param: 'noteId',
    path: /psychotherapy-notes/,
    query: 'select id::text from psychotherapy_notes where clinic_id = $1',
  },
  { param: 'noteId', path: /\/notes\//, query: 'select id::text from progress_notes where clinic_id = $1' },
  { param: 'sessionId', query: 'select id::text from therapy_sessions where clinic_id = $1' },
  { param: 'assignmentId', query: 'select id::text from assignments where clinic_id = $1' },
  { param: 'occurrenceId', query: 'select id::text from assignment_occurrences where clinic_id = $1' },
  { param: 'administrationId', query: 'select id::text from measure_administrations where clinic_id = $1' },
  { param: 'alertId', query: 'select id::text from safety_alerts where clinic_id = $1' },
  {
    param: 'checkInId',
    path: /\/safety-check-ins\//,
    query: 'select id::text from safety_check_ins where clinic_id = $1',
  },
  { param: 'checkInId', path: /\/ledger\//, query: 'select id::text from commitment_check_ins where clinic_id = $1' },
  { param: 'assessmentId', query: 'select id::text from readiness_assessments where clinic_id = $1' },
  { param: 'eventId', query: 'select id::text from boundary_events where clinic_id = $1' },
  { param: 'notificationId', query: 'select id::text from notifications where clinic_id = $1' },
  {
    param: 'exerciseRef',
    query: `select id::text from exercises where clinic_id = $1 union all select unnest(array['E05', 'E07', 'E29'])`,
  },
  { param: 'measureId', values: () => ['phq-9', 'gad-7', 'csi-4'] },
  { param: 'version', path: /\/measures\//, values: () => ['1'] },
  { param: 'version', path: /\/exercises\//, values: () => ['1', '2'] },
  { param: 'revision', values: () => ['1', '2'] },
  { param: 'country', values: () => ['GB', 'US'] },
  { param: 'clinicId', values: (clinicId) => [clinicId] },
  { param: 'reminderId', query: 'select id::text from reminders where clinic_id = $1' },
  { param: 'reportId', query: 'select id::text from report_requests where clinic_id = $1' },
  {
    param: 'fileName',
    query: `select name from report_artifacts where clinic_id = $1 union select unnest(array['report.pdf', 'cases.csv'])`,
  },
];

function sourceFor(operation: Operation, param: string): FixtureSource {
  const candidates = SOURCES.filter((source) => source.param === param);
  const source = candidates.find((candidate) => candidate.path === undefined || candidate.path.test(operation.path));
  if (source === undefined) {
    throw new Error(
      `${operation.key}: no fixture ids for path parameter "${param}"` +
        (candidates.length > 0 ? ' on this path' : '') +
        ' — add a source to test/e2e/security/support/fixture-registry.ts',
    );
  }
  return source;
}

/** The kind of record a parameter names (its table), to pick ids of another kind. */
export function kindOf(operation: Operation, param: string): string {
  const source = sourceFor(operation, param);
  return /\bfrom\s+(\w+)/.exec(source.query ?? '')?.[1] ?? `values:${param}`;
}

/** Checks that every path parameter of every operation has a source (the suite fails loudly otherwise). */
export function assertRegistryCovers(operations: readonly Operation[]): void {
  for (const operation of operations) {
    for (const parameter of operation.pathParams) sourceFor(operation, parameter.name);
  }
}

/** Real ids of one clinic, loaded once per (source, clinic) from the database as the admin role. */
export class FixtureRegistry {
  private readonly cache = new Map<string, Promise<readonly string[]>>();

  constructor(private readonly admin: pg.Client) {}

  /** The ids a parameter of an operation may name in a clinic (never empty: fails loudly). */
  async ids(operation: Operation, param: string, clinicId: string): Promise<readonly string[]> {
    const source = sourceFor(operation, param);
    const key = `${SOURCES.indexOf(source)}:${clinicId}`;
    let loaded = this.cache.get(key);
    if (loaded === undefined) {
      loaded = this.load(source, clinicId);
      this.cache.set(key, loaded);
    }
    const ids = await loaded;
    if (ids.length === 0) {
      throw new Error(`${operation.key}: the fixtures hold no "${param}" of clinic ${clinicId} (seed one)`);
    }
    return ids;
  }

  /** Forgets loaded ids (after fixtures were added). */
  refresh(): void {
    this.cache.clear();
  }

  private async load(source: FixtureSource, clinicId: string): Promise<readonly string[]> {
    if (source.values !== undefined) return source.values(clinicId);
    const { rows } = await this.admin.query<{ id: string }>(`${source.query ?? ''} order by 1 limit 50`, [clinicId]);
    return rows.map((row) => row.id);
  }
}
