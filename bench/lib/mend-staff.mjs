import { randomUUID } from 'node:crypto';

/** One JSON call to the built API (`/api/v1` + path); throws on a non-2xx answer, with its status and body start. */
export async function apiRequest(baseUrl, method, path, body, token) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text === '' ? {} : JSON.parse(text);
}

/**
 * A counselor of a new bench clinic, made as in production: the clinic and its
 * admin created with the CLI, the counselor invited with the CLI, the
 * invitation accepted through the API, and the second factor (TOTP from the
 * built identity library) enrolled during the first sign-in — staff never sign
 * in without one outside the demo. `label` names the clinic and the emails.
 * Returns the counselor's access token, the clinic id and the CLI environment.
 */
export async function signedInCounselor(ctx, baseUrl, label) {
  const urls = await ctx.mendDatabase();
  const env = { DATABASE_URL: urls.runtimeUrl, MASTER_KEY: ctx.runSecret('master', 32) };
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const clinicId = (
    await ctx.cli(
      [
        'clinic:create',
        '--name',
        `Bench ${label} Clinic`,
        '--admin-email',
        `bench-${slug}-admin-${ctx.runId}@bench.mend.example`,
        '--admin-password',
        `bench-admin-${randomUUID()}`,
      ],
      env,
    )
  ).trim();
  const email = `bench-${slug}-counselor-${ctx.runId}@bench.mend.example`;
  const output = await ctx.cli(['user:invite', '--clinic', clinicId, '--email', email, '--roles', 'counselor'], env);
  const link = output.split('\n').find((line) => line.includes('token='));
  if (link === undefined) throw new Error(`user:invite printed no link: ${output}`);
  const password = `bench-${randomUUID()}`;
  await apiRequest(baseUrl, 'POST', '/invitations/accept', {
    token: new URL(link.trim()).searchParams.get('token'),
    password,
  });
  const { totpCodeAt } = await ctx.importDist('libs/identity/src/index.js');
  const login = await apiRequest(baseUrl, 'POST', '/auth/login', { email, password });
  if (typeof login.mfaToken !== 'string') throw new Error('the counselor sign-in asked for no second factor');
  const { secret } = await apiRequest(baseUrl, 'POST', '/auth/mfa/enroll/start', { mfaToken: login.mfaToken });
  const confirmed = await apiRequest(baseUrl, 'POST', '/auth/mfa/enroll/confirm', {
    mfaToken: login.mfaToken,
    code: await totpCodeAt(secret, Date.now()),
  });
  const token = confirmed.accessToken;
  if (typeof token !== 'string') throw new Error('enrolling the second factor answered no access token');
  return { token, clinicId, env };
}
