import { createHash, randomUUID } from 'node:crypto';

import {
  DEFAULT_PARTICIPANT_ROLE_LABELS,
  type CaseOutcome,
  type CaseStatus,
  type CaseType,
  type ParticipantRole,
  type PlanPhase,
  type SafetyStatus,
  type SecretsPolicyKind,
} from '@mend/contracts';
import { jsonText, type PreparedStatement, preparedStatement, type TenantTransaction } from '@mend/core';

import { ClientsError, ClientsErrorCode, invalidField } from '../clients.errors.js';
import {
  auditCases,
  auditCasesAtCommit,
  decodeCursor,
  encodeCursor,
  escapeLike,
  isAdmin,
  isClinician,
  keysetCondition,
  SCOPE_CTE,
  type ClientsActor,
  type SortOrder,
} from '../shared.js';
import type { SecretsPolicyService } from './secrets-policy.service.js';

/** How the caller sees a case (decided by the access policy: libs/access `caseViewerOf`). */
export type CaseViewerKind = 'care_team' | 'participant' | 'directory';

export interface CaseViewerRef {
  readonly kind: CaseViewerKind;
  /** The participant's client id (participants only). */
  readonly clientId?: string;
}

export interface CaseParticipantView {
  readonly clientId: string;
  readonly displayName: string;
  /** Not in the directory view (who hurt whom is clinical). */
  readonly role?: ParticipantRole;
  readonly roleLabel?: string;
  /** Signed the current secrets policy version (not in the directory view). */
  readonly signedCurrentPolicy?: boolean;
}

export interface CareTeamMemberView {
  readonly membershipId: string;
  readonly displayName: string | null;
  readonly isPrimary: boolean;
}

export interface CaseSafetyView {
  readonly status: SafetyStatus;
  /** Care team only. */
  readonly reason: string | null;
  readonly changedAt: Date | null;
  readonly changedByMembershipId: string | null;
}

/**
 * A case as one viewer sees it. `view` says which: `care_team` (everything,
 * including the safety reason), `participant` (no safety facts: only
 * `sharedSpacePaused`; no care-team-only fields), `directory` (a clinic admin
 * not on the care team: metadata only, no title, roles, outcome or safety).
 */
export interface CaseView {
  readonly view: CaseViewerKind;
  readonly id: string;
  readonly type: CaseType;
  readonly status: CaseStatus;
  readonly statusChangedAt: Date;
  readonly createdAt: Date;
  readonly participants: readonly CaseParticipantView[];
  readonly careTeam: readonly CareTeamMemberView[];
  readonly title?: string;
  readonly outcome?: CaseOutcome | null;
  readonly phase?: PlanPhase | null;
  readonly updatedAt?: Date;
  readonly createdByMembershipId?: string | null;
  readonly safety?: CaseSafetyView;
  readonly secretsPolicy?: { readonly version: number | null; readonly allSigned: boolean };
  /** Participants only: the shared space is paused (nothing says why). */
  readonly sharedSpacePaused?: boolean;
  /** Participants only: the caller's own client id in this case. */
  readonly yourClientId?: string;
}

export interface CreateCaseInput {
  readonly type: CaseType;
  readonly title: string;
  readonly participants: readonly { readonly clientId: string; readonly role: ParticipantRole }[];
  readonly careTeamMembershipIds?: readonly string[];
  readonly primaryMembershipId?: string;
  readonly secretsPolicy?: { readonly kind: SecretsPolicyKind; readonly body?: string };
}

export interface UpdateCaseInput {
  readonly title?: string;
  readonly type?: CaseType;
}

export interface StatusChangeInput {
  readonly status: CaseStatus;
  readonly outcome?: CaseOutcome;
  readonly reason?: string;
  /** When the change took effect (default now): not in the future, not before the previous change. */
  readonly effectiveAt?: Date;
}

export interface StatusChangeView {
  readonly id: string;
  readonly fromStatus: CaseStatus | null;
  readonly toStatus: CaseStatus;
  readonly outcome: CaseOutcome | null;
  /** Care team only. */
  readonly reason?: string | null;
  readonly changedAt: Date;
  readonly changedByMembershipId?: string | null;
}

export const CASE_SORTS = ['updatedAt', 'createdAt', 'statusChangedAt', 'title'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export interface CaseListQuery {
  readonly status?: readonly CaseStatus[];
  readonly type?: readonly CaseType[];
  /** Applies to care-team cases only (others never match: the filter must not reveal a hold). */
  readonly safetyStatus?: SafetyStatus;
  readonly phase?: PlanPhase;
  /** Matches participants' names, and titles of care-team cases. */
  readonly q?: string;
  /** Only cases with this client as a participant. */
  readonly clientId?: string;
  readonly sort?: CaseSort;
  readonly order?: SortOrder;
  readonly limit?: number;
  readonly cursor?: string;
  /**
   * With a {@link CaseServiceOptions.homeworkSummarySql}: each case the caller sees
   * as care team also carries its `homework` summary as of this instant.
   */
  readonly homeworkAsOf?: Date;
}

export interface CaseServiceOptions {
  /**
   * SQL expression (over the case alias `k`) giving the case's plan phase; the
   * repair-plans part plugs its own in (e.g. a select from its plan table).
   * Default: no plans yet, phase null.
   */
  readonly phaseSql?: string;
  /**
   * SQL expression (over the case alias `k`; `now` is a `timestamptz` bind
   * parameter) giving a case's homework summary as `json`, which the caseload adds
   * as `homework` to the cases the caller sees as care team when asked
   * ({@link CaseListQuery.homeworkAsOf}); the homework part plugs its own in.
   * Default: none (the caseload ignores `homeworkAsOf`).
   */
  readonly homeworkSummarySql?: (now: string) => string;
}

interface CaseRow {
  id: string;
  title: string;
  type: CaseType;
  status: CaseStatus;
  status_changed_at: Date;
  outcome: CaseOutcome | null;
  safety_status: SafetyStatus;
  safety_reason: string | null;
  safety_changed_at: Date | null;
  safety_changed_by_membership_id: string | null;
  secrets_policy_version: number | null;
  created_by_membership_id: string | null;
  created_at: Date;
  updated_at: Date;
  phase: PlanPhase | null;
  is_team: boolean;
  participant_client_id: string | null;
  role_labels: Partial<Record<ParticipantRole, string>> | null;
  participants: { clientId: string; displayName: string; role: ParticipantRole; signed: boolean }[];
  care_team: { membershipId: string; displayName: string | null; isPrimary: boolean }[];
  sort_key: string | null;
}

const SORT_SQL: Readonly<Record<CaseSort, { expr: string; cast: string }>> = {
  updatedAt: { expr: 'k.updated_at', cast: 'timestamptz' },
  createdAt: { expr: 'k.created_at', cast: 'timestamptz' },
  statusChangedAt: { expr: 'k.status_changed_at', cast: 'timestamptz' },
  title: { expr: 'lower(k.title)', cast: 'text' },
};

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/**
 * The one case query (a page of the caseload, or one case): the case, its
 * participants with their names and signature of the current policy, the care
 * team with names, the clinic's role labels, the phase hook, and how the caller
 * stands (care team or supervisor of it; participant). `$1` clinic, `$2` caller's
 * membership; `conditions` (over the case `k` and the caller's standing `v`),
 * `order` and `limit` choose the page. The parts are correlated subqueries run
 * only for the rows of the page (the limit is applied below them).
 */
function caseSelect(phaseSql: string, sortExpr: string, conditions: string, order: string, limit: string): string {
  return `with ${SCOPE_CTE},
       me as materialized (select c.id from clients c where c.clinic_id = $1 and c.membership_id = $2::uuid)
  select k.id, k.title, k.type, k.status, k.status_changed_at, k.outcome, k.safety_status, k.safety_reason,
         k.safety_changed_at, k.safety_changed_by_membership_id, k.secrets_policy_version,
         k.created_by_membership_id, k.created_at, k.updated_at,
         (${phaseSql}) as phase,
         v.is_team, v.participant_client_id,
         (select cl.participant_role_labels from clinics cl where cl.id = k.clinic_id) as role_labels,
         coalesce((select jsonb_agg(jsonb_build_object(
                            'clientId', p.client_id, 'displayName', c.display_name, 'role', p.role,
                            'signed', k.secrets_policy_version is not null and exists (
                               select 1 from case_secrets_policy_signatures s
                                where s.clinic_id = p.clinic_id and s.case_id = p.case_id
                                  and s.client_id = p.client_id and s.version = k.secrets_policy_version))
                          order by p.added_at, p.client_id)
                     from case_participants p
                     join clients c on c.clinic_id = p.clinic_id and c.id = p.client_id
                    where p.clinic_id = k.clinic_id and p.case_id = k.id), '[]'::jsonb) as participants,
         coalesce((select jsonb_agg(jsonb_build_object(
                            'membershipId', t.membership_id, 'displayName', u.display_name, 'isPrimary', t.is_primary)
                          order by t.is_primary desc, t.added_at, t.membership_id)
                     from case_care_team t
                     join memberships m on m.clinic_id = t.clinic_id and m.id = t.membership_id
                     join users u on u.id = m.user_id
                    where t.clinic_id = k.clinic_id and t.case_id = k.id), '[]'::jsonb) as care_team,
         (${sortExpr})::text as sort_key
    from cases k
    cross join lateral (
      select exists (select 1 from case_care_team t
                      where t.clinic_id = k.clinic_id and t.case_id = k.id
                        and t.membership_id in (select id from scope)) as is_team,
             (select p.client_id from case_participants p
               where p.clinic_id = k.clinic_id and p.case_id = k.id and p.client_id in (select id from me)
               limit 1) as participant_client_id) v
   where k.clinic_id = $1 and ${conditions}
   ${order === '' ? '' : `order by ${order}`} ${limit}`;
}

export interface CasePageJson {
  /** `{"items": [...], "nextCursor": ...}`: the API's `CasePageResponse`, as JSON text. */
  readonly json: string;
  /** How many cases the page holds. */
  readonly count: number;
}

interface CasePageRow {
  count: number;
  has_more: boolean;
  items: string;
  last_key: string | null;
  last_id: string | null;
}

const DEFAULT_LABELS_JSON = JSON.stringify(DEFAULT_PARTICIPANT_ROLE_LABELS);

/**
 * The caseload's items, written by PostgreSQL as JSON text (`jsonText`: by concatenation, at about
 * half `json_build_object`'s cost per value) in exactly the shape, key order and values of the API's
 * `toCaseResponse` for each standing: care team, participant, directory.
 */
const CASE_HEAD_FIELDS = (view: string) =>
  [
    ['view', jsonText.literal(view)],
    ['id', jsonText.uuid('k.id')],
    ['type', jsonText.string('k.type')],
    ['status', jsonText.string('k.status')],
    ['statusChangedAt', jsonText.instant('k.status_changed_at')],
    ['createdAt', jsonText.instant('k.created_at')],
  ] as const;
const CASE_DETAIL_FIELDS = [
  ['participants', jsonText.json('pa.full')],
  ['careTeam', jsonText.json('ct.members')],
  ['title', jsonText.string('k.title')],
  ['outcome', jsonText.string('k.outcome')],
  ['phase', jsonText.string('ph.phase')],
] as const;
const CARE_TEAM_ITEM_FIELDS: readonly (readonly [string, string])[] = [
  ...CASE_HEAD_FIELDS('care_team'),
  ...CASE_DETAIL_FIELDS,
  ['updatedAt', jsonText.instant('k.updated_at')],
  ['createdByMembershipId', jsonText.uuid('k.created_by_membership_id')],
  [
    'safety',
    jsonText.object([
      ['status', jsonText.string('k.safety_status')],
      ['reason', jsonText.string('k.safety_reason')],
      ['changedAt', jsonText.instant('k.safety_changed_at')],
      ['changedByMembershipId', jsonText.uuid('k.safety_changed_by_membership_id')],
    ]),
  ],
  [
    'secretsPolicy',
    jsonText.object([
      ['version', jsonText.integer('k.secrets_policy_version')],
      ['allSigned', jsonText.boolean('k.secrets_policy_version is not null and pa.all_signed')],
    ]),
  ],
];
const PARTICIPANT_ITEM = jsonText.object([
  ...CASE_HEAD_FIELDS('participant'),
  ...CASE_DETAIL_FIELDS,
  ['sharedSpacePaused', jsonText.boolean(`k.safety_status = 'safety_hold'`)],
  ['yourClientId', jsonText.uuid('k.participant_client_id')],
]);
const DIRECTORY_ITEM = jsonText.object([
  ...CASE_HEAD_FIELDS('directory'),
  ['participants', jsonText.json('pa.directory')],
  ['careTeam', jsonText.json('ct.members')],
]);
const PARTICIPANT_JSON = jsonText.object([
  ['clientId', jsonText.uuid('x.client_id')],
  ['displayName', jsonText.string('x.display_name')],
  ['role', jsonText.string('x.role')],
  ['roleLabel', jsonText.string('l.labels ->> x.role')],
  ['signedCurrentPolicy', jsonText.boolean('x.signed')],
]);
const DIRECTORY_PARTICIPANT_JSON = jsonText.object([
  ['clientId', jsonText.uuid('x.client_id')],
  ['displayName', jsonText.string('x.display_name')],
]);
const CARE_TEAM_MEMBER_JSON = jsonText.object([
  ['membershipId', jsonText.uuid('t.membership_id')],
  ['displayName', jsonText.string('(select n.display_name from team_names n where n.membership_id = t.membership_id)')],
  ['isPrimary', jsonText.boolean('t.is_primary')],
]);

/**
 * The cases a caller who is not a clinic admin may see (the same rule as `is_team` / participant): a
 * CTE of their ids (care team through the scope, own participation; both indexed) with how the
 * caller stands in each — `is_team` when the care-team walk found it, `participant_client_id` (the
 * caller's own client record: one per membership) when the participation walk did — and the page's
 * source joining the case rows to it. Both walk their index once per scope member or own client row
 * and read each case by its primary key, whatever the estimates: the subqueries fenced with
 * `offset 0` are run per outer row, so even the statement's generic plan (the one PostgreSQL keeps
 * for a prepared statement, planned without the caller's values) starts from the caller's cases
 * rather than from the clinic's. The standing comes with the ids, so the page does not look it up
 * again per case (two index probes per visible case: about a tenth of the statement).
 */
const VISIBLE_CASES_CTE = `visible as materialized (
         select w.id, bool_or(w.is_team) as is_team,
                (array_agg(w.client_id) filter (where w.client_id is not null))[1] as participant_client_id
           from (select t.case_id as id, true as is_team, null::uuid as client_id
                   from scope s
                   cross join lateral (select t.case_id from case_care_team t
                                        where t.clinic_id = $1 and t.membership_id = s.id offset 0) t
                 union all
                 select p.case_id, false, p.client_id
                   from me
                   cross join lateral (select p.case_id, p.client_id from case_participants p
                                        where p.clinic_id = $1 and p.client_id = me.id offset 0) p) w
          group by w.id)`;

const VISIBLE_CASES_SOURCE = `visible vi
           cross join lateral (select k.* from cases k where k.clinic_id = $1 and k.id = vi.id offset 0) k
           cross join lateral (select vi.is_team, vi.participant_client_id) v`;

/** How the caller stands in a case `k` of the clinic's (a clinic admin's page): looked up per case. */
const CASE_STANDING = `cases k
           cross join lateral (
             select exists (select 1 from case_care_team t
                             where t.clinic_id = k.clinic_id and t.case_id = k.id
                               and t.membership_id in (select id from scope) offset 0) as is_team,
                    (select p.client_id from case_participants p
                      where p.clinic_id = k.clinic_id and p.case_id = k.id and p.client_id in (select id from me)
                      limit 1) as participant_client_id) v`;

/**
 * A page of the caseload as one row: the number of cases, whether more follow,
 * the items as JSON text (each shaped for the caller's standing exactly as
 * {@link shape} and the API's `toCaseResponse` shape it: same keys, same order,
 * same values) and the last case's sort key and id (the next cursor). `$1`
 * clinic, `$2` caller's membership, `$3` caller is a clinic admin, `$4` the
 * default role labels (jsonb); `limit` is the page size parameter; `homeworkSql`,
 * when given, adds `homework` to each care-team item. The case
 * rows are chosen first (limit + 1), then only those are decorated: names
 * through scalar lookups on (clinic_id, id), whatever the statistics say
 * (composite foreign keys guarantee the client, membership and user rows) —
 * participants' once per participant, care-team members' once per page.
 */
function casePageSql(
  phaseSql: string,
  sortExpr: string,
  visibleOnly: boolean,
  conditions: string,
  order: string,
  limit: string,
  homeworkSql: string | undefined,
): string {
  const careTeamItem = jsonText.object(
    homeworkSql === undefined
      ? CARE_TEAM_ITEM_FIELDS
      : [...CARE_TEAM_ITEM_FIELDS, ['homework', jsonText.json(homeworkSql)]],
  );
  return `with ${SCOPE_CTE},
       me as materialized (select c.id from clients c where c.clinic_id = $1 and c.membership_id = $2::uuid),${visibleOnly ? `\n       ${VISIBLE_CASES_CTE},` : ''}
       labels as materialized (
         select $4::jsonb || coalesce((select cl.participant_role_labels from clinics cl where cl.id = $1), '{}'::jsonb)
                  as labels),
       page as materialized (
         select k.id, k.clinic_id, k.title, k.type, k.status, k.status_changed_at, k.outcome, k.safety_status,
                k.safety_reason, k.safety_changed_at, k.safety_changed_by_membership_id, k.secrets_policy_version,
                k.created_by_membership_id, k.created_at, k.updated_at, v.is_team, v.participant_client_id,
                (${sortExpr})::text as sort_key,
                row_number() over (order by ${order}) as n
           from ${visibleOnly ? VISIBLE_CASES_SOURCE : CASE_STANDING}
          where k.clinic_id = $1 and ${conditions}
          order by ${order}
          limit ${limit} + 1),
       team_names as materialized (
         -- The page's care teams are mostly the same few people: each name is looked up once.
         select d.membership_id,
                (select u.display_name from memberships m join users u on u.id = m.user_id
                  where m.clinic_id = $1 and m.id = d.membership_id) as display_name
           from (select distinct t.membership_id
                   from page k
                   join case_care_team t on t.clinic_id = k.clinic_id and t.case_id = k.id
                  where k.n <= ${limit}) d),
       items as (
         select k.n, k.id, k.sort_key,
                case
                  when k.is_team then ${careTeamItem}
                  when k.participant_client_id is not null then ${PARTICIPANT_ITEM}
                  else ${DIRECTORY_ITEM}
                end as item
           from page k
           cross join labels l
           cross join lateral (select (${phaseSql}) as phase) ph
           cross join lateral (
             select ${jsonText.array(PARTICIPANT_JSON, 'x.added_at, x.client_id')} as full,
                    ${jsonText.array(DIRECTORY_PARTICIPANT_JSON, 'x.added_at, x.client_id')} as directory,
                    coalesce(bool_and(x.signed), true) as all_signed
               from (select p.client_id, p.role, p.added_at,
                            (select c.display_name from clients c
                              where c.clinic_id = p.clinic_id and c.id = p.client_id) as display_name,
                            k.secrets_policy_version is not null and exists (
                              select 1 from case_secrets_policy_signatures s
                               where s.clinic_id = p.clinic_id and s.case_id = p.case_id
                                 and s.client_id = p.client_id and s.version = k.secrets_policy_version) as signed
                       from case_participants p
                      -- Fenced: pulled up, each participant's name and signature were looked up once per
                      -- aggregate that uses them (two and three times).
                      where p.clinic_id = k.clinic_id and p.case_id = k.id offset 0) x) pa
           cross join lateral (
             select ${jsonText.array(CARE_TEAM_MEMBER_JSON, 't.is_primary desc, t.added_at, t.membership_id')} as members
               from case_care_team t
              where t.clinic_id = k.clinic_id and t.case_id = k.id) ct
          where k.n <= ${limit})
  select (select count(*) from items)::int as count,
         (select count(*) from page) > ${limit} as has_more,
         (select ${jsonText.array('i.item', 'i.n')} from items i) as items,
         (select i.sort_key from items i order by i.n desc limit 1) as last_key,
         (select i.id from items i order by i.n desc limit 1) as last_id`;
}

/**
 * Cases: participants with their role in the breach, a care team with exactly
 * one primary counselor, dated status transitions, the safety status. Visibility
 * is the access policy's (checked by the caller for one case; applied in the
 * list query for the caseload). Every change and every read is audited.
 */
export class CaseService {
  private readonly phaseSql: string;
  private readonly homeworkSummarySql: ((now: string) => string) | undefined;

  constructor(
    private readonly secretsPolicies: SecretsPolicyService,
    options: CaseServiceOptions = {},
  ) {
    this.phaseSql = options.phaseSql ?? 'null::text';
    this.homeworkSummarySql = options.homeworkSummarySql;
  }

  async create(tx: TenantTransaction, actor: ClientsActor, input: CreateCaseInput): Promise<CaseView> {
    if (input.participants.length === 0) {
      throw new ClientsError(ClientsErrorCode.NoParticipant, 'A case needs at least one participant', [
        { field: 'participants', rule: 'minParticipants', message: 'participants must name at least one client' },
      ]);
    }
    const seen = new Set<string>();
    input.participants.forEach((participant, index) => {
      const id = participant.clientId.toLowerCase();
      if (seen.has(id)) {
        throw new ClientsError(ClientsErrorCode.ParticipantExists, 'A client can take part in a case only once', [
          {
            field: `participants[${index}].clientId`,
            rule: 'unique',
            message: 'this client is already a participant',
          },
        ]);
      }
      seen.add(id);
    });
    await this.assertUsableClients(
      tx,
      actor,
      input.participants.map((participant, index) => ({
        clientId: participant.clientId,
        field: `participants[${index}].clientId`,
      })),
    );

    const primary = input.primaryMembershipId ?? (isClinician(actor) ? actor.membershipId : undefined);
    if (primary === undefined) {
      throw new ClientsError(ClientsErrorCode.PrimaryRequired, 'Name the primary counselor of the case', [
        { field: 'primaryMembershipId', rule: 'required', message: 'primaryMembershipId is required' },
      ]);
    }
    const team = unique(input.careTeamMembershipIds ?? [primary]);
    if (!team.some((id) => sameId(id, primary))) {
      throw primaryNotOnCareTeam('primaryMembershipId');
    }
    await this.assertClinicians(tx, team, 'careTeamMembershipIds');

    const caseId = randomUUID();
    await tx.query(
      `insert into cases (clinic_id, id, title, type, status, created_by_membership_id) values ($1, $2, $3, $4, 'intake', $5)`,
      [tx.clinicId, caseId, input.title.trim(), input.type, actor.membershipId],
    );
    await tx.query(
      `insert into case_status_changes (clinic_id, id, case_id, from_status, to_status, changed_by_membership_id)
       values ($1, $2, $3, null, 'intake', $4)`,
      [tx.clinicId, randomUUID(), caseId, actor.membershipId],
    );
    await tx.query(
      `insert into case_care_team (clinic_id, case_id, membership_id, is_primary)
       select $1, $2, m, m = $4::uuid from unnest($3::uuid[]) as m`,
      [tx.clinicId, caseId, team, primary],
    );
    await tx.query(
      `insert into case_participants (clinic_id, case_id, client_id, role)
       select $1, $2, p.client_id, p.role from unnest($3::uuid[], $4::text[]) as p(client_id, role)`,
      [tx.clinicId, caseId, input.participants.map((p) => p.clientId), input.participants.map((p) => p.role)],
    );
    await auditCases(
      tx,
      actor,
      'case.create',
      { type: 'case', id: caseId },
      {
        caseType: input.type,
        participants: input.participants.length,
        careTeam: team.length,
      },
    );
    if (input.secretsPolicy !== undefined) {
      await this.secretsPolicies.setPolicy(tx, actor, caseId, input.secretsPolicy);
    }
    const row = await this.row(tx, actor, caseId);
    return shape(row, row.is_team ? { kind: 'care_team' } : { kind: 'directory' });
  }

  /** One case, shaped for the viewer; audited as `case.read` (with the view). */
  async read(tx: TenantTransaction, actor: ClientsActor, caseId: string, viewer: CaseViewerRef): Promise<CaseView> {
    const view = shape(await this.row(tx, actor, caseId), viewer);
    await auditCases(tx, actor, 'case.read', { type: 'case', id: caseId }, { view: viewer.kind });
    return view;
  }

  async update(tx: TenantTransaction, actor: ClientsActor, caseId: string, input: UpdateCaseInput): Promise<CaseView> {
    const sets: string[] = [];
    const params: unknown[] = [tx.clinicId, caseId];
    if (input.title !== undefined) {
      params.push(input.title.trim());
      sets.push(`title = $${params.length}`);
    }
    if (input.type !== undefined) {
      params.push(input.type);
      sets.push(`type = $${params.length}`);
    }
    if (sets.length > 0) {
      await tx.query(
        `update cases set ${sets.join(', ')}, updated_at = now() where clinic_id = $1 and id = $2`,
        params,
      );
    }
    await auditCases(
      tx,
      actor,
      'case.update',
      { type: 'case', id: caseId },
      {
        fields: Object.keys(input)
          .filter((key) => (input as Record<string, unknown>)[key] !== undefined)
          .sort(),
      },
    );
    return shape(await this.row(tx, actor, caseId), { kind: 'care_team' });
  }

  /**
   * The caseload: one query per page, visibility-filtered, keyset-paged. PostgreSQL
   * builds the page's JSON itself (each case shaped for how the caller stands, as
   * {@link shape} and the API's `toCaseResponse` would) and the text is answered as
   * it is: no rows to parse, no objects to shape and serialize again. The statement
   * is prepared once per pooled connection (one per combination of filters), so it
   * is not planned on every request.
   */
  async listJson(tx: TenantTransaction, actor: ClientsActor, query: CaseListQuery): Promise<CasePageJson> {
    const { statement, params } = this.casePageQuery(tx.clinicId, actor, query);
    const [row] = await tx.query<CasePageRow>(statement, params);
    const count = row?.count ?? 0;
    // The read's audit row goes with the COMMIT: nothing in this transaction reads it back.
    const withHomework = query.homeworkAsOf !== undefined && this.homeworkSummarySql !== undefined;
    auditCasesAtCommit(
      tx,
      actor,
      'case.list',
      { type: 'clinic', id: tx.clinicId },
      withHomework ? { count, homework: true } : { count },
    );
    const nextCursor =
      row !== undefined && row.has_more && row.last_id !== null
        ? encodeCursor({ key: row.last_key, id: row.last_id })
        : null;
    return { count, json: `{"items":${row?.items ?? '[]'},"nextCursor":${JSON.stringify(nextCursor)}}` };
  }

  /**
   * The one statement of {@link listJson} and its values, built from the clinic,
   * the caller (membership and whether they are a clinic admin) and the query
   * only: a route may build it ahead of the handler to prefetch it
   * (`UnitOfWorkOptions.prefetch`).
   */
  casePageQuery(
    clinicId: string,
    actor: ClientsActor,
    query: CaseListQuery,
  ): { readonly statement: PreparedStatement; readonly params: unknown[] } {
    const sort = SORT_SQL[query.sort ?? 'updatedAt'];
    const order: SortOrder = query.order ?? (query.sort === 'title' ? 'asc' : 'desc');
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const cursor = decodeCursor(query.cursor);
    const params: unknown[] = [clinicId, actor.membershipId, isAdmin(actor), DEFAULT_LABELS_JSON];
    const where = ['($3 or v.is_team or v.participant_client_id is not null)'];
    if (query.status !== undefined && query.status.length > 0) {
      params.push(query.status);
      where.push(`k.status = any($${params.length}::text[])`);
    }
    if (query.type !== undefined && query.type.length > 0) {
      params.push(query.type);
      where.push(`k.type = any($${params.length}::text[])`);
    }
    if (query.safetyStatus !== undefined) {
      params.push(query.safetyStatus);
      where.push(`(v.is_team and k.safety_status = $${params.length}::text)`);
    }
    if (query.phase !== undefined) {
      params.push(query.phase);
      where.push(`(${this.phaseSql}) = $${params.length}::text`);
    }
    if (query.clientId !== undefined) {
      params.push(query.clientId);
      where.push(
        `exists (select 1 from case_participants p where p.clinic_id = k.clinic_id and p.case_id = k.id and p.client_id = $${params.length}::uuid)`,
      );
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      params.push(`%${escapeLike(query.q.trim().toLowerCase())}%`);
      const like = `$${params.length}::text`;
      where.push(`((v.is_team and lower(k.title) like ${like})
        or exists (select 1 from case_participants p join clients c on c.clinic_id = p.clinic_id and c.id = p.client_id
                    where p.clinic_id = k.clinic_id and p.case_id = k.id and lower(c.display_name) like ${like}))`);
    }
    where.push(keysetCondition(sort.expr, 'k.id', sort.cast, order, cursor, params));
    let homeworkSql: string | undefined;
    if (query.homeworkAsOf !== undefined && this.homeworkSummarySql !== undefined) {
      params.push(query.homeworkAsOf);
      homeworkSql = this.homeworkSummarySql(`$${params.length}::timestamptz`);
    }
    params.push(limit);
    // Staff other than clinic admins and clients see few of the clinic's cases: the page starts from
    // those rather than reading the clinic's cases in sort order and dropping the invisible ones,
    // which grows with the clinic.
    const text = casePageSql(
      this.phaseSql,
      sort.expr,
      !isAdmin(actor),
      where.join(' and '),
      `${sort.expr} ${order} nulls last, k.id ${order}`,
      `$${params.length}::int`,
      homeworkSql,
    );
    // Planning this statement with the caller's values cost more than running it (about 2 ms against
    // 3.5 on the 10,000-client bench clinic), and PostgreSQL's own choice kept re-planning it: a
    // caller's page runs the generic plan, which starts from their cases whatever the values (the
    // fenced subqueries of VISIBLE_CASES_SOURCE; list-indexes.e2e-spec re-plans it generic). A clinic
    // admin's page reads the clinic's cases in sort order: planned with the values (the limit).
    const statement = preparedStatement(
      `case_page_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
      text,
      [],
      { plan: isAdmin(actor) ? 'auto' : 'generic' },
    );
    return { statement, params };
  }

  // ---- status ------------------------------------------------------------------------------------

  async changeStatus(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    input: StatusChangeInput,
  ): Promise<StatusChangeView> {
    const [current] = await tx.query<{ status: CaseStatus; status_changed_at: Date; now: Date }>(
      'select status, status_changed_at, now() as now from cases where clinic_id = $1 and id = $2 for update',
      [tx.clinicId, caseId],
    );
    if (current === undefined) throw new ClientsError(ClientsErrorCode.NotFound, 'No such case');
    if (input.status === current.status) {
      throw new ClientsError(ClientsErrorCode.StatusUnchanged, `The case is already ${current.status}`, [
        { field: 'status', rule: 'changed', message: 'status must differ from the current status' },
      ]);
    }
    if (input.status === 'closed' && input.outcome === undefined) {
      throw invalidField('outcome', 'requiredWhenClosing', 'outcome is required when closing a case');
    }
    if (input.status !== 'closed' && input.outcome !== undefined) {
      throw invalidField('outcome', 'onlyWhenClosing', 'outcome is given only when closing a case');
    }
    const now = new Date(current.now);
    const changedAt = input.effectiveAt ?? now;
    if (changedAt.getTime() > now.getTime()) {
      throw new ClientsError(ClientsErrorCode.ImpossibleDate, 'A status change cannot take effect in the future', [
        { field: 'effectiveAt', rule: 'notInFuture', message: 'effectiveAt must not be in the future' },
      ]);
    }
    if (changedAt.getTime() < new Date(current.status_changed_at).getTime()) {
      throw new ClientsError(ClientsErrorCode.ImpossibleDate, 'A status change cannot precede the previous one', [
        {
          field: 'effectiveAt',
          rule: 'notBeforePreviousChange',
          message: 'effectiveAt must not be before the previous status change',
        },
      ]);
    }
    const outcome = input.status === 'closed' ? (input.outcome ?? null) : null;
    await tx.query(
      `update cases set status = $3, status_changed_at = $4, outcome = $5, updated_at = now()
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, caseId, input.status, changedAt, outcome],
    );
    const id = randomUUID();
    await tx.query(
      `insert into case_status_changes (clinic_id, id, case_id, from_status, to_status, outcome, reason, changed_at,
                                        changed_by_membership_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        tx.clinicId,
        id,
        caseId,
        current.status,
        input.status,
        outcome,
        input.reason ?? null,
        changedAt,
        actor.membershipId,
      ],
    );
    await auditCases(
      tx,
      actor,
      'case.status_change',
      { type: 'case', id: caseId },
      {
        fromStatus: current.status,
        toStatus: input.status,
        outcome,
        withReason: input.reason !== undefined,
      },
    );
    return {
      id,
      fromStatus: current.status,
      toStatus: input.status,
      outcome,
      reason: input.reason ?? null,
      changedAt,
      changedByMembershipId: actor.membershipId,
    };
  }

  /** The dated status history, oldest first; reasons and authors for the care team only. */
  async statusHistory(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    viewer: CaseViewerRef,
  ): Promise<StatusChangeView[]> {
    const rows = await tx.query<{
      id: string;
      from_status: CaseStatus | null;
      to_status: CaseStatus;
      outcome: CaseOutcome | null;
      reason: string | null;
      changed_at: Date;
      changed_by_membership_id: string | null;
    }>(
      `select id, from_status, to_status, outcome, reason, changed_at, changed_by_membership_id
         from case_status_changes where clinic_id = $1 and case_id = $2 order by changed_at, id`,
      [tx.clinicId, caseId],
    );
    await auditCases(tx, actor, 'case.status_history.read', { type: 'case', id: caseId }, { view: viewer.kind });
    return rows.map((row) => ({
      id: row.id,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      outcome: viewer.kind === 'directory' ? null : row.outcome,
      changedAt: new Date(row.changed_at),
      ...(viewer.kind === 'care_team' && { reason: row.reason, changedByMembershipId: row.changed_by_membership_id }),
    }));
  }

  // ---- participants ------------------------------------------------------------------------------

  async addParticipant(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    input: { readonly clientId: string; readonly role: ParticipantRole },
  ): Promise<CaseView> {
    await this.assertUsableClients(tx, actor, [{ clientId: input.clientId, field: 'clientId' }]);
    const inserted = await tx.query<{ client_id: string }>(
      `insert into case_participants (clinic_id, case_id, client_id, role) values ($1, $2, $3, $4)
       on conflict do nothing returning client_id`,
      [tx.clinicId, caseId, input.clientId, input.role],
    );
    if (inserted.length === 0) {
      throw new ClientsError(ClientsErrorCode.ParticipantExists, 'The client already takes part in this case', [
        { field: 'clientId', rule: 'unique', message: 'this client is already a participant' },
      ]);
    }
    await this.touch(tx, caseId);
    await auditCases(
      tx,
      actor,
      'case.participant.add',
      { type: 'case', id: caseId },
      {
        clientId: input.clientId,
        role: input.role,
      },
    );
    return shape(await this.row(tx, actor, caseId), { kind: 'care_team' });
  }

  async changeParticipantRole(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    clientId: string,
    role: ParticipantRole,
  ): Promise<CaseView> {
    const updated = await tx.query<{ client_id: string }>(
      `update case_participants set role = $4 where clinic_id = $1 and case_id = $2 and client_id = $3
        returning client_id`,
      [tx.clinicId, caseId, clientId, role],
    );
    if (updated.length === 0) throw new ClientsError(ClientsErrorCode.NotFound, 'No such participant in this case');
    await this.touch(tx, caseId);
    await auditCases(tx, actor, 'case.participant.update', { type: 'case', id: caseId }, { clientId, role });
    return shape(await this.row(tx, actor, caseId), { kind: 'care_team' });
  }

  /**
   * Removes a participant. The last one stays (422 `no_participant`); one who
   * signed a secrets policy of the case stays too (422 `participant_signed_policy`):
   * the signature is the record of what they agreed to. Close the case instead
   * (outcome `redefine`) and open a new one with the people who continue.
   */
  async removeParticipant(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    clientId: string,
  ): Promise<CaseView> {
    const rows = await tx.query<{ client_id: string; signed: boolean }>(
      `select p.client_id,
              exists (select 1 from case_secrets_policy_signatures s
                       where s.clinic_id = p.clinic_id and s.case_id = p.case_id and s.client_id = p.client_id) as signed
         from case_participants p where p.clinic_id = $1 and p.case_id = $2 for update of p`,
      [tx.clinicId, caseId],
    );
    const target = rows.find((row) => sameId(row.client_id, clientId));
    if (target === undefined) throw new ClientsError(ClientsErrorCode.NotFound, 'No such participant in this case');
    if (rows.length <= 1) {
      throw new ClientsError(ClientsErrorCode.NoParticipant, 'A case needs at least one participant');
    }
    if (target.signed) {
      throw new ClientsError(
        ClientsErrorCode.ParticipantSignedPolicy,
        'This participant signed the secrets policy of the case and stays on record: close the case (outcome redefine) and open a new one instead',
      );
    }
    await tx.query('delete from case_participants where clinic_id = $1 and case_id = $2 and client_id = $3', [
      tx.clinicId,
      caseId,
      target.client_id,
    ]);
    await this.touch(tx, caseId);
    await auditCases(
      tx,
      actor,
      'case.participant.remove',
      { type: 'case', id: caseId },
      { clientId: target.client_id },
    );
    return shape(await this.row(tx, actor, caseId), { kind: 'care_team' });
  }

  // ---- care team ---------------------------------------------------------------------------------

  async addCareTeamMember(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    input: { readonly membershipId: string; readonly isPrimary?: boolean },
    viewer: CaseViewerRef,
  ): Promise<CaseView> {
    await this.assertClinicians(tx, [input.membershipId], 'membershipId');
    await this.lockCareTeam(tx, caseId);
    const existing = await tx.query<{ membership_id: string }>(
      'select membership_id from case_care_team where clinic_id = $1 and case_id = $2 and membership_id = $3',
      [tx.clinicId, caseId, input.membershipId],
    );
    if (existing.length > 0) {
      throw new ClientsError(ClientsErrorCode.CareTeamMemberExists, 'This member is already on the care team', [
        { field: 'membershipId', rule: 'unique', message: 'this member is already on the care team' },
      ]);
    }
    if (input.isPrimary === true) {
      await tx.query(
        'update case_care_team set is_primary = false where clinic_id = $1 and case_id = $2 and is_primary',
        [tx.clinicId, caseId],
      );
    }
    await tx.query(
      'insert into case_care_team (clinic_id, case_id, membership_id, is_primary) values ($1, $2, $3, $4)',
      [tx.clinicId, caseId, input.membershipId, input.isPrimary === true],
    );
    await this.touch(tx, caseId);
    await auditCases(
      tx,
      actor,
      'case.care_team.add',
      { type: 'case', id: caseId },
      {
        membershipId: input.membershipId,
        isPrimary: input.isPrimary === true,
      },
    );
    return this.afterCareTeamChange(tx, actor, caseId, viewer);
  }

  async makePrimary(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    membershipId: string,
    viewer: CaseViewerRef,
  ): Promise<CaseView> {
    await this.lockCareTeam(tx, caseId);
    const team = await this.careTeam(tx, caseId);
    if (!team.some((member) => sameId(member.membership_id, membershipId))) throw primaryNotOnCareTeam('membershipId');
    await tx.query(
      'update case_care_team set is_primary = false where clinic_id = $1 and case_id = $2 and is_primary',
      [tx.clinicId, caseId],
    );
    await tx.query(
      'update case_care_team set is_primary = true where clinic_id = $1 and case_id = $2 and membership_id = $3',
      [tx.clinicId, caseId, membershipId],
    );
    await this.touch(tx, caseId);
    await auditCases(tx, actor, 'case.care_team.make_primary', { type: 'case', id: caseId }, { membershipId });
    return this.afterCareTeamChange(tx, actor, caseId, viewer);
  }

  /** Removing the primary counselor needs `newPrimaryMembershipId`, another member of the care team. */
  async removeCareTeamMember(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    membershipId: string,
    newPrimaryMembershipId: string | undefined,
    viewer: CaseViewerRef,
  ): Promise<CaseView> {
    await this.lockCareTeam(tx, caseId);
    const team = await this.careTeam(tx, caseId);
    const target = team.find((member) => sameId(member.membership_id, membershipId));
    if (target === undefined) throw new ClientsError(ClientsErrorCode.NotFound, 'No such member on the care team');
    if (target.is_primary) {
      if (newPrimaryMembershipId === undefined || sameId(newPrimaryMembershipId, membershipId)) {
        throw new ClientsError(
          ClientsErrorCode.PrimaryRequired,
          'The primary counselor can leave the care team only when another member becomes primary',
          [
            {
              field: 'newPrimaryMembershipId',
              rule: 'required',
              message: 'newPrimaryMembershipId must name another care-team member',
            },
          ],
        );
      }
      if (!team.some((member) => sameId(member.membership_id, newPrimaryMembershipId))) {
        throw primaryNotOnCareTeam('newPrimaryMembershipId');
      }
    } else if (newPrimaryMembershipId !== undefined) {
      throw invalidField(
        'newPrimaryMembershipId',
        'onlyForPrimary',
        'newPrimaryMembershipId is given only when removing the primary',
      );
    }
    await tx.query('delete from case_care_team where clinic_id = $1 and case_id = $2 and membership_id = $3', [
      tx.clinicId,
      caseId,
      target.membership_id,
    ]);
    if (target.is_primary && newPrimaryMembershipId !== undefined) {
      await tx.query(
        'update case_care_team set is_primary = true where clinic_id = $1 and case_id = $2 and membership_id = $3',
        [tx.clinicId, caseId, newPrimaryMembershipId],
      );
    }
    await this.touch(tx, caseId);
    await auditCases(
      tx,
      actor,
      'case.care_team.remove',
      { type: 'case', id: caseId },
      {
        membershipId: target.membership_id,
        newPrimaryMembershipId: newPrimaryMembershipId ?? null,
      },
    );
    return this.afterCareTeamChange(tx, actor, caseId, viewer);
  }

  // ---- safety ------------------------------------------------------------------------------------

  /**
   * Sets or clears the safety hold. The reason is the care team's: it is stored
   * on the case, returned in the care-team view only, and never audited or logged.
   */
  async setSafetyStatus(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    input: { readonly status: SafetyStatus; readonly reason?: string },
  ): Promise<CaseSafetyView> {
    if (input.status === 'safety_hold' && (input.reason === undefined || input.reason.trim() === '')) {
      throw invalidField('reason', 'requiredForHold', 'reason is required to put a case on safety hold');
    }
    if (input.status === 'normal' && input.reason !== undefined) {
      throw invalidField('reason', 'onlyForHold', 'reason is given only with safety_hold');
    }
    const [row] = await tx.query<{ safety_changed_at: Date }>(
      `update cases set safety_status = $3, safety_reason = $4, safety_changed_at = now(),
                        safety_changed_by_membership_id = $5, updated_at = now()
        where clinic_id = $1 and id = $2
        returning safety_changed_at`,
      [
        tx.clinicId,
        caseId,
        input.status,
        input.status === 'safety_hold' ? input.reason?.trim() : null,
        actor.membershipId,
      ],
    );
    if (row === undefined) throw new ClientsError(ClientsErrorCode.NotFound, 'No such case');
    await auditCases(tx, actor, 'case.safety_status.set', { type: 'case', id: caseId }, { status: input.status });
    return {
      status: input.status,
      reason: input.status === 'safety_hold' ? (input.reason?.trim() ?? null) : null,
      changedAt: new Date(row.safety_changed_at),
      changedByMembershipId: actor.membershipId,
    };
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private async afterCareTeamChange(
    tx: TenantTransaction,
    actor: ClientsActor,
    caseId: string,
    viewer: CaseViewerRef,
  ): Promise<CaseView> {
    const row = await this.row(tx, actor, caseId);
    // An admin (directory) who changed the team, or a member who just left it, sees the directory view.
    return shape(row, viewer.kind === 'care_team' && row.is_team ? viewer : { kind: 'directory' });
  }

  private async row(tx: TenantTransaction, actor: ClientsActor, caseId: string): Promise<CaseRow> {
    const [row] = await tx.query<CaseRow>(caseSelect(this.phaseSql, 'k.id', 'k.id = $3', '', ''), [
      tx.clinicId,
      actor.membershipId,
      caseId,
    ]);
    if (row === undefined) throw new ClientsError(ClientsErrorCode.NotFound, 'No such case');
    return row;
  }

  /**
   * Care-team changes of one case take turns on the case row (taken first, before any care-team row): the
   * member check and the primary flag are read after the previous change committed, so two requests at once
   * (a double click, two tabs) answer 201 and 409 (or both move the primary) rather than a unique-key 500.
   * NO KEY UPDATE, as `touch` takes it: rows of other tables referencing the case are not held up.
   */
  private async lockCareTeam(tx: TenantTransaction, caseId: string): Promise<void> {
    await tx.query('select id from cases where clinic_id = $1 and id = $2 for no key update', [tx.clinicId, caseId]);
  }

  private async careTeam(tx: TenantTransaction, caseId: string) {
    return tx.query<{ membership_id: string; is_primary: boolean }>(
      'select membership_id, is_primary from case_care_team where clinic_id = $1 and case_id = $2 for update',
      [tx.clinicId, caseId],
    );
  }

  private async touch(tx: TenantTransaction, caseId: string): Promise<void> {
    await tx.query('update cases set updated_at = now() where clinic_id = $1 and id = $2', [tx.clinicId, caseId]);
  }

  /** Participants must be active clients the caller may see (an invisible one is unknown: 422). */
  private async assertUsableClients(
    tx: TenantTransaction,
    actor: ClientsActor,
    wanted: readonly { readonly clientId: string; readonly field: string }[],
  ): Promise<void> {
    const rows = await tx.query<{ id: string; status: string }>(
      `with ${SCOPE_CTE}
       select c.id, c.status from clients c
        where c.clinic_id = $1 and c.id = any($4::uuid[])
          and ($3 or c.created_by_membership_id in (select id from scope)
               or exists (select 1 from case_participants p
                            join case_care_team t on t.clinic_id = p.clinic_id and t.case_id = p.case_id
                           where p.clinic_id = c.clinic_id and p.client_id = c.id
                             and t.membership_id in (select id from scope)))`,
      [tx.clinicId, actor.membershipId, isAdmin(actor), wanted.map((item) => item.clientId)],
    );
    for (const item of wanted) {
      const found = rows.find((row) => sameId(row.id, item.clientId));
      if (found === undefined) {
        throw new ClientsError(ClientsErrorCode.UnknownClient, 'No such client', [
          { field: item.field, rule: 'exists', message: `${item.field} must name a client you look after` },
        ]);
      }
      if (found.status === 'archived') {
        throw new ClientsError(ClientsErrorCode.ClientArchived, 'An archived client cannot join a case', [
          { field: item.field, rule: 'active', message: `${item.field} names an archived client` },
        ]);
      }
    }
  }

  /** Care-team members are active counselors or supervisors of the clinic. */
  private async assertClinicians(
    tx: TenantTransaction,
    membershipIds: readonly string[],
    field: string,
  ): Promise<void> {
    const rows = await tx.query<{ id: string }>(
      `select id from memberships
        where clinic_id = $1 and id = any($2::uuid[]) and status = 'active'
          and roles && array['counselor', 'supervisor']::text[]`,
      [tx.clinicId, membershipIds],
    );
    const missing = membershipIds.filter((id) => !rows.some((row) => sameId(row.id, id)));
    if (missing.length > 0) {
      throw new ClientsError(
        ClientsErrorCode.UnknownCareTeamMember,
        'A care-team member must be an active counselor or supervisor',
        [{ field, rule: 'isClinician', message: `${field} must name active counselors or supervisors of the clinic` }],
      );
    }
  }
}

function labelsOf(row: CaseRow): Record<ParticipantRole, string> {
  return { ...DEFAULT_PARTICIPANT_ROLE_LABELS, ...(row.role_labels ?? {}) };
}

/** The case as `viewer` may see it (see {@link CaseView}). */
function shape(row: CaseRow, viewer: CaseViewerRef): CaseView {
  const labels = labelsOf(row);
  const careTeam = row.care_team.map((member) => ({
    membershipId: member.membershipId,
    displayName: member.displayName,
    isPrimary: member.isPrimary,
  }));
  const base = {
    id: row.id,
    type: row.type,
    status: row.status,
    statusChangedAt: new Date(row.status_changed_at),
    createdAt: new Date(row.created_at),
    careTeam,
  };
  if (viewer.kind === 'directory') {
    return {
      view: 'directory',
      ...base,
      participants: row.participants.map((p) => ({ clientId: p.clientId, displayName: p.displayName })),
    };
  }
  const participants = row.participants.map((p) => ({
    clientId: p.clientId,
    displayName: p.displayName,
    role: p.role,
    roleLabel: labels[p.role],
    signedCurrentPolicy: p.signed,
  }));
  if (viewer.kind === 'participant') {
    return {
      view: 'participant',
      ...base,
      title: row.title,
      outcome: row.outcome,
      phase: row.phase,
      participants,
      sharedSpacePaused: row.safety_status === 'safety_hold',
      yourClientId: viewer.clientId,
    };
  }
  return {
    view: 'care_team',
    ...base,
    title: row.title,
    outcome: row.outcome,
    phase: row.phase,
    participants,
    updatedAt: new Date(row.updated_at),
    createdByMembershipId: row.created_by_membership_id,
    safety: {
      status: row.safety_status,
      reason: row.safety_reason,
      changedAt: row.safety_changed_at === null ? null : new Date(row.safety_changed_at),
      changedByMembershipId: row.safety_changed_by_membership_id,
    },
    secretsPolicy: {
      version: row.secrets_policy_version,
      allSigned: row.secrets_policy_version !== null && row.participants.every((p) => p.signed),
    },
  };
}

function primaryNotOnCareTeam(field: string): ClientsError {
  return new ClientsError(ClientsErrorCode.PrimaryNotOnCareTeam, 'The primary counselor must be on the care team', [
    { field, rule: 'onCareTeam', message: `${field} must name a member of the care team` },
  ]);
}

function unique(ids: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const id of ids) if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id);
  return [...seen.values()];
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
