import {
  addMember,
  bearer,
  createClinicWithAdmin,
  postJson,
  signIn,
  startIdentityApp,
  type IdentityApp,
} from '../auth/support/identity-app.js';

interface HintsBody {
  mode: string;
  hints: {
    ruleId: string;
    family: string;
    familyName: string;
    severity: string;
    downgradedBecause: string | null;
    span: { start: number; end: number; text: string };
    why: string;
    scaffold: string;
    extraMarkers: number;
  }[];
  withheld: number;
  coachingPaused: boolean;
}

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; rule: string; message: string }[];
}

describe('POST /api/v1/coach/hints', () => {
  let api: IdentityApp;
  let client: Record<string, string>;
  let counselor: Record<string, string>;

  beforeAll(async () => {
    api = await startIdentityApp();
    const admin = await createClinicWithAdmin(api.identity, 'Coach Clinic');
    const clientMember = await addMember(api.identity, admin.clinicId, ['client']);
    const counselorMember = await addMember(api.identity, admin.clinicId, ['counselor']);
    client = bearer((await signIn(api, clientMember)).accessToken);
    counselor = bearer((await signIn(api, counselorMember)).accessToken);
  });
  afterAll(() => api.close());

  const hints = (body: unknown, headers: Record<string, string> = client) =>
    postJson(api, '/api/v1/coach/hints', body, headers);

  it('answers 200 with explained hints: rule, family, exact span, why, scaffold', async () => {
    const text = 'You always come home late and you never text.';
    const response = await hints({ text, mode: 'on' });
    expect(response.statusCode).toBe(200);
    const body = response.json<HintsBody>();
    expect(body).toMatchObject({ mode: 'on', withheld: 0, coachingPaused: false });
    expect(body.hints.map((hint) => [hint.ruleId, hint.family, hint.severity, hint.span])).toEqual([
      ['ABS-1', 'ABS', 'strong-suggest', { start: 0, end: 10, text: 'You always' }],
      ['ABS-1', 'ABS', 'strong-suggest', { start: 30, end: 39, text: 'you never' }],
    ]);
    for (const hint of body.hints) {
      expect(text.slice(hint.span.start, hint.span.end)).toBe(hint.span.text);
      expect(hint.why.length).toBeGreaterThan(10);
      expect(hint.scaffold).toContain(hint.span.text);
    }
  });

  it('applies the mode and the three-hints limit, for staff as well as clients', async () => {
    const text = "You're such a liar. You never listen. Oh great 🙄. You made me do it. I'm sorry if you were upset.";
    const on = (await hints({ text, mode: 'on' }, counselor)).json<HintsBody>();
    expect(on.hints.map((hint) => hint.family)).toEqual(['LBL', 'ABS', 'SRC']);
    expect(on.withheld).toBe(1);
    const accountability = (await hints({ text, mode: 'accountability' })).json<HintsBody>();
    expect(accountability.hints.map((hint) => hint.family)).toEqual(['LBL', 'ABS', 'SRC']);
    expect(accountability.withheld).toBe(2);
    const gentle = (await hints({ text, mode: 'gentle' })).json<HintsBody>();
    expect(gentle.hints.map((hint) => [hint.family, hint.severity, hint.downgradedBecause])).toEqual([
      ['LBL', 'info', 'gentle_mode'],
      ['ABS', 'info', 'gentle_mode'],
    ]);
    const off = (await hints({ text, mode: 'off' })).json<HintsBody>();
    expect(off).toEqual({ mode: 'off', hints: [], withheld: 0, coachingPaused: false });
  });

  it('pauses coaching for threat or abuse language without saying which rule matched', async () => {
    const response = await hints({ text: 'If you ever do that again I will make you pay.', mode: 'on' });
    expect(response.statusCode).toBe(200);
    expect(response.json<HintsBody>()).toEqual({ mode: 'on', hints: [], withheld: 0, coachingPaused: true });
    expect(response.body).not.toContain('DMD-T');
  });

  it('answers 400 naming the field and rule for an unknown mode, without echoing the text', async () => {
    const response = await hints({ text: 'A private sentence about my partner.', mode: 'loud' });
    expect(response.statusCode).toBe(400);
    const problem = response.json<Problem>();
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'mode', rule: 'isIn' })]);
    expect(response.body).not.toContain('private sentence');
  });

  it('answers 400 naming the field, the rule and the limit for a text over 10,000 characters', async () => {
    const ok = await hints({ text: 'a'.repeat(10_000), mode: 'on' });
    expect(ok.statusCode).toBe(200);
    const response = await hints({ text: `You never listen. ${'a'.repeat(10_000)}`, mode: 'on' });
    expect(response.statusCode).toBe(400);
    const [error] = response.json<Problem>().errors ?? [];
    expect(error).toMatchObject({ field: 'text', rule: 'maxLength' });
    expect(error?.message).toContain('10000');
    expect(response.body).not.toContain('You never listen');
  });

  it('answers 400 for a missing text or an unknown field', async () => {
    const missing = (await hints({ mode: 'on' })).json<Problem>();
    expect(missing.errors?.map((error) => error.field)).toContain('text');
    const extra = await hints({ text: 'Hello.', mode: 'on', caseId: 'x' });
    expect(extra.statusCode).toBe(400);
  });

  it('answers 401 to an anonymous caller', async () => {
    const response = await hints({ text: 'You never listen.', mode: 'on' }, {});
    expect(response.statusCode).toBe(401);
  });
});
