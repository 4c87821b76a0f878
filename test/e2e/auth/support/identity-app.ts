import { randomUUID } from 'node:crypto';

import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

import { Database } from '@mend/core';
import { ManualClock, type IdentityServices, type SecondFactorVerifier } from '@mend/identity';
import { seededFaker, testConfig, testLogger } from '@mend/testing';

import type { IdentityApiOptions } from '../../../../apps/api/src/auth/identity-api.module.js';
import { IDENTITY_SERVICES } from '../../../../apps/api/src/auth/identity.tokens.js';
import { createApiApplication } from '../../../../apps/api/src/bootstrap.js';

/** The TOTP code the fake second factor accepts (the real one lives in libs/identity/src/mfa). */
export const GOOD_CODE = '246810';

/** A second factor that accepts GOOD_CODE for enrolled users; records what it was asked. */
export function fakeSecondFactor(enrolled = true): SecondFactorVerifier & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isEnrolled: () => Promise.resolve(enrolled),
    verify: (userId: string, code: string) => {
      calls.push(userId);
      return Promise.resolve(enrolled && code === GOOD_CODE ? 'otp' : null);
    },
  };
}

export interface IdentityApp {
  readonly app: NestFastifyApplication;
  readonly identity: IdentityServices;
  readonly clock: ManualClock;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startIdentityApp(
  options: {
    readonly env?: Record<string, string>;
    readonly identity?: IdentityApiOptions;
    /** Test-only controllers served beside the API's own. */
    readonly extraControllers?: readonly Type[];
  } = {},
): Promise<IdentityApp> {
  const clock = new ManualClock();
  const app = await createApiApplication(testConfig(options.env), testLogger('test'), {
    extraControllers: options.extraControllers,
    identity: { clock, secondFactor: fakeSecondFactor(), ...options.identity },
  });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const identity = app.get<IdentityServices>(IDENTITY_SERVICES);
  // The database connects in the background.
  await app.get(Database).whenReady();
  return {
    app,
    identity,
    clock: (options.identity?.clock as ManualClock | undefined) ?? clock,
    inject: (injectOptions) => fastify.inject(injectOptions),
    close: () => app.close(),
  };
}

export interface Member {
  readonly email: string;
  readonly password: string;
  readonly userId: string;
  readonly membershipId: string;
  readonly clinicId: string;
}

let counter = 0;

/** A synthetic, unique email and a strong synthetic password. */
export function newCredentials(label = 'person'): { email: string; password: string } {
  counter += 1;
  const faker = seededFaker(counter + Date.now());
  return {
    email: `${label}.${counter}.${randomUUID().slice(0, 8)}@test.mend.example`,
    password: `${faker.word.adjective()}-${faker.word.noun()}-${randomUUID().slice(0, 12)}`,
  };
}

/** A clinic with an admin (created the way the CLI does). */
export async function createClinicWithAdmin(identity: IdentityServices, name = 'Synthetic Clinic'): Promise<Member> {
  const credentials = newCredentials('admin');
  const created = await identity.provisioning.createClinic({
    name,
    admin: { ...credentials, displayName: 'Synthetic Admin' },
  });
  return { ...credentials, userId: created.userId, membershipId: created.membershipId, clinicId: created.clinicId };
}

export async function addMember(
  identity: IdentityServices,
  clinicId: string,
  roles: string[],
  credentials = newCredentials(roles[0]),
): Promise<Member> {
  const member = await identity.provisioning.ensureMember(clinicId, { ...credentials, roles });
  return { ...credentials, userId: member.userId, membershipId: member.membershipId, clinicId };
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

export async function postJson(
  api: IdentityApp,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return api.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { ...JSON_HEADERS, ...headers } });
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  loginSessionId: string;
  membershipId: string;
  clinicId: string;
  amr: string[];
}

/** Signs a member in with a password (and the fake second factor for staff). */
export async function signIn(
  api: IdentityApp,
  member: Pick<Member, 'email' | 'password'> & { membershipId?: string },
): Promise<Tokens> {
  const first = await postJson(api, '/api/v1/auth/login', {
    email: member.email,
    password: member.password,
    ...(member.membershipId !== undefined && { membershipId: member.membershipId }),
  });
  if (first.statusCode !== 200) throw new Error(`login answered ${first.statusCode}: ${first.body}`);
  let body = first.json<Record<string, unknown>>();
  if (body.mfaRequired === true) {
    const second = await postJson(api, '/api/v1/auth/mfa/verify', { mfaToken: body.mfaToken, code: GOOD_CODE });
    if (second.statusCode !== 200) throw new Error(`mfa/verify answered ${second.statusCode}: ${second.body}`);
    body = second.json<Record<string, unknown>>();
  }
  return body as unknown as Tokens;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
