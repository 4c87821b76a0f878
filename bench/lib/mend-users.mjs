import { randomUUID } from 'node:crypto';

/**
 * Client members of a bench clinic, made as an operator and a person would: the
 * CLI's `clinic:create` and `user:invite`, then each invitation accepted through
 * the API (which hashes the password with the API's PASSWORD_HASH_PROFILE,
 * production in the bench). Clients sign in without a second factor, so a login
 * is exactly one argon2id verify. Shared by every scenario of the run.
 */
export function mendClients(ctx, count = 8) {
  return ctx.once('mend-clients', async () => {
    const api = await ctx.mendApi();
    const urls = await ctx.mendDatabase();
    const env = { DATABASE_URL: urls.runtimeUrl, MASTER_KEY: ctx.runSecret('master', 32) };
    const clinicId = (
      await ctx.cli(
        [
          'clinic:create',
          '--name',
          'Bench Clinic',
          '--admin-email',
          `bench-admin-${ctx.runId}@bench.mend.example`,
          '--admin-password',
          `bench-admin-${randomUUID()}`,
        ],
        env,
      )
    ).trim();
    const clients = [];
    for (let index = 0; index < count; index += 1) {
      const email = `bench-client-${ctx.runId}-${index}@bench.mend.example`;
      const output = await ctx.cli(['user:invite', '--clinic', clinicId, '--email', email, '--roles', 'client'], env);
      const link = output.split('\n').find((line) => line.includes('token='));
      if (link === undefined) throw new Error(`user:invite printed no link: ${output}`);
      const token = new URL(link.trim()).searchParams.get('token');
      const password = `bench-${randomUUID()}`;
      const accepted = await fetch(`${api.baseUrl}/api/v1/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password }),
      });
      if (accepted.status !== 201) throw new Error(`accepting an invitation answered ${accepted.status}`);
      clients.push({ email, password });
    }
    return { clinicId, clients };
  });
}

/** Signs a client in through the API; their bearer access token. */
export async function signInClient(baseUrl, client) {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(client),
  });
  const body = await response.json();
  if (response.status !== 200 || typeof body.accessToken !== 'string') {
    throw new Error(`login answered ${response.status} without a token`);
  }
  return body.accessToken;
}
