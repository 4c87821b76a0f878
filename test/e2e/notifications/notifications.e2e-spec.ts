import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';
import { DisclosureLog } from '@mend/repair-plans';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';

/** The in-app notification centre: the author of a disclosed item hears of it, nobody else; self only. */
describe('notifications (e2e)', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  const send = (method: 'GET' | 'POST', url: string, headers: Record<string, string>) =>
    api.inject({ method, url, headers });
  const unread = async (headers: Record<string, string>) =>
    (await send('GET', '/api/v1/notifications/unread-count', headers)).json<{ unread: number }>().unread;
  const disclose = (
    authorClientId: string,
    disclosedByMembershipId: string,
    mode: 'released_by_author' | 'shared_by_care_team',
  ) =>
    api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
      api.app.get(DisclosureLog).record(tx, {
        caseId: world.caseId,
        itemType: 'homework.submission',
        itemId: randomUUID(),
        authorClientId,
        disclosedByMembershipId,
        mode,
      }),
    );

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  it('notifies the author (not the other partner) with a content-free title; counts, pages and marks read', async () => {
    for (let index = 0; index < 3; index += 1) {
      await disclose(world.partnerA.clientId, world.counselor.member.membershipId, 'shared_by_care_team');
    }
    // The author releasing their own item is not told about it.
    await disclose(world.partnerB.clientId, world.partnerB.member.membershipId, 'released_by_author');
    expect(await unread(world.partnerA.headers)).toBe(3);
    expect(await unread(world.partnerB.headers)).toBe(0);
    expect(await unread(world.counselor.headers)).toBe(0);

    const first = await send('GET', '/api/v1/notifications?limit=2', world.partnerA.headers);
    expect(first.statusCode).toBe(200);
    const page = first.json<{ items: { id: string; title: string; createdAt: string }[]; nextCursor: string }>();
    expect(page.items).toHaveLength(2);
    expect(page.items.every((item) => item.title === 'Something you wrote was shared in your case')).toBe(true);
    const second = await send('GET', `/api/v1/notifications?limit=2&before=${page.nextCursor}`, world.partnerA.headers);
    const rest = second.json<{ items: { id: string }[]; nextCursor: string | null }>();
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const all = [...page.items.map((item) => item.id), rest.items[0].id];
    expect(new Set(all).size).toBe(3);

    // Another member cannot mark yours (404, like an unknown id), and nothing changes.
    const foreign = await send('POST', `/api/v1/notifications/${all[0]}/read`, world.partnerB.headers);
    expect(foreign.json()).toMatchObject({ status: 404, code: 'not_found' });
    const unknown = await send('POST', `/api/v1/notifications/${randomUUID()}/read`, world.partnerA.headers);
    expect(unknown.statusCode).toBe(404);
    expect(await unread(world.partnerA.headers)).toBe(3);

    const read = await send('POST', `/api/v1/notifications/${all[0]}/read`, world.partnerA.headers);
    expect(read.statusCode).toBe(200);
    expect(read.json<{ readAt: string | null }>().readAt).not.toBeNull();
    expect(await unread(world.partnerA.headers)).toBe(2);
    const unreadOnly = await send('GET', '/api/v1/notifications?unreadOnly=true', world.partnerA.headers);
    expect(unreadOnly.json<{ items: unknown[] }>().items).toHaveLength(2);

    const readAll = await send('POST', '/api/v1/notifications/read-all', world.partnerA.headers);
    expect(readAll.json()).toEqual({ marked: 2 });
    expect(await unread(world.partnerA.headers)).toBe(0);
  });

  it('rejects bad paging input, naming the field and rule', async () => {
    const bad = await send('GET', '/api/v1/notifications?limit=0', world.partnerA.headers);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string; rule: string }[] }>().errors).toEqual([
      expect.objectContaining({ field: 'limit', rule: 'min' }),
    ]);
    const cursor = await send('GET', '/api/v1/notifications?before=garbage', world.partnerA.headers);
    expect(cursor.json()).toMatchObject({ status: 400, errors: [{ field: 'before' }] });
    const id = await send('POST', '/api/v1/notifications/not-a-uuid/read', world.partnerA.headers);
    expect(id.json()).toMatchObject({ status: 400, errors: [{ field: 'notificationId', rule: 'isUuid' }] });
  });
});
