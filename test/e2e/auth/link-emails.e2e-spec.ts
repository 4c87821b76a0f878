import { mailBody, mailHeaders, startSmtpSink, type SmtpSink } from '@mend/testing';

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

/**
 * With SMTP configured the API emails invitation links (staff, and clients from
 * both client routes) and password-reset links, through a real SMTP server
 * started by the test, after the request committed; a refused request mails
 * nothing. The admin still receives the link in the answer.
 */
describe('invitation and password-reset links by email', () => {
  let sink: SmtpSink;
  let api: IdentityApp;
  let admin: Member;
  let adminTokens: Tokens;

  beforeAll(async () => {
    sink = await startSmtpSink();
    api = await startIdentityApp({
      env: { PUBLIC_URL: 'https://mend.example.org', SMTP_URL: sink.url, SMTP_FROM: 'Mend <no-reply@mend.example>' },
    });
    admin = await createClinicWithAdmin(api.identity, 'Mailing Clinic');
    adminTokens = await signIn(api, admin);
  });
  afterAll(async () => {
    await api?.close();
    await sink?.close();
  });

  /** The message sent to `to`, waiting for it (the email goes out after the answer). */
  async function mailTo(to: string): Promise<{ subject: string | undefined; body: string }> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const mail = sink.received.find((message) => message.to.includes(to));
      if (mail !== undefined) return { subject: mailHeaders(mail.raw).get('subject'), body: mailBody(mail.raw) };
      if (Date.now() > deadline) throw new Error(`no email reached ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('emails a staff invitation link to the invitee', async () => {
    const { email } = newCredentials('counselor');
    const response = await postJson(
      api,
      '/api/v1/users',
      { email, roles: ['counselor'] },
      bearer(adminTokens.accessToken),
    );
    expect(response.statusCode).toBe(201);
    const { link } = response.json<{ link: string }>();
    const mail = await mailTo(email);
    expect(mail.subject).toBe('You have been invited to Mend');
    expect(mail.body).toContain(link);
  });

  it('emails the portal invitation when a client is registered with invite: true, and when invited later', async () => {
    const first = newCredentials('client');
    const created = await postJson(
      api,
      '/api/v1/clients',
      { displayName: 'Rowan Test', timezone: 'Europe/London', email: first.email, invite: true },
      bearer(adminTokens.accessToken),
    );
    expect(created.statusCode).toBe(201);
    const createdMail = await mailTo(first.email);
    expect(createdMail.body).toContain(created.json<{ invitation: { link: string } }>().invitation.link);
    // No clinical or personal detail in the message: the name given to the clinic is not in it.
    expect(createdMail.body).not.toContain('Rowan');

    const second = newCredentials('client');
    const registered = await postJson(
      api,
      '/api/v1/clients',
      { displayName: 'Avery Test', timezone: 'Europe/London', email: second.email },
      bearer(adminTokens.accessToken),
    );
    expect(registered.statusCode).toBe(201);
    const clientId = registered.json<{ id: string }>().id;
    const invited = await postJson(api, `/api/v1/clients/${clientId}/invitation`, {}, bearer(adminTokens.accessToken));
    expect(invited.statusCode).toBe(201);
    const invitedMail = await mailTo(second.email);
    expect(invitedMail.subject).toBe('You have been invited to Mend');
    expect(invitedMail.body).toContain(invited.json<{ link: string }>().link);
  });

  it('emails a password-reset link to the member', async () => {
    const member = await addMember(api.identity, admin.clinicId, ['counselor']);
    const response = await postJson(
      api,
      `/api/v1/users/${member.membershipId}/password-reset-link`,
      {},
      bearer(adminTokens.accessToken),
    );
    expect(response.statusCode).toBe(201);
    const mail = await mailTo(member.email);
    expect(mail.subject).toBe('Reset your Mend password');
    expect(mail.body).toContain(response.json<{ link: string }>().link);
  });

  it('mails nothing for a refused invitation', async () => {
    const registered = await postJson(
      api,
      '/api/v1/clients',
      { displayName: 'Quinn Test', timezone: 'Europe/London' },
      bearer(adminTokens.accessToken),
    );
    expect(registered.statusCode).toBe(201);
    const before = sink.received.length;
    const refused = await postJson(
      api,
      `/api/v1/clients/${registered.json<{ id: string }>().id}/invitation`,
      {},
      bearer(adminTokens.accessToken),
    );
    expect(refused.statusCode).toBe(422);
    // A later, successful request's mail proves the mailer had the time to send a wrong one.
    const { email } = newCredentials('counselor');
    expect(
      (await postJson(api, '/api/v1/users', { email, roles: ['counselor'] }, bearer(adminTokens.accessToken)))
        .statusCode,
    ).toBe(201);
    await mailTo(email);
    expect(sink.received.slice(before).map((message) => message.to)).toEqual([[email]]);
  });
});
