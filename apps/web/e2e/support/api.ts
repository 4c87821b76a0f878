import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { BASE_URL, DEMO_PASSWORD, RESULTS_DIR } from './env.js';
import { freshTotpCode } from './totp.js';

/**
 * Test setup through the real API (bearer tokens, as a script would): seed what
 * a journey needs (e.g. the counselor's assignment) without clicking through it.
 * Staff sign in with their second factor: the first sign-in of a staff member
 * enrols one and keeps its secret in test-results/staff-secrets.json, so later
 * sign-ins (this file or another, the browser included) can compute codes.
 */
export class ApiSession {
  private constructor(private readonly accessToken: string) {}

  static async signIn(email: string, password = DEMO_PASSWORD): Promise<ApiSession> {
    const login = await post<LoginAnswer>('/api/v1/auth/login', { email, password, tokenDelivery: 'body' });
    if (login.accessToken !== undefined) return new ApiSession(login.accessToken);
    if (!login.mfaRequired || login.mfaToken === undefined) throw new Error(`sign-in of ${email}: unexpected answer`);
    let secret = staffSecret(email);
    if (login.mfaEnrolled === false || secret === undefined) {
      const started = await post<{ secret: string }>('/api/v1/auth/mfa/enroll/start', { mfaToken: login.mfaToken });
      secret = started.secret;
      const confirmed = await post<LoginAnswer>('/api/v1/auth/mfa/enroll/confirm', {
        mfaToken: login.mfaToken,
        code: await freshTotpCode(secret),
        tokenDelivery: 'body',
      });
      saveStaffSecret(email, secret);
      if (confirmed.accessToken === undefined) throw new Error(`enrolment of ${email} gave no token`);
      return new ApiSession(confirmed.accessToken);
    }
    const verified = await post<LoginAnswer>('/api/v1/auth/mfa/verify', {
      mfaToken: login.mfaToken,
      code: await freshTotpCode(secret),
      tokenDelivery: 'body',
    });
    if (verified.accessToken === undefined) throw new Error(`second factor of ${email} gave no token`);
    return new ApiSession(verified.accessToken);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${BASE_URL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.accessToken}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The raw answer (status and headers), whatever its status. */
  async raw(method: string, path: string): Promise<Response> {
    const response = await fetch(`${BASE_URL}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.accessToken}` },
    });
    await response.clone().arrayBuffer();
    return response;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }
}

interface LoginAnswer {
  readonly accessToken?: string;
  readonly mfaRequired: boolean;
  readonly mfaToken?: string;
  readonly mfaEnrolled?: boolean;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${BASE_URL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

const secretsFile = () => join(RESULTS_DIR, 'staff-secrets.json');

/** The TOTP secret a staff member enrolled in this run (API or browser), if any. */
export function staffSecret(email: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(secretsFile(), 'utf8')) as Record<string, string>)[email];
  } catch {
    return undefined;
  }
}

export function saveStaffSecret(email: string, secret: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  let all: Record<string, string> = {};
  try {
    all = JSON.parse(readFileSync(secretsFile(), 'utf8')) as Record<string, string>;
  } catch {
    // first one
  }
  all[email] = secret;
  writeFileSync(secretsFile(), JSON.stringify(all, null, 2));
}
