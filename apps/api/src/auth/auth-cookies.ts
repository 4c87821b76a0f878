import { timingSafeEqual } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';

import type { MendConfig } from '@mend/core';
import { csrfTokenFor, type TokenPair } from '@mend/identity';

export const CSRF_HEADER = 'x-csrf-token';

export interface CookieNames {
  readonly access: string;
  readonly refresh: string;
  readonly csrf: string;
}

/**
 * Cookies for browser clients (ASVS 3.3): `__Host-` names (Secure, Path=/, no
 * Domain: no subdomain can set or read them), HttpOnly for the tokens,
 * SameSite=Strict. Also over plain http on a loopback address (the demo at
 * http://localhost:3000, the browser tests at http://127.0.0.1): Chromium and
 * Firefox treat loopback as a secure context and keep `Secure`/`__Host-` cookies
 * there (Safari does not: WebKit bug 281149). Only over plain http on another
 * host outside production (e.g. a LAN address in development), where every
 * browser refuses Secure cookies, do the names drop the prefix and the flag.
 */
export class AuthCookies {
  readonly isSecure: boolean;
  readonly names: CookieNames;

  constructor(
    config: Pick<MendConfig, 'publicUrl' | 'isProduction'>,
    private readonly csrfKey: Buffer,
  ) {
    this.isSecure = config.isProduction || config.publicUrl.startsWith('https://') || isLoopbackHttp(config.publicUrl);
    const prefix = this.isSecure ? '__Host-' : '';
    this.names = { access: `${prefix}mend_access`, refresh: `${prefix}mend_refresh`, csrf: `${prefix}mend_csrf` };
  }

  /** Sets the three cookies of a login session; returns the CSRF token (also in its cookie). */
  set(reply: FastifyReply, tokens: TokenPair, now: Date): string {
    const csrf = csrfTokenFor(this.csrfKey, tokens.loginSessionId);
    const accessSeconds = secondsUntil(tokens.accessTokenExpiresAt, now);
    const refreshSeconds = secondsUntil(tokens.refreshTokenExpiresAt, now);
    void reply.setCookie(this.names.access, tokens.accessToken, this.options(true, accessSeconds));
    void reply.setCookie(this.names.refresh, tokens.refreshToken, this.options(true, refreshSeconds));
    void reply.setCookie(this.names.csrf, csrf, this.options(false, refreshSeconds));
    return csrf;
  }

  clear(reply: FastifyReply): void {
    for (const name of [this.names.access, this.names.refresh, this.names.csrf]) {
      void reply.setCookie(name, '', { ...this.options(name !== this.names.csrf, 0), expires: new Date(0) });
    }
  }

  access(request: FastifyRequest): string | undefined {
    return nonEmpty(request.cookies?.[this.names.access]);
  }

  refresh(request: FastifyRequest): string | undefined {
    return nonEmpty(request.cookies?.[this.names.refresh]);
  }

  /**
   * Double submit: the X-CSRF-Token header equals the CSRF cookie, and (when the
   * login session is known) the token that session was given. A page on another
   * site can make the browser send the cookies, but can neither read the CSRF
   * cookie nor set the header.
   */
  hasValidCsrf(request: FastifyRequest, loginSessionId?: string): boolean {
    const header = request.headers[CSRF_HEADER];
    const cookie = nonEmpty(request.cookies?.[this.names.csrf]);
    if (typeof header !== 'string' || cookie === undefined || !safeEqual(header, cookie)) return false;
    return loginSessionId === undefined || safeEqual(header, csrfTokenFor(this.csrfKey, loginSessionId));
  }

  private options(httpOnly: boolean, maxAgeSeconds: number) {
    return {
      httpOnly,
      secure: this.isSecure,
      sameSite: 'strict' as const,
      path: '/',
      maxAge: maxAgeSeconds,
    };
  }
}

/**
 * `http://localhost`, `http://*.localhost`, `http://127.x.x.x` or `http://[::1]`: a
 * potentially trustworthy origin (W3C Secure Contexts §3.2), where Chromium and
 * Firefox accept Secure cookies over plain http.
 */
export function isLoopbackHttp(publicUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/** GET, HEAD and OPTIONS change nothing; every other method needs the CSRF header with cookies. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

function secondsUntil(when: Date, now: Date): number {
  return Math.max(0, Math.floor((when.getTime() - now.getTime()) / 1000));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
