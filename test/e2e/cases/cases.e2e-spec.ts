import { UnitOfWork } from '@mend/core';

import { startIdentityApp, type IdentityApp } from '../auth/support/identity-app.js';
import { createCaseWorld, insertCase, insertClient, type CaseWorld } from './support/case-world.js';
import { call, type Problem } from './support/http.js';

interface CaseBody {
  view: string;
  id: string;
  title?: string;
  type: string;
  status: string;
  outcome?: string | null;
  participants: { clientId: string; displayName: string; role?: string; roleLabel?: string }[];
  careTeam: { membershipId: string; isPrimary: boolean }[];
  safety?: { status: string; reason: string | null };
  sharedSpacePaused?: boolean;
  updatedAt?: string;
}

interface CasePage {
  items: CaseBody[];
  nextCursor: string | null;
}

interface StatusChange {
  fromStatus: string | null;
  toStatus: string;
  outcome: string | null;
  reason?: string | null;
  changedAt: string;
}

describe('cases (routes, rules, views)', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  const newClient = async (name = 'Synthetic Case Client') =>
    (await call(api, 'POST', '/clients', world.counselor.headers, { displayName: name, timezone: 'UTC' })).json<{
      id: string;
    }>().id;

  /** A fresh case of the counselor with two new clients. */
  const newCase = async (extra: Record<string, unknown> = {}) => {
    const [a, b] = [await newClient(), await newClient()];
    const response = await call(api, 'POST', '/cases', world.counselor.headers, {
      type: 'couple',
      title: 'Synthetic repair work',
      participants: [
        { clientId: a, role: 'harmed' },
        { clientId: b, role: 'harming' },
      ],
      ...extra,
    });
    expect(response.statusCode).toBe(201);
    return { caseId: response.json<CaseBody>().id, a, b };
  };

  describe('creating', () => {
    it('opens a case in intake with the creating counselor as primary', async () => {
      const a = await newClient();
      const response = await call(api, 'POST', '/cases', world.counselor.headers, {
        type: 'individual',
        title: 'Synthetic individual work',
        participants: [{ clientId: a, role: 'individual' }],
      });
      expect(response.statusCode).toBe(201);
      expect(response.json<CaseBody>()).toMatchObject({
        view: 'care_team',
        type: 'individual',
        status: 'intake',
        careTeam: [{ membershipId: world.counselor.member.membershipId, isPrimary: true }],
        participants: [{ clientId: a, role: 'individual', roleLabel: 'Individual client' }],
        safety: { status: 'normal', reason: null },
      });
    });

    it.each([
      ['an unknown type', { type: 'polycule' }, 400, 'validation_failed', 'type', 'isIn'],
      [
        'an unknown role',
        { participants: [{ clientId: '00000000-0000-4000-8000-000000000001', role: 'villain' }] },
        400,
        'validation_failed',
        'participants[0].role',
        'isIn',
      ],
      ['a blank title', { title: '   ' }, 400, 'validation_failed', 'title', 'matches'],
      ['no participant', { participants: [] }, 422, 'no_participant', 'participants', 'minParticipants'],
    ])('refuses %s', async (_name, patch, status, code, field, rule) => {
      const a = await newClient();
      const response = await call(api, 'POST', '/cases', world.counselor.headers, {
        type: 'couple',
        title: 'Synthetic',
        participants: [{ clientId: a, role: 'harmed' }],
        ...patch,
      });
      expect(response.statusCode).toBe(status);
      expect(response.json<Problem>()).toMatchObject({
        code,
        errors: expect.arrayContaining([expect.objectContaining({ field, rule })]),
      });
    });

    it('refuses a participant named twice (409), a client the counselor does not look after (422) and a primary off the care team (422)', async () => {
      const a = await newClient();
      const twice = await call(api, 'POST', '/cases', world.counselor.headers, {
        type: 'couple',
        title: 'Synthetic',
        participants: [
          { clientId: a, role: 'harmed' },
          { clientId: a, role: 'harming' },
        ],
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json<Problem>().code).toBe('participant_exists');

      const stranger = await insertClient(api, world.clinicId, {});
      const unknown = await call(api, 'POST', '/cases', world.counselor.headers, {
        type: 'individual',
        title: 'Synthetic',
        participants: [{ clientId: stranger, role: 'individual' }],
      });
      expect(unknown.statusCode).toBe(422);
      expect(unknown.json<Problem>().code).toBe('unknown_client');

      const offTeam = await call(api, 'POST', '/cases', world.counselor.headers, {
        type: 'individual',
        title: 'Synthetic',
        participants: [{ clientId: a, role: 'individual' }],
        careTeamMembershipIds: [world.counselor.member.membershipId],
        primaryMembershipId: world.otherCounselor.member.membershipId,
      });
      expect(offTeam.statusCode).toBe(422);
      expect(offTeam.json<Problem>()).toMatchObject({
        code: 'primary_not_on_care_team',
        errors: [expect.objectContaining({ field: 'primaryMembershipId' })],
      });

      // An admin names the primary; a client cannot be on a care team.
      const adminNoPrimary = await call(api, 'POST', '/cases', world.admin.headers, {
        type: 'individual',
        title: 'Synthetic',
        participants: [{ clientId: a, role: 'individual' }],
      });
      expect(adminNoPrimary.json<Problem>().code).toBe('primary_required');
      const clientOnTeam = await call(api, 'POST', '/cases', world.admin.headers, {
        type: 'individual',
        title: 'Synthetic',
        participants: [{ clientId: a, role: 'individual' }],
        primaryMembershipId: world.partnerA.member.membershipId,
      });
      expect(clientOnTeam.json<Problem>().code).toBe('unknown_care_team_member');
      const byAdmin = await call(api, 'POST', '/cases', world.admin.headers, {
        type: 'individual',
        title: 'Synthetic',
        participants: [{ clientId: a, role: 'individual' }],
        primaryMembershipId: world.otherCounselor.member.membershipId,
      });
      expect(byAdmin.statusCode).toBe(201);
      expect(byAdmin.json<CaseBody>()).toMatchObject({
        view: 'directory',
        careTeam: [{ membershipId: world.otherCounselor.member.membershipId, isPrimary: true }],
      });
      expect(byAdmin.json<CaseBody>().title).toBeUndefined();
    });

    it('refuses clients and unknown fields', async () => {
      expect(
        (await call(api, 'POST', '/cases', world.partnerA.headers, { type: 'couple', title: 'x', participants: [] }))
          .statusCode,
      ).toBe(403);
      const injected = await call(api, 'POST', '/cases', world.counselor.headers, {
        type: 'couple',
        title: 'x',
        participants: [],
        safetyReason: 'x',
      });
      expect(injected.statusCode).toBe(400);
    });
  });

  describe('reading: each viewer sees what they may', () => {
    it('gives the care team everything, the supervisor a read-only care-team view, the admin a directory view, the partner a participant view; 404 to another counselor', async () => {
      const url = `/cases/${world.caseId}`;
      const team = (await call(api, 'GET', url, world.counselor.headers)).json<CaseBody>();
      expect(team).toMatchObject({ view: 'care_team', title: 'Synthetic case', safety: { status: 'normal' } });

      const supervisor = await call(api, 'GET', url, world.supervisor.headers);
      expect(supervisor.json<CaseBody>().view).toBe('care_team');
      expect((await call(api, 'PATCH', url, world.supervisor.headers, { title: 'Renamed' })).statusCode).toBe(403);
      expect(
        (await call(api, 'POST', `${url}/status`, world.supervisor.headers, { status: 'on_hold' })).statusCode,
      ).toBe(403);

      const directory = (await call(api, 'GET', url, world.admin.headers)).json<CaseBody>();
      expect(directory.view).toBe('directory');
      for (const field of ['title', 'safety', 'outcome', 'phase', 'secretsPolicy', 'sharedSpacePaused']) {
        expect(directory).not.toHaveProperty(field);
      }
      expect(directory.participants.every((participant) => participant.role === undefined)).toBe(true);

      const partner = (await call(api, 'GET', url, world.partnerB.headers)).json<CaseBody>();
      expect(partner).toMatchObject({
        view: 'participant',
        sharedSpacePaused: false,
        yourClientId: world.partnerB.clientId,
      });
      expect(partner).not.toHaveProperty('safety');
      expect(partner).not.toHaveProperty('updatedAt');

      expect((await call(api, 'GET', url, world.otherCounselor.headers)).statusCode).toBe(404);
      expect(
        (await call(api, 'GET', '/cases/00000000-0000-4000-8000-000000000000', world.counselor.headers)).statusCode,
      ).toBe(404);
      expect((await call(api, 'GET', '/cases/not-a-uuid', world.counselor.headers)).statusCode).toBe(400);
    });

    it('audits every read of a case with the view, never its content', async () => {
      await call(api, 'GET', `/cases/${world.caseId}`, world.partnerA.headers);
      const rows = await api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
        tx.query<{ metadata: { view: string } }>(
          `select metadata from audit_events where clinic_id = $1 and target_id = $2 and action = 'case.read'
               and actor_membership_id = $3`,
          [world.clinicId, world.caseId, world.partnerA.member.membershipId],
        ),
      );
      expect(rows.at(-1)?.metadata).toEqual({ view: 'participant' });
    });
  });

  describe('the caseload list', () => {
    it('lists, filters, sorts and pages the cases each member may see', async () => {
      const first = await newCase();
      const second = await newCase();
      await call(api, 'POST', `/cases/${second.caseId}/status`, world.counselor.headers, { status: 'active' });

      const all = (await call(api, 'GET', '/cases?limit=100', world.counselor.headers)).json<CasePage>();
      const ids = all.items.map((item) => item.id);
      expect(ids).toEqual(expect.arrayContaining([world.caseId, first.caseId, second.caseId]));
      expect(all.items.every((item) => item.view === 'care_team')).toBe(true);

      const intake = (
        await call(api, 'GET', '/cases?status=intake&limit=100', world.counselor.headers)
      ).json<CasePage>();
      expect(intake.items.map((item) => item.id)).toContain(first.caseId);
      expect(intake.items.map((item) => item.id)).not.toContain(second.caseId);
      const several = (
        await call(api, 'GET', '/cases?status=intake,active&type=couple&limit=100', world.counselor.headers)
      ).json<CasePage>();
      expect(several.items.map((item) => item.id)).toEqual(expect.arrayContaining([first.caseId, second.caseId]));

      const byClient = (await call(api, 'GET', `/cases?clientId=${first.a}`, world.counselor.headers)).json<CasePage>();
      expect(byClient.items.map((item) => item.id)).toEqual([first.caseId]);

      // Paging by one: every case exactly once, in order.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const page: CasePage = (
          await call(api, 'GET', `/cases?limit=1&sort=createdAt&order=asc${query}`, world.counselor.headers)
        ).json<CasePage>();
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect([...seen].sort()).toEqual([...ids].sort());

      const other = (await call(api, 'GET', '/cases?limit=100', world.otherCounselor.headers)).json<CasePage>();
      expect(other.items.map((item) => item.id).filter((id) => ids.includes(id))).toEqual([]);
      const supervisor = (await call(api, 'GET', '/cases?limit=100', world.supervisor.headers)).json<CasePage>();
      expect(supervisor.items.map((item) => item.id)).toEqual(expect.arrayContaining(ids));
      const partner = (await call(api, 'GET', '/cases', world.partnerA.headers)).json<CasePage>();
      expect(partner.items.map((item) => [item.id, item.view])).toEqual([[world.caseId, 'participant']]);
      const admin = (await call(api, 'GET', '/cases?limit=100', world.admin.headers)).json<CasePage>();
      expect(admin.items.every((item) => item.view === 'directory' && item.title === undefined)).toBe(true);
    });

    it('answers every case exactly as GET /cases/:id answers it, for every kind of viewer', async () => {
      // The list's JSON is written by PostgreSQL, the single case by toCaseResponse: same keys, order and values.
      const held = await newCase();
      await call(api, 'PUT', `/cases/${held.caseId}/safety`, world.counselor.headers, {
        status: 'safety_hold',
        reason: 'Synthetic reason',
      });
      for (const member of [world.counselor, world.supervisor, world.partnerA, world.partnerB, world.admin]) {
        const page = (await call(api, 'GET', '/cases?limit=100', member.headers)).json<CasePage>();
        expect(page.items.length).toBeGreaterThan(0);
        for (const item of page.items) {
          const one = await call(api, 'GET', `/cases/${item.id}`, member.headers);
          expect(one.statusCode).toBe(200);
          expect(JSON.stringify(item)).toBe(JSON.stringify(one.json()));
        }
      }
    });

    it.each([
      ['status=archived', 'status', 'isIn'],
      ['type=polycule', 'type', 'isIn'],
      ['safetyStatus=red', 'safetyStatus', 'isIn'],
      ['phase=P9', 'phase', 'isIn'],
      ['sort=safetyReason', 'sort', 'isIn'],
      ['limit=101', 'limit', 'max'],
    ])('refuses the caseload query %s', async (query, field, rule) => {
      const response = await call(api, 'GET', `/cases?${query}`, world.counselor.headers);
      expect(response.statusCode).toBe(400);
      expect(response.json<Problem>().errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, rule })]),
      );
    });
  });

  describe('status transitions', () => {
    it('records dated transitions, requires an outcome to close, allows reopening, and refuses impossible dates', async () => {
      const { caseId } = await newCase();
      const url = `/cases/${caseId}/status`;
      expect(
        (await call(api, 'POST', url, world.counselor.headers, { status: 'active', reason: 'Intake done' })).statusCode,
      ).toBe(201);
      const same = await call(api, 'POST', url, world.counselor.headers, { status: 'active' });
      expect(same.json<Problem>().code).toBe('status_unchanged');
      const noOutcome = await call(api, 'POST', url, world.counselor.headers, { status: 'closed' });
      expect(noOutcome.statusCode).toBe(400);
      expect(noOutcome.json<Problem>().errors).toEqual([
        expect.objectContaining({ field: 'outcome', rule: 'requiredWhenClosing' }),
      ]);
      const badOutcome = await call(api, 'POST', url, world.counselor.headers, {
        status: 'closed',
        outcome: 'divorce',
      });
      expect(badOutcome.json<Problem>().errors).toEqual([expect.objectContaining({ field: 'outcome', rule: 'isIn' })]);
      const outcomeNotClosing = await call(api, 'POST', url, world.counselor.headers, {
        status: 'on_hold',
        outcome: 'end',
      });
      expect(outcomeNotClosing.json<Problem>().errors).toEqual([
        expect.objectContaining({ field: 'outcome', rule: 'onlyWhenClosing' }),
      ]);

      const future = await call(api, 'POST', url, world.counselor.headers, {
        status: 'on_hold',
        effectiveAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(future.statusCode).toBe(422);
      expect(future.json<Problem>()).toMatchObject({
        code: 'impossible_date',
        errors: [expect.objectContaining({ field: 'effectiveAt', rule: 'notInFuture' })],
      });
      const past = await call(api, 'POST', url, world.counselor.headers, {
        status: 'on_hold',
        effectiveAt: '2020-01-01T00:00:00Z',
      });
      expect(past.json<Problem>()).toMatchObject({
        code: 'impossible_date',
        errors: [expect.objectContaining({ rule: 'notBeforePreviousChange' })],
      });
      expect(
        (await call(api, 'POST', url, world.counselor.headers, { status: 'on_hold', effectiveAt: 'yesterday' }))
          .statusCode,
      ).toBe(400);

      const closed = await call(api, 'POST', url, world.counselor.headers, { status: 'closed', outcome: 'redefine' });
      expect(closed.json<StatusChange>()).toMatchObject({
        fromStatus: 'active',
        toStatus: 'closed',
        outcome: 'redefine',
      });
      expect((await call(api, 'GET', `/cases/${caseId}`, world.counselor.headers)).json<CaseBody>()).toMatchObject({
        status: 'closed',
        outcome: 'redefine',
      });
      const reopened = await call(api, 'POST', url, world.counselor.headers, { status: 'active' });
      expect(reopened.json<StatusChange>()).toMatchObject({ fromStatus: 'closed', toStatus: 'active', outcome: null });

      const history = (await call(api, 'GET', `/cases/${caseId}/status-history`, world.counselor.headers)).json<
        StatusChange[]
      >();
      expect(history.map((change) => [change.fromStatus, change.toStatus])).toEqual([
        [null, 'intake'],
        ['intake', 'active'],
        ['active', 'closed'],
        ['closed', 'active'],
      ]);
      expect(history[1].reason).toBe('Intake done');
      const directory = (await call(api, 'GET', `/cases/${caseId}/status-history`, world.admin.headers)).json<
        StatusChange[]
      >();
      expect(directory.every((change) => !('reason' in change))).toBe(true);
    });
  });

  describe('participants', () => {
    it('adds a participant once (409 twice), changes a role, and keeps at least one participant (422)', async () => {
      const { caseId, a, b } = await newCase();
      const c = await newClient();
      const added = await call(api, 'POST', `/cases/${caseId}/participants`, world.counselor.headers, {
        clientId: c,
        role: 'mutual',
      });
      expect(added.statusCode).toBe(201);
      const order = added.json<CaseBody>().participants.map((p) => p.clientId);
      expect([order.slice(0, 2).sort(), order[2]]).toEqual([[a, b].sort(), c]);
      const twice = await call(api, 'POST', `/cases/${caseId}/participants`, world.counselor.headers, {
        clientId: c,
        role: 'mutual',
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json<Problem>().code).toBe('participant_exists');
      const role = await call(api, 'PATCH', `/cases/${caseId}/participants/${c}`, world.counselor.headers, {
        role: 'harmed',
      });
      expect(role.json<CaseBody>().participants.find((p) => p.clientId === c)?.role).toBe('harmed');

      expect(
        (await call(api, 'DELETE', `/cases/${caseId}/participants/${c}`, world.counselor.headers)).statusCode,
      ).toBe(200);
      expect(
        (await call(api, 'DELETE', `/cases/${caseId}/participants/${b}`, world.counselor.headers)).statusCode,
      ).toBe(200);
      const last = await call(api, 'DELETE', `/cases/${caseId}/participants/${a}`, world.counselor.headers);
      expect(last.statusCode).toBe(422);
      expect(last.json<Problem>().code).toBe('no_participant');
      expect(
        (await call(api, 'DELETE', `/cases/${caseId}/participants/${c}`, world.counselor.headers)).statusCode,
      ).toBe(404);
      expect(
        (
          await call(api, 'POST', `/cases/${caseId}/participants`, world.otherCounselor.headers, {
            clientId: c,
            role: 'mutual',
          })
        ).statusCode,
      ).toBe(404);
    });
  });

  describe('care team', () => {
    it('adds members, moves the primary, and never leaves the case without one', async () => {
      const { caseId } = await newCase();
      const other = world.otherCounselor.member.membershipId;
      const counselor = world.counselor.member.membershipId;
      const offTeam = await call(api, 'PUT', `/cases/${caseId}/care-team/${other}/primary`, world.counselor.headers);
      expect(offTeam.statusCode).toBe(422);
      expect(offTeam.json<Problem>().code).toBe('primary_not_on_care_team');

      expect(
        (await call(api, 'POST', `/cases/${caseId}/care-team`, world.counselor.headers, { membershipId: other }))
          .statusCode,
      ).toBe(201);
      expect(
        (await call(api, 'POST', `/cases/${caseId}/care-team`, world.counselor.headers, { membershipId: other }))
          .statusCode,
      ).toBe(409);
      const client = await call(api, 'POST', `/cases/${caseId}/care-team`, world.counselor.headers, {
        membershipId: world.partnerA.member.membershipId,
      });
      expect(client.json<Problem>().code).toBe('unknown_care_team_member');

      const withoutSuccessor = await call(
        api,
        'DELETE',
        `/cases/${caseId}/care-team/${counselor}`,
        world.counselor.headers,
      );
      expect(withoutSuccessor.statusCode).toBe(422);
      expect(withoutSuccessor.json<Problem>().code).toBe('primary_required');
      const strangerSuccessor = await call(
        api,
        'DELETE',
        `/cases/${caseId}/care-team/${counselor}?newPrimaryMembershipId=${world.supervisor.member.membershipId}`,
        world.counselor.headers,
      );
      expect(strangerSuccessor.json<Problem>().code).toBe('primary_not_on_care_team');

      const moved = await call(api, 'PUT', `/cases/${caseId}/care-team/${other}/primary`, world.admin.headers);
      expect(moved.statusCode).toBe(200);
      expect(moved.json<CaseBody>().view).toBe('directory');
      const team = (await call(api, 'GET', `/cases/${caseId}`, world.otherCounselor.headers)).json<CaseBody>().careTeam;
      expect(team).toEqual([
        expect.objectContaining({ membershipId: other, isPrimary: true }),
        expect.objectContaining({ membershipId: counselor, isPrimary: false }),
      ]);
      const removed = await call(
        api,
        'DELETE',
        `/cases/${caseId}/care-team/${other}?newPrimaryMembershipId=${counselor}`,
        world.otherCounselor.headers,
      );
      expect(removed.statusCode).toBe(200);
      expect(removed.json<CaseBody>().view).toBe('directory');
      expect((await call(api, 'GET', `/cases/${caseId}`, world.otherCounselor.headers)).statusCode).toBe(404);
    });

    /** Takes the other counselor off a case again (the caseload query-count test below counts their cases). */
    const leaveCareTeam = async (caseId: string, membershipId: string) => {
      const team = (await call(api, 'GET', `/cases/${caseId}`, world.admin.headers)).json<CaseBody>().careTeam;
      const successor = team.find((member) => member.membershipId !== membershipId)?.membershipId;
      const isPrimary = team.some((member) => member.membershipId === membershipId && member.isPrimary);
      const query = isPrimary ? `?newPrimaryMembershipId=${successor}` : '';
      const response = await call(
        api,
        'DELETE',
        `/cases/${caseId}/care-team/${membershipId}${query}`,
        world.admin.headers,
      );
      expect(response.statusCode).toBe(200);
    };

    it('takes concurrent additions of one member in turn (one 201, then 409s), never a 500', async () => {
      const { caseId } = await newCase();
      const other = world.otherCounselor.member.membershipId;
      const adds = await Promise.all(
        Array.from({ length: 6 }, () =>
          call(api, 'POST', `/cases/${caseId}/care-team`, world.counselor.headers, { membershipId: other }),
        ),
      );
      expect(adds.map((response) => response.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(
        adds.filter((response) => response.statusCode === 409).map((response) => response.json<Problem>().code),
      ).toEqual(Array(5).fill('care_team_member_exists'));
      await leaveCareTeam(caseId, other);
    });

    it('takes a new primary added while others are made primary in turn (one primary stays), never a 500', async () => {
      const other = world.otherCounselor.member.membershipId;
      const supervisor = world.supervisor.member.membershipId;
      const counselor = world.counselor.member.membershipId;
      // A few rounds: the unguarded race needed the add to land between the moves' reads and writes.
      for (let round = 0; round < 4; round += 1) {
        const { caseId } = await newCase();
        expect(
          (await call(api, 'POST', `/cases/${caseId}/care-team`, world.counselor.headers, { membershipId: other }))
            .statusCode,
        ).toBe(201);
        const [added, ...moves] = await Promise.all([
          call(api, 'POST', `/cases/${caseId}/care-team`, world.counselor.headers, {
            membershipId: supervisor,
            isPrimary: true,
          }),
          ...Array.from({ length: 5 }, (_, index) =>
            call(
              api,
              'PUT',
              `/cases/${caseId}/care-team/${index % 2 === 0 ? other : counselor}/primary`,
              world.admin.headers,
            ),
          ),
        ]);
        expect([added.statusCode, ...moves.map((response) => response.statusCode)]).toEqual([
          201, 200, 200, 200, 200, 200,
        ]);
        const team = (await call(api, 'GET', `/cases/${caseId}`, world.admin.headers)).json<CaseBody>().careTeam;
        expect(team).toHaveLength(3);
        expect(team.filter((member) => member.isPrimary)).toHaveLength(1);
        await leaveCareTeam(caseId, other);
      }
    });
  });

  describe('participant role labels', () => {
    it('reads the defaults, lets the admin replace them, and shows them on cases', async () => {
      const defaults = await call(api, 'GET', '/clinic/participant-role-labels', world.partnerA.headers);
      expect(defaults.json()).toMatchObject({ harmed: 'Hurt partner', harming: 'Involved partner' });
      expect(
        (await call(api, 'PUT', '/clinic/participant-role-labels', world.counselor.headers, { harmed: 'X' }))
          .statusCode,
      ).toBe(403);
      expect(
        (await call(api, 'PUT', '/clinic/participant-role-labels', world.admin.headers, { villain: 'X' })).statusCode,
      ).toBe(400);
      const replaced = await call(api, 'PUT', '/clinic/participant-role-labels', world.admin.headers, {
        harmed: 'Injured partner',
      });
      expect(replaced.json()).toMatchObject({ harmed: 'Injured partner', harming: 'Involved partner' });
      const view = (await call(api, 'GET', `/cases/${world.caseId}`, world.partnerA.headers)).json<CaseBody>();
      expect(view.participants.find((p) => p.role === 'harmed')?.roleLabel).toBe('Injured partner');
      await call(api, 'PUT', '/clinic/participant-role-labels', world.admin.headers, {});
    });
  });

  describe('the plan phase on the caseload', () => {
    it('shows the phase of the repair plan to the care team and participants, and filters by it', async () => {
      const { caseId } = await newCase();
      await api.app
        .get(UnitOfWork)
        .run(world.clinicId, (tx) =>
          tx.query(`insert into repair_plans (clinic_id, case_id, phase) values ($1, $2, 'P1')`, [
            world.clinicId,
            caseId,
          ]),
        );
      expect((await call(api, 'GET', `/cases/${caseId}`, world.counselor.headers)).json()).toMatchObject({
        phase: 'P1',
      });
      const p1 = (await call(api, 'GET', '/cases?phase=P1&limit=100', world.counselor.headers)).json<CasePage>();
      expect(p1.items.map((item) => item.id)).toEqual([caseId]);
      const p2 = (await call(api, 'GET', '/cases?phase=P2&limit=100', world.counselor.headers)).json<CasePage>();
      expect(p2.items).toEqual([]);
      expect((await call(api, 'GET', `/cases/${caseId}`, world.admin.headers)).json()).not.toHaveProperty('phase');
    });
  });

  describe('no N+1: the caseload costs the same number of queries for 5 and for 50 cases, with or without homework', () => {
    it('counts the statements of one caseload request', async () => {
      const { default: pg } = await import('pg');
      const caseload = async (count: number) => {
        const counselor = world.otherCounselor;
        const before = (await call(api, 'GET', '/cases?limit=100', counselor.headers)).json<CasePage>().items.length;
        for (let index = before; index < count; index += 1) {
          const a = await insertClient(api, world.clinicId, { createdByMembershipId: counselor.member.membershipId });
          const b = await insertClient(api, world.clinicId, { createdByMembershipId: counselor.member.membershipId });
          await insertCase(api, world.clinicId, {
            primaryMembershipId: counselor.member.membershipId,
            participants: [
              { clientId: a, role: 'harmed' },
              { clientId: b, role: 'harming' },
            ],
          });
        }
        // Every statement the pool's clients send during the request (the pg driver under TypeORM).
        const statementsOf = async (url: string) => {
          const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
          const original = prototype.query;
          let statements = 0;
          prototype.query = function (this: unknown, ...args: unknown[]) {
            statements += 1;
            return original.apply(this, args);
          };
          try {
            const response = await call(api, 'GET', url, counselor.headers);
            expect(response.json<CasePage>().items).toHaveLength(count);
          } finally {
            prototype.query = original;
          }
          return statements;
        };
        // The caseload as it is, and with each case's homework summary (the web app's request).
        return [await statementsOf('/cases?limit=100'), await statementsOf('/cases?limit=100&include=homework')];
      };
      const five = await caseload(5);
      const fifty = await caseload(50);
      expect(five[0]).toBeGreaterThan(0);
      expect(fifty).toEqual(five);
    });
  });
});
