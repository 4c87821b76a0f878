import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '@mend/core';
import { BUILT_IN_EXERCISES, builtInExercise, contentOf } from '@mend/homework';

import {
  addMember,
  bearer,
  createClinicWithAdmin,
  JSON_HEADERS,
  signIn,
  startIdentityApp,
  type IdentityApp,
} from '../auth/support/identity-app.js';
import { createCaseWorld, type CaseWorld } from '../cases/support/case-world.js';

interface ExerciseBody {
  ref: string;
  source: 'built_in' | 'custom';
  status: 'active' | 'retired';
  version: number;
  currentVersion: number;
  copiedFrom: string | null;
  authorMembershipId: string | null;
  changeNote: string | null;
  definition: { title: string; responseSchema: { fields: { key: string }[]; parts?: unknown[] } };
}

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; rule: string; message: string }[];
}

const url = (path = '') => `/api/v1/exercises${path}`;

/** A valid definition: the Wins & Stumbles built-in under a clinic title. */
function definition(title = 'Synthetic evening reflection'): Record<string, unknown> {
  return { ...contentOf(builtInExercise('E29')!), title };
}

describe('/api/v1/exercises', () => {
  let api: IdentityApp;
  let world: CaseWorld;

  const call = (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown) =>
    api.inject({
      method,
      url: url(path),
      headers: body === undefined ? headers : { ...headers, ...JSON_HEADERS },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });

  async function create(title?: string): Promise<ExerciseBody> {
    const response = await call('POST', '', world.counselor.headers, definition(title));
    expect(response.statusCode).toBe(201);
    return response.json<ExerciseBody>();
  }

  async function auditRows(targetId: string): Promise<{ action: string; metadata: Record<string, unknown> }[]> {
    return api.app.get(UnitOfWork).run(world.clinicId, (tx) =>
      tx.query<{ action: string; metadata: Record<string, unknown> }>(
        `select action, metadata from audit_events where clinic_id = $1 and target_type = 'exercise' and target_id = $2
            order by seq`,
        [world.clinicId, targetId],
      ),
    );
  }

  beforeAll(async () => {
    api = await startIdentityApp();
    world = await createCaseWorld(api);
  });
  afterAll(() => api.close());

  describe('reading the library', () => {
    it('lists the 37 built-ins, in order, to every staff role', async () => {
      for (const who of [world.admin, world.supervisor, world.counselor, world.otherCounselor]) {
        const response = await call('GET', '?source=built_in', who.headers);
        expect(response.statusCode).toBe(200);
        const list = response.json<{ ref: string; source: string; status: string; currentVersion: number }[]>();
        expect(list.map((item) => item.ref)).toEqual(BUILT_IN_EXERCISES.map((exercise) => exercise.key));
        expect(
          list.every((item) => item.source === 'built_in' && item.status === 'active' && item.currentVersion === 1),
        ).toBe(true);
      }
    });

    it('is refused to clients (403) and to anonymous callers (401)', async () => {
      for (const partner of [world.partnerA, world.partnerB]) {
        expect((await call('GET', '', partner.headers)).statusCode).toBe(403);
        expect((await call('GET', '/E05', partner.headers)).statusCode).toBe(403);
        expect((await call('POST', '', partner.headers, definition())).statusCode).toBe(403);
      }
      expect((await call('GET', '', {})).statusCode).toBe(401);
    });

    it('answers a built-in with its definition and typed response schema', async () => {
      const response = await call('GET', '/E05', world.supervisor.headers);
      expect(response.statusCode).toBe(200);
      const body = response.json<ExerciseBody>();
      expect(body).toMatchObject({ ref: 'E05', source: 'built_in', version: 1, currentVersion: 1, status: 'active' });
      expect(body.definition).toEqual(JSON.parse(JSON.stringify(contentOf(builtInExercise('E05')!))));
      expect((await call('GET', '/E05/versions', world.counselor.headers)).json<{ version: number }[]>()).toEqual([
        expect.objectContaining({ version: 1 }),
      ]);
      expect((await call('GET', '/E05/versions/1', world.counselor.headers)).statusCode).toBe(200);
      expect((await call('GET', '/E05/versions/2', world.counselor.headers)).json<Problem>().code).toBe(
        'exercise_version_not_found',
      );
    });

    it('answers 404 for unknown exercises and 400 for malformed references', async () => {
      expect((await call('GET', '/E99', world.counselor.headers)).json<Problem>()).toMatchObject({
        status: 404,
        code: 'exercise_not_found',
      });
      expect((await call('GET', `/${randomUUID()}`, world.counselor.headers)).statusCode).toBe(404);
      expect((await call('GET', `/${randomUUID()}/versions/1`, world.counselor.headers)).statusCode).toBe(404);
      expect((await call('GET', '/not-an-exercise', world.counselor.headers)).statusCode).toBe(400);
      expect((await call('GET', '/E05/versions/0', world.counselor.headers)).statusCode).toBe(400);
    });
  });

  describe('clinic exercises', () => {
    it('creates version 1, lists it among active exercises, and audits the change without its text', async () => {
      const created = await create('Synthetic created exercise');
      expect(created).toMatchObject({
        source: 'custom',
        status: 'active',
        version: 1,
        currentVersion: 1,
        copiedFrom: null,
        authorMembershipId: world.counselor.member.membershipId,
      });
      expect(created.definition).toEqual(JSON.parse(JSON.stringify(definition('Synthetic created exercise'))));
      const list = (await call('GET', '', world.otherCounselor.headers)).json<{ ref: string; title: string }[]>();
      expect(list).toContainEqual(expect.objectContaining({ ref: created.ref, title: 'Synthetic created exercise' }));
      expect(list.slice(0, 37).map((item) => item.ref)).toEqual(BUILT_IN_EXERCISES.map((exercise) => exercise.key));

      const audit = await auditRows(created.ref);
      expect(audit).toEqual([{ action: 'exercise.create', metadata: { version: 1, fieldCount: 4 } }]);
      expect(JSON.stringify(audit)).not.toContain('Synthetic');
    });

    it('refuses a response schema that cannot be answered with 422 naming each field path and rule, writing nothing', async () => {
      const before = (await call('GET', '?status=all&source=custom', world.counselor.headers)).json<unknown[]>().length;
      const response = await call('POST', '', world.counselor.headers, {
        ...definition(),
        responseSchema: {
          fields: [
            { key: 'story', type: 'text', label: 'Story', maxLength: 0 },
            { key: 'story', type: 'bool', label: 'Again' },
            { key: 'choice', type: 'select', label: 'Choice', options: [] },
            { key: 'hours', type: 'number', label: 'Hours', unit: 'hours', min: 9, max: 1 },
            { key: 'steps', type: 'rows', label: 'Steps', columns: [] },
            { key: 'mood', type: 'rating_0_10', label: 'Mood', anchors: [{ value: 12, label: 'beyond' }] },
          ],
        },
      });
      expect(response.statusCode).toBe(422);
      const problem = response.json<Problem>();
      expect(problem.code).toBe('exercise_definition_invalid');
      expect(problem.errors?.map((error) => [error.field, error.rule])).toEqual(
        expect.arrayContaining([
          ['responseSchema.fields.story.maxLength', 'max-length-too-small'],
          ['responseSchema.fields.story.key', 'duplicate-field-key'],
          ['responseSchema.fields.choice.options', 'select-needs-two-options'],
          ['responseSchema.fields.hours.min', 'min-exceeds-max'],
          ['responseSchema.fields.steps.columns', 'rows-need-columns'],
          ['responseSchema.fields.mood.anchors[0].value', 'anchor-out-of-range'],
        ]),
      );
      const empty = await call('POST', '', world.counselor.headers, {
        ...definition(),
        responseSchema: { fields: [] },
      });
      expect(empty.json<Problem>().errors).toEqual([
        expect.objectContaining({ field: 'responseSchema.fields', rule: 'fields-required' }),
      ]);
      const after = (await call('GET', '?status=all&source=custom', world.counselor.headers)).json<unknown[]>().length;
      expect(after).toBe(before);
    });

    it('refuses bad definition metadata with 400 (DTO) or 422 (a visibility both default and switchable)', async () => {
      const badAudience = await call('POST', '', world.counselor.headers, { ...definition(), audience: 'couple' });
      expect(badAudience.statusCode).toBe(400);
      expect(badAudience.json<Problem>().errors).toContainEqual(expect.objectContaining({ field: 'audience' }));
      const unknownField = await call('POST', '', world.counselor.headers, { ...definition(), colour: 'red' });
      expect(unknownField.statusCode).toBe(400);
      const contradictory = await call('POST', '', world.counselor.headers, {
        ...definition(),
        defaultVisibility: 'private',
        switchableVisibility: ['private', 'clinician'],
      });
      expect(contradictory.statusCode).toBe(422);
      expect(contradictory.json<Problem>().errors).toEqual([
        expect.objectContaining({ field: 'switchableVisibility', rule: 'switchable-includes-default' }),
      ]);
    });

    it('writes immutable versions with optimistic concurrency (409 on a stale version)', async () => {
      const created = await create('Synthetic versioned exercise');
      const revised = await call('POST', `/${created.ref}/versions`, world.supervisor.headers, {
        ...definition('Synthetic versioned exercise, v2'),
        expectedVersion: 1,
        changeNote: 'Shorter wording',
      });
      expect(revised.statusCode).toBe(201);
      expect(revised.json<ExerciseBody>()).toMatchObject({
        version: 2,
        currentVersion: 2,
        changeNote: 'Shorter wording',
        authorMembershipId: world.supervisor.member.membershipId,
      });

      const stale = await call('POST', `/${created.ref}/versions`, world.counselor.headers, {
        ...definition('A lost update'),
        expectedVersion: 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json<Problem>()).toMatchObject({
        code: 'exercise_version_conflict',
        errors: [{ field: 'expectedVersion', rule: 'stale', message: 'current version: 2' }],
      });

      const v1 = (await call('GET', `/${created.ref}/versions/1`, world.counselor.headers)).json<ExerciseBody>();
      expect(v1).toMatchObject({ version: 1, currentVersion: 2 });
      expect(v1.definition.title).toBe('Synthetic versioned exercise');
      expect(
        (await call('GET', `/${created.ref}`, world.counselor.headers)).json<ExerciseBody>().definition.title,
      ).toBe('Synthetic versioned exercise, v2');
      expect(
        (await call('GET', `/${created.ref}/versions`, world.counselor.headers))
          .json<{ version: number }[]>()
          .map((version) => version.version),
      ).toEqual([1, 2]);
      expect((await auditRows(created.ref)).map((row) => row.action)).toEqual(['exercise.create', 'exercise.revise']);
    });

    it('keeps versions immutable in the database: the runtime role can neither update nor delete one', async () => {
      const created = await create('Synthetic immutable exercise');
      const attempt = (sql: string) =>
        api.app.get(UnitOfWork).run(world.clinicId, (tx) => tx.query(sql, [world.clinicId, created.ref]));
      await expect(
        attempt(`update exercise_versions set title = 'changed' where clinic_id = $1 and exercise_id = $2`),
      ).rejects.toThrow(/permission denied/);
      await expect(attempt(`delete from exercise_versions where clinic_id = $1 and exercise_id = $2`)).rejects.toThrow(
        /permission denied/,
      );
      expect(
        (await call('GET', `/${created.ref}`, world.counselor.headers)).json<ExerciseBody>().definition.title,
      ).toBe('Synthetic immutable exercise');
    });

    it('never changes or retires a built-in (422), but copies it into a clinic exercise', async () => {
      const revise = await call('POST', '/E05/versions', world.counselor.headers, {
        ...definition(),
        expectedVersion: 1,
      });
      expect(revise.statusCode).toBe(422);
      expect(revise.json<Problem>().code).toBe('exercise_built_in_read_only');
      const retire = await call('POST', '/E05/retire', world.admin.headers);
      expect(retire.json<Problem>()).toMatchObject({ status: 422, code: 'exercise_built_in_read_only' });

      const copy = await call('POST', '/E05/copy', world.counselor.headers, { title: 'Synthetic question log' });
      expect(copy.statusCode).toBe(201);
      const copied = copy.json<ExerciseBody>();
      expect(copied).toMatchObject({ source: 'custom', version: 1, copiedFrom: 'E05' });
      expect(copied.definition).toEqual({
        ...JSON.parse(JSON.stringify(contentOf(builtInExercise('E05')!))),
        title: 'Synthetic question log',
      });
      // The copy can be changed.
      const revisedCopy = await call('POST', `/${copied.ref}/versions`, world.counselor.headers, {
        ...copied.definition,
        estimatedMinutes: 12,
        expectedVersion: 1,
      });
      expect(revisedCopy.statusCode).toBe(201);
      // A clinic exercise can be copied too, at a given version.
      const second = await call('POST', `/${copied.ref}/copy`, world.counselor.headers, { version: 1 });
      expect(second.json<ExerciseBody>()).toMatchObject({ copiedFrom: `${copied.ref}:v1`, version: 1 });
      expect(await auditRows(copied.ref)).toEqual([
        { action: 'exercise.copy', metadata: { version: 1, copiedFrom: 'E05', sourceKind: 'built_in', fieldCount: 9 } },
        { action: 'exercise.revise', metadata: { version: 2, fieldCount: 9 } },
      ]);
      // The built-in itself is unchanged.
      expect((await call('GET', '/E05', world.counselor.headers)).json<ExerciseBody>().definition.title).toBe(
        'Question Log',
      );
    });

    it('retires a clinic exercise: out of the active list, no new version, still readable and copyable', async () => {
      const created = await create('Synthetic retired exercise');
      const retired = await call('POST', `/${created.ref}/retire`, world.admin.headers);
      expect(retired.statusCode).toBe(200);
      expect(retired.json<ExerciseBody>()).toMatchObject({ status: 'retired', version: 1 });
      expect((await call('POST', `/${created.ref}/retire`, world.admin.headers)).statusCode).toBe(200);

      const active = (await call('GET', '', world.counselor.headers)).json<{ ref: string }[]>();
      expect(active.map((item) => item.ref)).not.toContain(created.ref);
      const retiredList = (await call('GET', '?status=retired', world.counselor.headers)).json<{ ref: string }[]>();
      expect(retiredList.map((item) => item.ref)).toEqual(expect.arrayContaining([created.ref]));
      expect(retiredList.every((item) => /^[0-9a-f-]{36}$/.test(item.ref))).toBe(true);

      const revise = await call('POST', `/${created.ref}/versions`, world.counselor.headers, {
        ...definition(),
        expectedVersion: 1,
      });
      expect(revise.json<Problem>()).toMatchObject({ status: 422, code: 'exercise_retired' });
      expect((await call('GET', `/${created.ref}/versions/1`, world.counselor.headers)).statusCode).toBe(200);
      expect((await call('POST', `/${created.ref}/copy`, world.counselor.headers, {})).statusCode).toBe(201);
      expect((await auditRows(created.ref)).map((row) => row.action)).toEqual(['exercise.create', 'exercise.retire']);
    });
  });

  describe('between clinics', () => {
    it("answers another clinic's exercise ids exactly like unknown ones (404) and never lists them", async () => {
      const created = await create('Synthetic clinic A exercise');
      const adminB = await createClinicWithAdmin(api.identity, 'Synthetic Clinic B');
      const counselorB = await addMember(api.identity, adminB.clinicId, ['counselor']);
      const headersB = bearer((await signIn(api, counselorB)).accessToken);

      const unknown = await call('GET', `/${randomUUID()}`, headersB);
      for (const [method, path, body] of [
        ['GET', `/${created.ref}`, undefined],
        ['GET', `/${created.ref}/versions`, undefined],
        ['GET', `/${created.ref}/versions/1`, undefined],
        ['POST', `/${created.ref}/versions`, { ...definition(), expectedVersion: 1 }],
        ['POST', `/${created.ref}/retire`, undefined],
        ['POST', `/${created.ref}/copy`, {}],
      ] as const) {
        const response = await call(method, path, headersB, body);
        expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
        expect(response.json<Problem>().detail).toBe(unknown.json<Problem>().detail);
      }
      const listB = (await call('GET', '?status=all&source=custom', headersB)).json<unknown[]>();
      expect(listB).toEqual([]);
      // Clinic A's exercise is untouched.
      expect((await call('GET', `/${created.ref}`, world.counselor.headers)).json<ExerciseBody>()).toMatchObject({
        status: 'active',
        currentVersion: 1,
      });
    });
  });
});
