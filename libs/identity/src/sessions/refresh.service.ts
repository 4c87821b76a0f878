import { createHmac, randomUUID } from 'node:crypto';

import type { TenantTransaction, UnitOfWork } from '@mend/core';

import type { Clock } from '../clock.js';
import { auditIdentity, type AuditActor } from '../identity-audit.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { MembershipRole } from '../roles.js';
import { changedRows } from '../sql.js';
import { issueOpaqueToken, parseOpaqueToken, secretMatches, type OpaqueToken } from '../tokens/opaque-token.js';
import type { TokenService } from '../tokens/token.service.js';
import type { LoginSessionService, TokenPair } from './login-session.service.js';
import { REFRESH_GRACE_MS } from './session-limits.js';

interface PresentedRow {
  id: string;
  login_session_id: string;
  token_hash: Buffer;
  replaced_by_id: string | null;
  rotated_at: Date | null;
  grace_until: Date | null;
  user_id: string;
  membership_id: string;
  amr: string[];
  revoked_at: Date | null;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  status: string;
  roles: MembershipRole[];
}

interface ChainRow {
  id: string;
  token_hash: Buffer;
  replaced_by_id: string | null;
  rotated_at: Date | null;
  grace_until: Date | null;
}

type Outcome =
  | { readonly kind: 'tokens'; readonly tokens: TokenPair }
  | { readonly kind: 'reuse'; readonly loginSessionId: string; readonly userId: string }
  | { readonly kind: 'invalid' };

/** How many successors a grace-window presentation may walk (tabs refreshing at once). */
const MAX_CHAIN_STEPS = 5;

/**
 * Refresh-token rotation with reuse detection (OAuth 2.1 §6.1; reliability.md
 * AUTH-4). Each use of the live token replaces it. A rotated token presented
 * within its 10-second grace window gets the same successor again (two tabs
 * refreshing at once both succeed and share one family); presented later it is
 * a replay: the whole login session is revoked, and every token of it stops
 * working. Successor secrets are derived from the presented secret with a
 * server-side key, so the successor can be handed out again without ever storing
 * a secret.
 */
export class RefreshService {
  private readonly successorKey: Buffer;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly sessions: LoginSessionService,
    tokens: TokenService,
    private readonly clock: Clock,
  ) {
    this.successorKey = tokens.deriveKey('refresh-successor');
  }

  /** New tokens for a refresh token, or 401 `invalid_refresh_token`. */
  async refresh(refreshToken: string, ip: string | null = null): Promise<TokenPair> {
    const presented = parseOpaqueToken(refreshToken);
    if (presented === undefined) throw invalidRefreshToken();
    // The revocation of a replayed family must commit although the answer is a 401:
    // the unit of work returns the outcome and the error is raised after it.
    const outcome = await this.unitOfWork.run(presented.clinicId, (tx) => this.rotate(tx, presented, ip));
    switch (outcome.kind) {
      case 'tokens':
        return outcome.tokens;
      case 'reuse':
      case 'invalid':
        throw invalidRefreshToken();
    }
  }

  /**
   * Logout by refresh token: ends the login session of any token of the family
   * (live or rotated). False when the token is unknown or the session had ended.
   */
  async revokeFamily(refreshToken: string, ip: string | null = null): Promise<boolean> {
    const presented = parseOpaqueToken(refreshToken);
    if (presented === undefined) return false;
    return this.unitOfWork.run(presented.clinicId, async (tx) => {
      const rows = await tx.query<{
        login_session_id: string;
        token_hash: Buffer;
        user_id: string;
        membership_id: string;
      }>(
        `select r.login_session_id, r.token_hash, s.user_id, s.membership_id
           from refresh_tokens r join login_sessions s on s.clinic_id = r.clinic_id and s.id = r.login_session_id
          where r.clinic_id = $1 and r.id = $2`,
        [tx.clinicId, presented.rowId],
      );
      const row = rows[0];
      if (row === undefined || !secretMatches(presented.secret, row.token_hash)) return false;
      return this.logout(tx, row.login_session_id, { userId: row.user_id, membershipId: row.membership_id, ip });
    });
  }

  /** Logout by access token: ends that login session (of that user). */
  revokeSession(clinicId: string, loginSessionId: string, userId: string, ip: string | null = null): Promise<boolean> {
    return this.unitOfWork.run(
      clinicId,
      async (tx) => {
        const rows = await tx.query<{ membership_id: string }>(
          'select membership_id from login_sessions where clinic_id = $1 and id = $2 and user_id = $3',
          [clinicId, loginSessionId, userId],
        );
        if (rows.length === 0) return false;
        return this.logout(tx, loginSessionId, { userId, membershipId: rows[0].membership_id, ip });
      },
      { userId },
    );
  }

  private async logout(tx: TenantTransaction, loginSessionId: string, actor: AuditActor): Promise<boolean> {
    const isRevoked = await this.sessions.revoke(tx, loginSessionId, 'logout');
    if (isRevoked) await auditIdentity(tx, actor, 'auth.logout', { type: 'login_session', id: loginSessionId });
    return isRevoked;
  }

  /** A rotation (or a grace-window answer, `grace`) in the login session's trail: ids only. */
  private async auditRefresh(
    tx: TenantTransaction,
    row: PresentedRow,
    ip: string | null,
    grace: boolean,
  ): Promise<void> {
    await auditIdentity(
      tx,
      { userId: row.user_id, membershipId: row.membership_id, ip },
      'auth.refresh',
      { type: 'login_session', id: row.login_session_id },
      { refreshTokenId: row.id, grace },
    );
  }

  private async rotate(tx: TenantTransaction, presented: OpaqueToken, ip: string | null): Promise<Outcome> {
    const now = this.clock.now();
    // Row locks on the token and its session serialise concurrent refreshes of one
    // family: the second waits, then sees the rotation and takes the grace path.
    const rows = await tx.query<PresentedRow>(
      `select r.id, r.login_session_id, r.token_hash, r.replaced_by_id, r.rotated_at, r.grace_until,
              s.user_id, s.membership_id, s.amr, s.revoked_at, s.idle_expires_at, s.absolute_expires_at,
              m.status, m.roles
         from refresh_tokens r
         join login_sessions s on s.clinic_id = r.clinic_id and s.id = r.login_session_id
         join memberships m on m.clinic_id = s.clinic_id and m.id = s.membership_id
        where r.clinic_id = $1 and r.id = $2
        for update of r, s`,
      [tx.clinicId, presented.rowId],
    );
    const row = rows[0];
    if (row === undefined || !secretMatches(presented.secret, row.token_hash)) return { kind: 'invalid' };
    const isSessionLive =
      row.revoked_at === null &&
      new Date(row.idle_expires_at).getTime() > now.getTime() &&
      new Date(row.absolute_expires_at).getTime() > now.getTime() &&
      row.status === 'active';
    if (!isSessionLive) return { kind: 'invalid' };

    const principal = {
      userId: row.user_id,
      clinicId: tx.clinicId,
      membershipId: row.membership_id,
      loginSessionId: row.login_session_id,
      roles: row.roles,
      amr: row.amr,
    };
    const absoluteExpiresAt = new Date(row.absolute_expires_at);

    if (row.rotated_at === null) {
      const successorId = randomUUID();
      const successorToken = issueOpaqueToken(
        tx.clinicId,
        successorId,
        this.successorSecret(presented.secret, successorId),
      );
      await this.sessions.insertRefreshToken(tx, row.login_session_id, successorToken, now);
      await changedRows(
        tx,
        `update refresh_tokens set rotated_at = $3, grace_until = $4, replaced_by_id = $5
          where clinic_id = $1 and id = $2`,
        [tx.clinicId, row.id, now, new Date(now.getTime() + REFRESH_GRACE_MS), successorToken.rowId],
      );
      await this.sessions.touch(tx, row.login_session_id, now);
      await this.auditRefresh(tx, row, ip, false);
      return {
        kind: 'tokens',
        tokens: await this.sessions.tokenPair(principal, successorToken.token, absoluteExpiresAt),
      };
    }

    if (row.grace_until !== null && now.getTime() <= new Date(row.grace_until).getTime()) {
      const successor = await this.liveSuccessor(tx, row, presented.secret, now);
      if (successor !== undefined) {
        await this.sessions.touch(tx, row.login_session_id, now);
        await this.auditRefresh(tx, row, ip, true);
        return { kind: 'tokens', tokens: await this.sessions.tokenPair(principal, successor, absoluteExpiresAt) };
      }
    }

    // A rotated token after its grace window: someone replays an old token. End the family.
    await this.sessions.revoke(tx, row.login_session_id, 'refresh_token_reuse');
    await auditIdentity(
      tx,
      { userId: row.user_id, membershipId: row.membership_id, ip },
      'auth.refresh_token_reuse',
      { type: 'login_session', id: row.login_session_id },
      { refreshTokenId: row.id, familyRevoked: true },
      'denied',
    );
    return { kind: 'reuse', loginSessionId: row.login_session_id, userId: row.user_id };
  }

  /**
   * Walks from a rotated token (presented within its grace) to the live token of
   * its family, re-deriving each successor's secret; each step must itself be
   * live or within its own grace window.
   */
  private async liveSuccessor(
    tx: TenantTransaction,
    start: { replaced_by_id: string | null },
    secret: string,
    now: Date,
  ): Promise<string | undefined> {
    let nextId = start.replaced_by_id;
    let currentSecret = secret;
    for (let step = 0; step < MAX_CHAIN_STEPS && nextId !== null; step += 1) {
      const rows = await tx.query<ChainRow>(
        `select id, token_hash, replaced_by_id, rotated_at, grace_until
           from refresh_tokens where clinic_id = $1 and id = $2`,
        [tx.clinicId, nextId],
      );
      const next = rows[0];
      if (next === undefined) return undefined;
      const nextSecret = this.successorSecret(currentSecret, next.id);
      if (!secretMatches(nextSecret, next.token_hash)) return undefined;
      if (next.rotated_at === null) return `${tx.clinicId}.${next.id}.${nextSecret}`;
      if (next.grace_until === null || now.getTime() > new Date(next.grace_until).getTime()) return undefined;
      nextId = next.replaced_by_id;
      currentSecret = nextSecret;
    }
    return undefined;
  }

  private successorSecret(secret: string, successorId: string): string {
    return createHmac('sha256', this.successorKey).update(`${successorId}.${secret}`).digest('base64url');
  }
}

function invalidRefreshToken(): IdentityError {
  return new IdentityError(
    IdentityErrorCode.InvalidRefreshToken,
    'The refresh token is invalid or expired: sign in again',
  );
}
