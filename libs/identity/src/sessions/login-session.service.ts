import { createHmac, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';

import { type FirstQuery, preparedStatement, type SystemTransaction, type TenantTransaction } from '@mend/core';

import type { Clock } from '../clock.js';
import { auditIdentity, auditRead } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode, unauthenticated } from '../identity.errors.js';
import type { MembershipRole } from '../roles.js';
import { changedRows } from '../sql.js';
import { issueOpaqueToken, type IssuedOpaqueToken } from '../tokens/opaque-token.js';
import type { TokenService, VerifiedAccessToken } from '../tokens/token.service.js';
import { LoginSessionCache } from './login-session-cache.js';
import {
  ABSOLUTE_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  LAST_SEEN_GRANULARITY_MS,
  USER_AGENT_MAX_LENGTH,
  type RevokeReason,
} from './session-limits.js';

/** Where a sign-in comes from (stored with the session, shown in the session list). */
export interface ClientMetadata {
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/** What a successful sign-in or refresh hands to the client. */
export interface TokenPair {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  readonly refreshToken: string;
  /** The login session's absolute end: no refresh works after it. */
  readonly refreshTokenExpiresAt: Date;
  readonly loginSessionId: string;
  readonly clinicId: string;
  readonly membershipId: string;
  readonly userId: string;
  readonly roles: readonly MembershipRole[];
  readonly amr: readonly string[];
}

/** The caller of an authenticated request, after its login session was checked. */
export interface Principal {
  readonly userId: string;
  readonly clinicId: string;
  readonly membershipId: string;
  readonly loginSessionId: string;
  /** Read from the membership on every request, not from the token. */
  readonly roles: readonly MembershipRole[];
  readonly amr: readonly string[];
  /** The client address of the request (audit trail). */
  readonly ip?: string | null;
}

export interface LoginSessionView {
  readonly id: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly amr: readonly string[];
  readonly isCurrent: boolean;
}

/** A prepared login session check: see {@link LoginSessionService.sessionCheck}. */
export interface SessionCheck {
  readonly token: VerifiedAccessToken;
  readonly now: Date;
  /** The query to run, unless this process checked the session less than half a second ago. */
  readonly firstQuery: FirstQuery | undefined;
  /** The membership's roles as that recent check found them (no query then). */
  readonly cachedRoles: readonly MembershipRole[] | undefined;
  /** The cache's generation when the check was prepared (see LoginSessionCache.remember). */
  readonly generation: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Run by every signed-in request (prepared: planned once per connection). */
const SESSION_CHECK = preparedStatement(
  'login_session_check',
  `select s.last_seen_at, s.idle_expires_at, s.absolute_expires_at, m.roles
     from login_sessions s
     join memberships m on m.clinic_id = s.clinic_id and m.id = s.membership_id
    where s.clinic_id = $1 and s.id = $2 and s.user_id = $3 and s.membership_id = $4
      and s.revoked_at is null and s.idle_expires_at > $5 and s.absolute_expires_at > $5
      and m.status = 'active' and m.user_id = s.user_id`,
  ['uuid', 'uuid', 'uuid', 'uuid', 'timestamptz'],
);

interface SessionRow {
  id: string;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  user_agent: string | null;
  ip: string | null;
  amr: string[];
}

/**
 * Login sessions: created at sign-in with their first refresh token, checked on
 * every request (so logout, a password change or a disabled membership takes
 * effect on the next request; in another API process within half a second: see
 * {@link LoginSessionCache}), listed and revoked by their user.
 *
 * Every change that ends a login session or changes its membership goes through
 * this service's `revoke…` methods, which clear the process's cache of checked
 * sessions once their transaction commits.
 */
export class LoginSessionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly cache: LoginSessionCache = new LoginSessionCache(),
  ) {}

  /** Starts a login session for an active membership and issues its first tokens. */
  async start(
    tx: TenantTransaction,
    input: {
      readonly userId: string;
      readonly membershipId: string;
      readonly roles: readonly MembershipRole[];
      readonly amr: readonly string[];
    },
    client: ClientMetadata,
  ): Promise<TokenPair> {
    const now = this.clock.now();
    const sessionId = randomUUID();
    const absoluteExpiresAt = new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS);
    const idleExpiresAt = new Date(Math.min(now.getTime() + IDLE_TIMEOUT_MS, absoluteExpiresAt.getTime()));
    await tx.query(
      `insert into login_sessions (clinic_id, id, membership_id, user_id, amr, created_at, last_seen_at,
                                   idle_expires_at, absolute_expires_at, user_agent, ip)
       values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10)`,
      [
        tx.clinicId,
        sessionId,
        input.membershipId,
        input.userId,
        [...input.amr],
        now,
        idleExpiresAt,
        absoluteExpiresAt,
        truncateUserAgent(client.userAgent),
        validIp(client.ip),
      ],
    );
    const refresh = issueOpaqueToken(tx.clinicId);
    await this.insertRefreshToken(tx, sessionId, refresh, now);
    return this.tokenPair(
      {
        userId: input.userId,
        clinicId: tx.clinicId,
        membershipId: input.membershipId,
        loginSessionId: sessionId,
        roles: input.roles,
        amr: input.amr,
      },
      refresh.token,
      absoluteExpiresAt,
    );
  }

  /** @internal used by {@link RefreshService} */
  async insertRefreshToken(
    tx: TenantTransaction,
    sessionId: string,
    token: IssuedOpaqueToken,
    now: Date,
  ): Promise<void> {
    await tx.query(
      `insert into refresh_tokens (clinic_id, id, login_session_id, token_hash, created_at)
       values ($1, $2, $3, $4, $5)`,
      [tx.clinicId, token.rowId, sessionId, token.secretHash, now],
    );
  }

  /** @internal */
  async tokenPair(principal: Principal, refreshToken: string, absoluteExpiresAt: Date): Promise<TokenPair> {
    const access = await this.tokens.issueAccessToken(principal);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: absoluteExpiresAt,
      loginSessionId: principal.loginSessionId,
      clinicId: principal.clinicId,
      membershipId: principal.membershipId,
      userId: principal.userId,
      roles: principal.roles,
      amr: principal.amr,
    };
  }

  /**
   * The check every authenticated request makes inside its own unit of work: the
   * login session exists, belongs to the token's user and membership, is not
   * revoked, and neither its idle nor its absolute limit has passed; the
   * membership is active. Returns the principal with the membership's current
   * roles. Activity extends the idle limit (written at most once a minute).
   */
  async authenticate(tx: TenantTransaction, token: VerifiedAccessToken): Promise<Principal> {
    if (token.clinicId !== tx.clinicId) throw unauthenticated();
    const check = this.sessionCheck(token);
    const rows = check.firstQuery === undefined ? [] : await tx.query(SESSION_CHECK, check.firstQuery.values);
    return this.completeSessionCheck(tx, check, rows);
  }

  /**
   * The same check in two halves, so that its query can travel with the opening
   * of the request's unit of work (`UnitOfWorkOptions.firstQuery`: one round
   * trip instead of three): `sessionCheck` gives the query and its values,
   * {@link completeSessionCheck} reads its rows. A session this process checked
   * less than half a second ago needs no query (`firstQuery` undefined).
   */
  sessionCheck(token: VerifiedAccessToken): SessionCheck {
    for (const id of [token.clinicId, token.loginSessionId, token.userId, token.membershipId]) {
      if (!UUID.test(id)) throw unauthenticated();
    }
    const now = this.clock.now();
    const generation = this.cache.generation;
    const cachedRoles = this.cache.lookup(token, now);
    return {
      token,
      now,
      generation,
      cachedRoles,
      firstQuery:
        cachedRoles !== undefined
          ? undefined
          : {
              statement: SESSION_CHECK,
              values: [token.clinicId, token.loginSessionId, token.userId, token.membershipId, now],
            },
    };
  }

  /** The principal from the rows of {@link sessionCheck}'s query, run in `tx`; 401 when there is none. */
  async completeSessionCheck(
    tx: TenantTransaction,
    check: SessionCheck,
    rows: readonly Record<string, unknown>[],
  ): Promise<Principal> {
    const { token, now } = check;
    if (token.clinicId !== tx.clinicId) throw unauthenticated();
    let roles = check.cachedRoles;
    if (check.firstQuery !== undefined) {
      const row = rows[0] as
        { last_seen_at: Date; idle_expires_at: Date; absolute_expires_at: Date; roles: MembershipRole[] } | undefined;
      if (row === undefined) throw unauthenticated();
      const lastSeenAt = new Date(row.last_seen_at);
      if (now.getTime() - lastSeenAt.getTime() >= LAST_SEEN_GRANULARITY_MS) {
        // The next request's check reads the touched row (once this one commits) and is remembered then.
        await this.touch(tx, token.loginSessionId, now);
      } else {
        const checked = {
          roles: row.roles,
          lastSeenAt,
          idleExpiresAt: new Date(row.idle_expires_at),
          absoluteExpiresAt: new Date(row.absolute_expires_at),
        };
        this.cache.remember(token, checked, check.generation);
      }
      roles = row.roles;
    }
    if (roles === undefined) throw unauthenticated();
    return {
      userId: token.userId,
      clinicId: token.clinicId,
      membershipId: token.membershipId,
      loginSessionId: token.loginSessionId,
      roles,
      amr: token.amr,
    };
  }

  /**
   * This process's recently checked sessions are forgotten once `tx` commits (not
   * before: a concurrent request could check the rows as they still are and put
   * them back), so the revocation takes effect on the next request here.
   */
  private forgetCheckedAtCommit(tx: SystemTransaction): void {
    tx.afterCommit(() => this.cache.forgetAll());
  }

  /** Records activity: the idle limit moves, never past the absolute one. */
  async touch(tx: TenantTransaction, sessionId: string, now: Date): Promise<void> {
    await changedRows(
      tx,
      `update login_sessions
          set last_seen_at = $3,
              idle_expires_at = least($4::timestamptz, absolute_expires_at)
        where clinic_id = $1 and id = $2`,
      [tx.clinicId, sessionId, now, new Date(now.getTime() + IDLE_TIMEOUT_MS)],
    );
  }

  /** The caller's live login sessions in this clinic, newest first. */
  async listOwn(tx: TenantTransaction, principal: Principal): Promise<LoginSessionView[]> {
    const now = this.clock.now();
    const rows = await tx.query<SessionRow>(
      `select id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, user_agent, host(ip) as ip, amr
         from login_sessions
        where clinic_id = $1 and user_id = $2 and revoked_at is null
          and idle_expires_at > $3 and absolute_expires_at > $3
        order by created_at desc, id`,
      [tx.clinicId, principal.userId, now],
    );
    await auditRead(
      tx,
      principal,
      'login_session.list',
      { type: 'user', id: principal.userId },
      { count: rows.length },
    );
    return rows.map((row) => ({
      id: row.id,
      createdAt: new Date(row.created_at),
      lastSeenAt: new Date(row.last_seen_at),
      idleExpiresAt: new Date(row.idle_expires_at),
      absoluteExpiresAt: new Date(row.absolute_expires_at),
      userAgent: row.user_agent,
      ip: row.ip,
      amr: row.amr,
      isCurrent: row.id === principal.loginSessionId,
    }));
  }

  /** Ends one of the caller's own login sessions; someone else's (or an unknown id) is 404. */
  async revokeOwn(tx: TenantTransaction, principal: Principal, sessionId: string): Promise<void> {
    this.forgetCheckedAtCommit(tx);
    const count = await changedRows(
      tx,
      `update login_sessions set revoked_at = $4, revoke_reason = $5
        where clinic_id = $1 and id = $2 and user_id = $3 and revoked_at is null`,
      [
        tx.clinicId,
        sessionId,
        principal.userId,
        this.clock.now(),
        principal.loginSessionId === sessionId ? 'logout' : 'revoked_by_user',
      ],
    );
    if (count === 0) throw new IdentityError(IdentityErrorCode.NotFound, 'No such login session');
    await auditIdentity(tx, principal, 'auth.login_session.revoke', { type: 'login_session', id: sessionId });
  }

  /** Ends one login session (logout); false when it was already ended or unknown. */
  async revoke(tx: TenantTransaction, sessionId: string, reason: RevokeReason): Promise<boolean> {
    this.forgetCheckedAtCommit(tx);
    const count = await changedRows(
      tx,
      `update login_sessions set revoked_at = $3, revoke_reason = $4
        where clinic_id = $1 and id = $2 and revoked_at is null`,
      [tx.clinicId, sessionId, this.clock.now(), reason],
    );
    return count > 0;
  }

  /** Ends every login session of a membership (disabled, roles changed). */
  revokeAllOfMembership(tx: TenantTransaction, membershipId: string, reason: RevokeReason): Promise<number> {
    this.forgetCheckedAtCommit(tx);
    return changedRows(
      tx,
      `update login_sessions set revoked_at = $3, revoke_reason = $4
        where clinic_id = $1 and membership_id = $2 and revoked_at is null`,
      [tx.clinicId, membershipId, this.clock.now(), reason],
    );
  }

  /**
   * Ends every login session of a user in every clinic (a password is global),
   * except `keep` (the session that made the change). The transaction must act as
   * that user (`app.user_id`): the reviewed function refuses anyone else's.
   */
  async revokeAllOfUser(
    tx: SystemTransaction,
    userId: string,
    reason: RevokeReason,
    keep?: { readonly clinicId: string; readonly loginSessionId: string },
  ): Promise<number> {
    this.forgetCheckedAtCommit(tx);
    const rows = await tx.query<{ count: number }>('select revoke_user_login_sessions($1, $2, $3, $4, $5) as count', [
      userId,
      reason,
      this.clock.now(),
      keep?.clinicId ?? null,
      keep?.loginSessionId ?? null,
    ]);
    return rows[0]?.count ?? 0;
  }
}

/**
 * The CSRF token of a login session for cookie clients (double submit, bound to
 * the session): an HMAC of the session id, so it needs no storage and a token
 * of one session is worthless for another.
 */
export function csrfTokenFor(key: Buffer, loginSessionId: string): string {
  return createHmac('sha256', key).update(`csrf:${loginSessionId}`).digest('base64url');
}

function truncateUserAgent(userAgent: string | null | undefined): string | null {
  if (typeof userAgent !== 'string' || userAgent === '') return null;
  return [...userAgent].slice(0, USER_AGENT_MAX_LENGTH).join('');
}

function validIp(ip: string | null | undefined): string | null {
  return typeof ip === 'string' && isIP(ip) !== 0 ? ip : null;
}
