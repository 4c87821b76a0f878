import { randomUUID } from 'node:crypto';

import type { ClientStatus, ReminderChannel } from '@mend/contracts';
import { isValidTimezone, type TenantTransaction } from '@mend/core';
import { normaliseEmail, type IdentityServices } from '@mend/identity';

import { ClientsError, ClientsErrorCode, invalidField } from '../clients.errors.js';
import {
  auditCases,
  decodeCursor,
  encodeCursor,
  escapeLike,
  isAdmin,
  keysetCondition,
  SCOPE_CTE,
  type ClientsActor,
  type Page,
  type SortOrder,
} from '../shared.js';

export interface ClientView {
  readonly id: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly timezone: string;
  readonly reminderChannel: ReminderChannel;
  /** HH:MM in the client's time zone. */
  readonly reminderTime: string | null;
  readonly discreetNotifications: boolean;
  readonly status: ClientStatus;
  readonly archivedAt: Date | null;
  /** Whether the client has a portal account linked. */
  readonly hasPortalAccess: boolean;
  /** A portal invitation is open (sent, not yet accepted). */
  readonly invitationPending: boolean;
  readonly createdByMembershipId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ClientInput {
  readonly displayName: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly timezone: string;
  readonly reminderChannel?: ReminderChannel;
  readonly reminderTime?: string | null;
  readonly discreetNotifications?: boolean;
}

export type ClientChanges = Partial<ClientInput>;

export interface ClientPreferences {
  readonly reminderChannel?: ReminderChannel;
  readonly reminderTime?: string | null;
  readonly discreetNotifications?: boolean;
  readonly timezone?: string;
}

export const CLIENT_SORTS = ['displayName', 'createdAt', 'updatedAt'] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];

export interface ClientListQuery {
  readonly q?: string;
  readonly status?: ClientStatus;
  readonly sort?: ClientSort;
  readonly order?: SortOrder;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ClientInvitation {
  readonly invitationId: string;
  /** Where the invitation goes (the client's email); the API emails the link there when SMTP is configured. */
  readonly email: string;
  readonly link: string;
  readonly expiresAt: Date;
}

interface ClientRow {
  id: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  timezone: string;
  reminder_channel: ReminderChannel;
  reminder_time: string | null;
  discreet_notifications: boolean;
  status: ClientStatus;
  archived_at: Date | null;
  membership_id: string | null;
  invitation_pending: boolean;
  created_by_membership_id: string | null;
  created_at: Date;
  updated_at: Date;
  sort_key?: string | null;
}

const CLIENT_COLUMNS = `c.id, c.display_name, c.email, c.phone, c.timezone, c.reminder_channel,
  to_char(c.reminder_time, 'HH24:MI') as reminder_time, c.discreet_notifications, c.status, c.archived_at,
  c.membership_id, c.created_by_membership_id, c.created_at, c.updated_at,
  (c.membership_id is null and exists (
     select 1 from invitations i where i.clinic_id = c.clinic_id and i.id = c.invitation_id
        and i.accepted_at is null and i.revoked_at is null and i.expires_at > now())) as invitation_pending`;

const SORT_SQL: Readonly<Record<ClientSort, { expr: string; cast: string }>> = {
  displayName: { expr: 'lower(c.display_name)', cast: 'text' },
  createdAt: { expr: 'c.created_at', cast: 'timestamptz' },
  updatedAt: { expr: 'c.updated_at', cast: 'timestamptz' },
};

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const REMINDER_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function toView(row: ClientRow): ClientView {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    phone: row.phone,
    timezone: row.timezone,
    reminderChannel: row.reminder_channel,
    reminderTime: row.reminder_time,
    discreetNotifications: row.discreet_notifications,
    status: row.status,
    archivedAt: row.archived_at === null ? null : new Date(row.archived_at),
    hasPortalAccess: row.membership_id !== null,
    invitationPending: row.invitation_pending,
    createdByMembershipId: row.created_by_membership_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function assertTimezone(timezone: string | undefined): void {
  if (timezone !== undefined && !isValidTimezone(timezone)) {
    throw invalidField('timezone', 'isTimeZone', 'timezone must be an IANA time zone such as Europe/Lisbon');
  }
}

function assertReminderTime(time: string | null | undefined): void {
  if (typeof time === 'string' && !REMINDER_TIME.test(time)) {
    throw invalidField('reminderTime', 'isTimeOfDay', 'reminderTime must be a time of day HH:MM');
  }
}

function normalisedEmail(email: string | null | undefined): string | null | undefined {
  if (email === undefined || email === null) return email;
  return normaliseEmail(email);
}

/**
 * The people receiving care. Staff register them; who sees a client follows the
 * access policy (admins all; clinicians the clients of their care-team cases,
 * the ones they registered and those of the counselors they supervise; a client
 * themselves). Every change and every read is audited (ids and field names only).
 */
export class ClientService {
  constructor(private readonly identity: Pick<IdentityServices, 'invitations'>) {}

  async create(tx: TenantTransaction, actor: ClientsActor, input: ClientInput): Promise<ClientView> {
    assertTimezone(input.timezone);
    assertReminderTime(input.reminderTime);
    const id = randomUUID();
    await tx.query(
      `insert into clients (clinic_id, id, display_name, email, phone, timezone, reminder_channel, reminder_time,
                            discreet_notifications, created_by_membership_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        tx.clinicId,
        id,
        input.displayName.trim(),
        normalisedEmail(input.email) ?? null,
        input.phone ?? null,
        input.timezone,
        input.reminderChannel ?? 'email',
        input.reminderTime ?? null,
        input.discreetNotifications ?? false,
        actor.membershipId,
      ],
    );
    await auditCases(tx, actor, 'client.create', { type: 'client', id }, { fields: fieldsOf(input) });
    return this.load(tx, id);
  }

  async get(tx: TenantTransaction, actor: ClientsActor, clientId: string): Promise<ClientView> {
    const client = await this.load(tx, clientId);
    await auditCases(tx, actor, 'client.read', { type: 'client', id: clientId });
    return client;
  }

  async update(
    tx: TenantTransaction,
    actor: ClientsActor,
    clientId: string,
    changes: ClientChanges,
  ): Promise<ClientView> {
    assertTimezone(changes.timezone);
    assertReminderTime(changes.reminderTime);
    const sets: string[] = [];
    const params: unknown[] = [tx.clinicId, clientId];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (changes.displayName !== undefined) set('display_name', changes.displayName.trim());
    if (changes.email !== undefined) set('email', normalisedEmail(changes.email));
    if (changes.phone !== undefined) set('phone', changes.phone);
    if (changes.timezone !== undefined) set('timezone', changes.timezone);
    if (changes.reminderChannel !== undefined) set('reminder_channel', changes.reminderChannel);
    if (changes.reminderTime !== undefined) set('reminder_time', changes.reminderTime);
    if (changes.discreetNotifications !== undefined) set('discreet_notifications', changes.discreetNotifications);
    if (sets.length > 0) {
      await tx.query(
        `update clients set ${sets.join(', ')}, updated_at = now() where clinic_id = $1 and id = $2`,
        params,
      );
    }
    await auditCases(tx, actor, 'client.update', { type: 'client', id: clientId }, { fields: fieldsOf(changes) });
    return this.load(tx, clientId);
  }

  /** Archiving hides the client from default lists; a client in a case that is not closed stays active (422). */
  async archive(tx: TenantTransaction, actor: ClientsActor, clientId: string): Promise<ClientView> {
    const open = await tx.query<{ count: number }>(
      `select count(*)::int as count from case_participants p
         join cases k on k.clinic_id = p.clinic_id and k.id = p.case_id
        where p.clinic_id = $1 and p.client_id = $2 and k.status <> 'closed'`,
      [tx.clinicId, clientId],
    );
    if ((open[0]?.count ?? 0) > 0) {
      throw new ClientsError(
        ClientsErrorCode.ClientInOpenCase,
        'The client takes part in a case that is not closed: close it first',
      );
    }
    await tx.query(
      `update clients set status = 'archived', archived_at = coalesce(archived_at, now()), updated_at = now()
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, clientId],
    );
    await auditCases(tx, actor, 'client.archive', { type: 'client', id: clientId });
    return this.load(tx, clientId);
  }

  async restore(tx: TenantTransaction, actor: ClientsActor, clientId: string): Promise<ClientView> {
    await tx.query(
      `update clients set status = 'active', archived_at = null, updated_at = now() where clinic_id = $1 and id = $2`,
      [tx.clinicId, clientId],
    );
    await auditCases(tx, actor, 'client.restore', { type: 'client', id: clientId });
    return this.load(tx, clientId);
  }

  /**
   * Invites the client to the portal through the clinic's invitation flow (role
   * `client`, to the client's email). The invitation id is kept on the client:
   * accepting it links the new membership to this record (a database trigger).
   */
  async invite(tx: TenantTransaction, actor: ClientsActor, clientId: string): Promise<ClientInvitation> {
    const rows = await tx.query<{ email: string | null; membership_id: string | null; status: ClientStatus }>(
      'select email, membership_id, status from clients where clinic_id = $1 and id = $2 for update',
      [tx.clinicId, clientId],
    );
    const client = rows[0];
    if (client === undefined) throw new ClientsError(ClientsErrorCode.NotFound, 'No such client');
    if (client.status === 'archived') {
      throw new ClientsError(ClientsErrorCode.ClientArchived, 'The client is archived: restore them first');
    }
    if (client.membership_id !== null) {
      throw new ClientsError(ClientsErrorCode.ClientHasPortalUser, 'The client already has portal access');
    }
    if (client.email === null) {
      throw new ClientsError(ClientsErrorCode.ClientEmailRequired, 'Add an email address to the client first', [
        { field: 'email', rule: 'required', message: 'the client needs an email address to be invited' },
      ]);
    }
    const issued = await this.identity.invitations.create(tx, actor, { email: client.email, roles: ['client'] });
    await tx.query('update clients set invitation_id = $3, updated_at = now() where clinic_id = $1 and id = $2', [
      tx.clinicId,
      clientId,
      issued.invitationId,
    ]);
    await auditCases(
      tx,
      actor,
      'client.invite',
      { type: 'client', id: clientId },
      {
        invitationId: issued.invitationId,
      },
    );
    return { invitationId: issued.invitationId, email: client.email, link: issued.link, expiresAt: issued.expiresAt };
  }

  /** One query per page: the clients the caller may see, filtered, sorted and paged by a keyset cursor. */
  async list(tx: TenantTransaction, actor: ClientsActor, query: ClientListQuery): Promise<Page<ClientView>> {
    const sort = SORT_SQL[query.sort ?? 'displayName'];
    const order: SortOrder = query.order ?? 'asc';
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const cursor = decodeCursor(query.cursor);
    const params: unknown[] = [tx.clinicId, actor.membershipId, isAdmin(actor)];
    const where = [
      `($3 or c.membership_id = $2::uuid
            or c.created_by_membership_id in (select id from scope)
            or exists (select 1 from case_participants p
                         join case_care_team t on t.clinic_id = p.clinic_id and t.case_id = p.case_id
                        where p.clinic_id = c.clinic_id and p.client_id = c.id
                          and t.membership_id in (select id from scope)))`,
    ];
    params.push(query.status ?? 'active');
    where.push(`c.status = $${params.length}`);
    if (query.q !== undefined && query.q.trim() !== '') {
      params.push(`%${escapeLike(query.q.trim().toLowerCase())}%`);
      where.push(`(lower(c.display_name) like $${params.length} or c.email like $${params.length})`);
    }
    where.push(keysetCondition(sort.expr, 'c.id', sort.cast, order, cursor, params));
    params.push(limit + 1);
    const rows = await tx.query<ClientRow>(
      `with ${SCOPE_CTE}
       select ${CLIENT_COLUMNS}, ${sort.expr}::text as sort_key
         from clients c
        where c.clinic_id = $1 and ${where.join(' and ')}
        order by ${sort.expr} ${order} nulls last, c.id ${order}
        limit $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    await auditCases(tx, actor, 'client.list', { type: 'clinic', id: tx.clinicId }, { count: page.length });
    return {
      items: page.map(toView),
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor({ key: last.sort_key ?? null, id: last.id }) : null,
    };
  }

  private async load(tx: TenantTransaction, clientId: string): Promise<ClientView> {
    const rows = await tx.query<ClientRow>(
      `select ${CLIENT_COLUMNS} from clients c where c.clinic_id = $1 and c.id = $2`,
      [tx.clinicId, clientId],
    );
    const row = rows[0];
    if (row === undefined) throw new ClientsError(ClientsErrorCode.NotFound, 'No such client');
    return toView(row);
  }
}

/** The names of the fields a request set (audited instead of their values). */
function fieldsOf(input: object): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key)
    .sort();
}
