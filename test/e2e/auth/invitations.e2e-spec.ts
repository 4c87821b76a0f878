import { connectAs } from '@mend/testing';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  newCredentials,
  postJson,
  signIn,
  startIdentityApp,
  type IdentityApp,
  type Member,
  type Tokens,
} from './support/identity-app.js';

interface InvitationBody {
  invitationId: string;
  email: string;
  roles: string[];
  link: string;
  expiresAt: string;
}

describe('invitations', () => {
  let api: IdentityApp;
  let admin: Member;
  let adminTokens: Tokens;

  beforeAll(async () => {
    api = await startIdentityApp({ env: { PUBLIC_URL: 'https://mend.example.org' } });
    admin = await createClinicWithAdmin(api.identity, 'Inviting Clinic');
    adminTokens = await signIn(api, admin);
  });
  afterAll(() => api.close());

  async function invite(email: string, roles: string[], tokens = adminTokens) {
    return postJson(api, '/api/v1/users', { email, roles }, bearer(tokens.accessToken));
  }

  function tokenOf(link: string): string {
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe('https://mend.example.org/invitations/accept');
    return url.searchParams.get('token') as string;
  }

  it('invites a counselor: the link is accepted once, then the counselor signs in', async () => {
    const { email, password } = newCredentials('counselor');
    const response = await invite(email.toUpperCase(), ['counselor', 'supervisor']);
    expect(response.statusCode).toBe(201);
    const invitation = response.json<InvitationBody>();
    expect(invitation).toMatchObject({ email, roles: ['supervisor', 'counselor'] });
    const token = tokenOf(invitation.link);
    expect(token.startsWith(`${admin.clinicId}.${invitation.invitationId}.`)).toBe(true);

    const accepted = await postJson(api, '/api/v1/invitations/accept', { token, password, displayName: 'Dana Test' });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ clinicId: admin.clinicId, isNewUser: true });

    const again = await postJson(api, '/api/v1/invitations/accept', { token, password });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'invalid_or_expired_link' });

    const tokens = await signIn(api, { email, password });
    expect(tokens.amr).toEqual(['pwd', 'otp']);

    // Only the hash of the secret is stored.
    const db = await connectAs('admin');
    try {
      const { rows } = await db.query<{ token_hash: Buffer }>('select token_hash from invitations where id = $1', [
        invitation.invitationId,
      ]);
      expect(rows[0].token_hash).toHaveLength(32);
      expect(rows[0].token_hash.toString('utf8')).not.toContain(token.split('.')[2]);
    } finally {
      await db.end();
    }
  });

  it('a client invitation creates a client membership (password only, no second factor)', async () => {
    const { email, password } = newCredentials('client');
    const invitation = (await invite(email, ['client'])).json<InvitationBody>();
    const accepted = await postJson(api, '/api/v1/invitations/accept', { token: tokenOf(invitation.link), password });
    expect(accepted.statusCode).toBe(201);
    const tokens = await signIn(api, { email, password });
    expect(tokens).toMatchObject({ roles: ['client'], amr: ['pwd'] });
  });

  it('refuses an expired invitation (7 days)', async () => {
    const { email, password } = newCredentials('late');
    const invitation = (await invite(email, ['client'])).json<InvitationBody>();
    api.clock.advance(7 * 24 * 3_600_000 + 1_000);
    const accepted = await postJson(api, '/api/v1/invitations/accept', { token: tokenOf(invitation.link), password });
    expect(accepted.statusCode).toBe(400);
    // The admin's own session expired meanwhile: sign in again for the next tests.
    adminTokens = await signIn(api, admin);
  });

  it('refuses a withdrawn invitation, and a newer invitation replaces an older one', async () => {
    const { email, password } = newCredentials('withdrawn');
    const older = (await invite(email, ['client'])).json<InvitationBody>();
    const newer = (await invite(email, ['counselor'])).json<InvitationBody>();
    expect(
      (await postJson(api, '/api/v1/invitations/accept', { token: tokenOf(older.link), password })).statusCode,
    ).toBe(400);

    const list = await api.inject({
      method: 'GET',
      url: '/api/v1/invitations',
      headers: bearer(adminTokens.accessToken),
    });
    expect(list.json<{ invitationId: string }[]>().map((item) => item.invitationId)).toContain(newer.invitationId);
    const withdraw = await api.inject({
      method: 'DELETE',
      url: `/api/v1/invitations/${newer.invitationId}`,
      headers: bearer(adminTokens.accessToken),
    });
    expect(withdraw.statusCode).toBe(204);
    expect(
      (await postJson(api, '/api/v1/invitations/accept', { token: tokenOf(newer.link), password })).statusCode,
    ).toBe(400);
  });

  it('refuses a tampered token and a common password', async () => {
    const { email } = newCredentials('tamper');
    const invitation = (await invite(email, ['client'])).json<InvitationBody>();
    const token = tokenOf(invitation.link);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(
      (await postJson(api, '/api/v1/invitations/accept', { token: tampered, password: 'fine-password-123' }))
        .statusCode,
    ).toBe(400);
    const weak = await postJson(api, '/api/v1/invitations/accept', { token, password: 'iloveyou1' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ code: 'weak_password' });
  });

  it('an existing account (of another clinic) joins only with its own password, which stays unchanged', async () => {
    const otherClinic = await createClinicWithAdmin(api.identity, 'Other Clinic');
    const person = await addMember(api.identity, otherClinic.clinicId, ['client']);
    const invitation = (await invite(person.email, ['client'])).json<InvitationBody>();
    const token = tokenOf(invitation.link);

    const takeover = await postJson(api, '/api/v1/invitations/accept', { token, password: 'attacker-chosen-password' });
    expect(takeover.statusCode).toBe(422);
    expect(takeover.json()).toMatchObject({ code: 'existing_account_password_mismatch' });
    const linked = await postJson(api, '/api/v1/invitations/accept', { token, password: person.password });
    expect(linked.statusCode).toBe(201);
    expect(linked.json()).toMatchObject({ isNewUser: false, userId: person.userId });

    const choice = await postJson(api, '/api/v1/auth/login', { email: person.email, password: person.password });
    expect(choice.json()).toMatchObject({ membershipChoiceRequired: true });
  });

  it('refuses to invite an active member again (409) and non-admins altogether (403)', async () => {
    const member = await addMember(api.identity, admin.clinicId, ['client']);
    expect((await invite(member.email, ['client'])).statusCode).toBe(409);
    const counselor = await addMember(api.identity, admin.clinicId, ['counselor']);
    const counselorTokens = await signIn(api, counselor);
    const refused = await invite(newCredentials().email, ['client'], counselorTokens);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'forbidden' });
  });

  it('refuses invalid roles (client with staff) and unknown roles', async () => {
    expect((await invite(newCredentials().email, ['client', 'counselor'])).statusCode).toBe(422);
    expect((await invite(newCredentials().email, ['owner'])).statusCode).toBe(400);
  });
});
