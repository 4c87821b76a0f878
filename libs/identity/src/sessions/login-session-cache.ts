import type { MembershipRole } from '../roles.js';
import type { VerifiedAccessToken } from '../tokens/token.service.js';
import { LAST_SEEN_GRANULARITY_MS, LOGIN_SESSION_CACHE_MAX_AGE_MS } from './session-limits.js';

/** What a login session check found in the database (`login_session_check`'s row). */
export interface CheckedLoginSession {
  readonly roles: readonly MembershipRole[];
  readonly lastSeenAt: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
}

interface Entry extends CheckedLoginSession {
  readonly clinicId: string;
  readonly userId: string;
  readonly membershipId: string;
  /** When the database said so, on the monotonic clock. */
  readonly checkedAt: number;
}

/**
 * The login sessions this API process checked in the database less than
 * {@link LOGIN_SESSION_CACHE_MAX_AGE_MS} ago, so that the requests of a busy
 * session do not each check it again (the check was about a tenth of a `GET
 * /me`'s CPU, API and PostgreSQL together).
 *
 * What keeps the promise of reliability.md AUTH-5 (no successful call a second
 * after a logout, a password or second-factor change or a disabled membership):
 * - every such change is made through `LoginSessionService`, which clears this
 *   cache once its transaction has committed (`afterCommit`), so in the process
 *   that made it the change takes effect on the next request, as before;
 * - a check that was already in flight when the cache was cleared is not
 *   remembered (the generation moved), so it cannot put back what the commit
 *   just ended;
 * - any other process (a second API, the CLI) is believed for at most half a
 *   second: after that its sessions are checked in the database again.
 *
 * An entry is only used while the session is valid by its own limits at the
 * request's time (`Clock`, so fake clocks in tests move it) and while its
 * `last_seen_at` needs no write; otherwise the request checks (and touches) it
 * in the database. The entry must match the token's clinic, user and membership.
 */
export class LoginSessionCache {
  private readonly entries = new Map<string, Entry>();
  private generationValue = 0;

  constructor(
    private readonly maxAgeMs: number = LOGIN_SESSION_CACHE_MAX_AGE_MS,
    private readonly monotonicNow: () => number = () => performance.now(),
    private readonly maxEntries = 10_000,
  ) {}

  /** Moves whenever the cache is cleared: take it before a check, give it to {@link remember}. */
  get generation(): number {
    return this.generationValue;
  }

  /** The roles of the token's login session if it was checked recently and is still valid at `now`; else undefined. */
  lookup(token: VerifiedAccessToken, now: Date): readonly MembershipRole[] | undefined {
    const entry = this.entries.get(token.loginSessionId);
    if (entry === undefined) return undefined;
    if (!this.isFresh(entry)) {
      this.entries.delete(token.loginSessionId);
      return undefined;
    }
    if (
      entry.clinicId !== token.clinicId ||
      entry.userId !== token.userId ||
      entry.membershipId !== token.membershipId
    ) {
      return undefined;
    }
    const at = now.getTime();
    if (entry.idleExpiresAt.getTime() <= at || entry.absoluteExpiresAt.getTime() <= at) return undefined;
    // Due for a `last_seen_at` write: that request goes to the database, which extends the idle limit.
    if (at - entry.lastSeenAt.getTime() >= LAST_SEEN_GRANULARITY_MS) return undefined;
    return entry.roles;
  }

  /**
   * What a database check found for the token's session, unless the cache was
   * cleared since `generation` was taken (the check may have read rows that a
   * commit has ended since).
   */
  remember(token: VerifiedAccessToken, checked: CheckedLoginSession, generation: number): void {
    if (generation !== this.generationValue) return;
    if (this.entries.size >= this.maxEntries) this.prune();
    this.entries.set(token.loginSessionId, {
      ...checked,
      clinicId: token.clinicId,
      userId: token.userId,
      membershipId: token.membershipId,
      checkedAt: this.monotonicNow(),
    });
  }

  /** Forgets every session (after a commit that ended or changed some). */
  forgetAll(): void {
    this.entries.clear();
    this.generationValue += 1;
  }

  /** How many sessions are held (tests). */
  get size(): number {
    return this.entries.size;
  }

  private isFresh(entry: Entry): boolean {
    return this.monotonicNow() - entry.checkedAt < this.maxAgeMs;
  }

  /** Drops the stale entries; if the fresh ones alone fill the cache, all of them. */
  private prune(): void {
    for (const [id, entry] of this.entries) {
      if (!this.isFresh(entry)) this.entries.delete(id);
    }
    if (this.entries.size >= this.maxEntries) this.entries.clear();
  }
}
