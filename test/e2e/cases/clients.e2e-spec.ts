import { UnitOfWork } from '@mend/core';

import { postJson, startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { tokenOfLink } from '../authorization/support/authorization-world.js';
import { createCaseWorld, insertClient, type CaseWorld } from './support/case-world.js';
import { call, type Problem } from './support/http.js';

interface ClientBody {
  id: string;
  displayName: string;
  email: string | null;
  timezone: string;
  reminderChannel: string;
  reminderTime: string | null;
  discreetNotifications: boolean;
  status: string;
  hasPortalAccess: boolean;
  invitationPending: boolean;
  invitation?: { invitationId: string; link: string };
}

interface ClientPage {
  items: ClientBody[];
  nextCursor: string | null;
}

describe('clients (routes, validation, visibility, portal invitation)', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  const create = (headers: Record<string, string>, body: Record<string, unknown>) =>
    call(api, 'POST', '/clients', headers, body);

  it('registers a client with contact, time zone and reminder preferences', async () => {
    const response = await create(world.counselor.headers, {
      displayName: 'Synthetic Riley Stone',
      email: 'Riley.Stone@Example.org',
      phone: '+44 20 7946 0011',
      timezone: 'America/New_York',
      reminderChannel: 'in_app',
      reminderTime: '19:30',
      discreetNotifications: true,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json<ClientBody>()).toMatchObject({
      displayName: 'Synthetic Riley Stone',
      email: 'riley.stone@example.org',
      timezone: 'America/New_York',
      reminderChannel: 'in_app',
      reminderTime: '19:30',
      discreetNotifications: true,
      status: 'active',
      hasPortalAccess: false,
      invitationPending: false,
    });
  });

  it.each([
    [{ displayName: 'X', timezone: 'Mars/Olympus' }, 'timezone', 'isTimeZone'],
    [{ displayName: 'X', timezone: 'UTC', reminderChannel: 'sms' }, 'reminderChannel', 'isIn'],
    [{ displayName: 'X', timezone: 'UTC', reminderTime: '25:00' }, 'reminderTime', 'matches'],
    [{ displayName: 'X', timezone: 'UTC', email: 'not-an-email' }, 'email', 'isEmail'],
    [{ displayName: '', timezone: 'UTC' }, 'displayName', 'isLength'],
    [{ timezone: 'UTC' }, 'displayName', 'isString'],
    [{ displayName: 'X', timezone: 'UTC', clinicId: 'x' }, 'clinicId', 'whitelistValidation'],
  ])('refuses bad input %j naming %s and the rule', async (body, field, rule) => {
    const response = await create(world.counselor.headers, body);
    expect(response.statusCode).toBe(400);
    expect(response.json<Problem>().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });

  it('lists only the clients each member may see, with paging, search and sorting', async () => {
    const own = [];
    for (const name of ['Synthetic Page Alpha', 'Synthetic Page Beta', 'Synthetic Page Gamma']) {
      own.push((await create(world.counselor.headers, { displayName: name, timezone: 'UTC' })).json<ClientBody>().id);
    }
    const first = await call(api, 'GET', '/clients?q=page&limit=2', world.counselor.headers);
    expect(first.statusCode).toBe(200);
    const page1 = first.json<ClientPage>();
    expect(page1.items.map((client) => client.displayName)).toEqual(['Synthetic Page Alpha', 'Synthetic Page Beta']);
    expect(page1.nextCursor).not.toBeNull();
    const second = await call(
      api,
      'GET',
      `/clients?q=page&limit=2&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`,
      world.counselor.headers,
    );
    expect(second.json<ClientPage>()).toEqual({
      items: [expect.objectContaining({ displayName: 'Synthetic Page Gamma' })],
      nextCursor: null,
    });
    const descending = await call(api, 'GET', '/clients?q=page&sort=displayName&order=desc', world.counselor.headers);
    expect(descending.json<ClientPage>().items.map((client) => client.displayName)).toEqual([
      'Synthetic Page Gamma',
      'Synthetic Page Beta',
      'Synthetic Page Alpha',
    ]);

    const ids = async (headers: Record<string, string>) =>
      (await call(api, 'GET', '/clients?limit=100', headers)).json<ClientPage>().items.map((client) => client.id);
    // The counselor: the ones they registered and the partners of their case.
    expect(await ids(world.counselor.headers)).toEqual(
      expect.arrayContaining([...own, world.partnerA.clientId, world.partnerB.clientId]),
    );
    // Another counselor sees none of them; the supervisor of the counselor sees them; the admin sees all.
    expect(await ids(world.otherCounselor.headers)).toEqual([]);
    expect(await ids(world.supervisor.headers)).toEqual(expect.arrayContaining([...own, world.partnerA.clientId]));
    expect(await ids(world.admin.headers)).toEqual(expect.arrayContaining([...own, world.partnerB.clientId]));
    // Clients do not list clients.
    expect((await call(api, 'GET', '/clients', world.partnerA.headers)).statusCode).toBe(403);
  });

  it.each([
    ['sort=email', 'sort', 'isIn'],
    ['status=deleted', 'status', 'isIn'],
    ['limit=0', 'limit', 'min'],
    ['cursor=bogus', 'cursor', 'isCursor'],
    ['color=red', 'color', 'whitelistValidation'],
  ])('refuses the list query %s', async (query, field, rule) => {
    const response = await call(api, 'GET', `/clients?${query}`, world.counselor.headers);
    expect(response.statusCode).toBe(400);
    expect(response.json<Problem>().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });

  it('shows a client to their care team, supervisor, the admin and themselves; 404 to everyone else', async () => {
    const url = `/clients/${world.partnerA.clientId}`;
    for (const headers of [
      world.counselor.headers,
      world.supervisor.headers,
      world.admin.headers,
      world.partnerA.headers,
    ]) {
      expect((await call(api, 'GET', url, headers)).statusCode).toBe(200);
    }
    expect((await call(api, 'GET', url, world.otherCounselor.headers)).statusCode).toBe(404);
    expect((await call(api, 'GET', url, world.partnerB.headers)).statusCode).toBe(404);
  });

  it('updates a client (care team) and their preferences (themselves), audited by field name only', async () => {
    const url = `/clients/${world.partnerB.clientId}`;
    const updated = await call(api, 'PATCH', url, world.counselor.headers, {
      phone: '+1 555 0100',
      timezone: 'Asia/Tokyo',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json<ClientBody>().timezone).toBe('Asia/Tokyo');
    // The client may not change their record, only their preferences.
    expect((await call(api, 'PATCH', url, world.partnerB.headers, { displayName: 'X' })).statusCode).toBe(403);
    const preferences = await call(api, 'PATCH', `${url}/preferences`, world.partnerB.headers, {
      reminderChannel: 'in_app',
      reminderTime: '07:45',
      discreetNotifications: true,
    });
    expect(preferences.statusCode).toBe(200);
    expect(preferences.json<ClientBody>()).toMatchObject({ reminderTime: '07:45', discreetNotifications: true });
    expect(
      (await call(api, 'PATCH', `${url}/preferences`, world.partnerB.headers, { timezone: 'Nowhere/City' })).statusCode,
    ).toBe(400);
    const audit = await api.app
      .get(UnitOfWork)
      .run(world.clinicId, (tx) =>
        tx.query<{ action: string; metadata: unknown }>(
          `select action, metadata from audit_events where clinic_id = $1 and target_id = $2 and action = 'client.update'`,
          [world.clinicId, world.partnerB.clientId],
        ),
      );
    expect(audit.map((row) => row.metadata)).toEqual(
      expect.arrayContaining([
        { fields: ['phone', 'timezone'] },
        { fields: ['discreetNotifications', 'reminderChannel', 'reminderTime'] },
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain('555');
  });

  it('archives a client not in an open case, hides them from the default list, and restores them', async () => {
    const inCase = await call(api, 'POST', `/clients/${world.partnerA.clientId}/archive`, world.counselor.headers);
    expect(inCase.statusCode).toBe(422);
    expect(inCase.json<Problem>().code).toBe('client_in_open_case');

    const id = (
      await create(world.counselor.headers, { displayName: 'Synthetic Archive Me', timezone: 'UTC' })
    ).json<ClientBody>().id;
    const archived = await call(api, 'POST', `/clients/${id}/archive`, world.counselor.headers);
    expect(archived.statusCode).toBe(200);
    expect(archived.json<ClientBody>().status).toBe('archived');
    const active = (await call(api, 'GET', '/clients?q=archive%20me', world.counselor.headers)).json<ClientPage>();
    expect(active.items).toEqual([]);
    const listed = (
      await call(api, 'GET', '/clients?q=archive%20me&status=archived', world.counselor.headers)
    ).json<ClientPage>();
    expect(listed.items.map((client) => client.id)).toEqual([id]);
    const restored = await call(api, 'POST', `/clients/${id}/restore`, world.counselor.headers);
    expect(restored.json<ClientBody>().status).toBe('active');
    expect((await call(api, 'POST', `/clients/${id}/archive`, world.otherCounselor.headers)).statusCode).toBe(404);
  });

  it('invites a client to the portal and links the accepted membership to the client record', async () => {
    const noEmail = (
      await create(world.counselor.headers, { displayName: 'Synthetic No Email', timezone: 'UTC' })
    ).json<ClientBody>();
    const refused = await call(api, 'POST', `/clients/${noEmail.id}/invitation`, world.counselor.headers);
    expect(refused.statusCode).toBe(422);
    expect(refused.json<Problem>().code).toBe('client_email_required');

    const created = await create(world.counselor.headers, {
      displayName: 'Synthetic Portal Person',
      email: `portal-${Date.now()}@example.org`,
      timezone: 'Europe/Paris',
      invite: true,
    });
    expect(created.statusCode).toBe(201);
    const client = created.json<ClientBody>();
    expect(client.invitationPending).toBe(true);
    expect(client.invitation?.link).toContain('token=');
    const password = 'a-long-synthetic-passphrase-for-portal';
    const accepted = await postJson(api, '/api/v1/invitations/accept', {
      token: tokenOfLink(client.invitation?.link ?? ''),
      password,
    });
    expect(accepted.statusCode).toBe(201);
    const read = await call(api, 'GET', `/clients/${client.id}`, world.counselor.headers);
    expect(read.json<ClientBody>()).toMatchObject({ hasPortalAccess: true, invitationPending: false });
    // Already linked: a second invitation is a conflict.
    expect((await call(api, 'POST', `/clients/${client.id}/invitation`, world.counselor.headers)).statusCode).toBe(409);
    // The other counselor may not invite someone they do not look after.
    expect(
      (await call(api, 'POST', `/clients/${noEmail.id}/invitation`, world.otherCounselor.headers)).statusCode,
    ).toBe(404);
  });

  it('keeps fixture-inserted clients of other counselors invisible in search', async () => {
    const hidden = await insertClient(api, world.clinicId, { displayName: 'Synthetic Hidden Person' });
    const found = (await call(api, 'GET', '/clients?q=hidden', world.counselor.headers)).json<ClientPage>();
    expect(found.items.map((client) => client.id)).not.toContain(hidden);
    const admin = (await call(api, 'GET', '/clients?q=hidden', world.admin.headers)).json<ClientPage>();
    expect(admin.items.map((client) => client.id)).toContain(hidden);
  });
});
