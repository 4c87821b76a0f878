import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The real eslint.config.js is ESM and jest runs in CommonJS, so the snippets are
// linted by a child Node process (one for all cases: loading ESLint takes seconds).
const ROOT = join(__dirname, '..', '..');

interface Snippet {
  readonly name: string;
  readonly filePath: string;
  readonly code: string;
}

interface Reported {
  readonly ruleId: string | null;
  readonly message: string;
  readonly fatal: boolean;
}

const FORBIDDEN: ReadonlyArray<Snippet & { readonly ruleId: string; readonly says: string }> = [
  {
    name: 'core importing a library after it',
    filePath: 'libs/core/src/queue/lint-probe.ts',
    code: "import { Identity } from '@mend/identity';\n\nexport const probe = Identity;\n",
    ruleId: 'no-restricted-imports',
    says: 'libs/core may import only @mend/contracts',
  },
  {
    name: 'a unit test importing a library after its own',
    filePath: 'libs/core/src/queue/lint-probe.spec.ts',
    code: "import { Identity } from '@mend/identity';\n\nexport const probe = Identity;\n",
    ruleId: 'no-restricted-imports',
    says: 'libs/core may import only @mend/contracts',
  },
  {
    name: 'contracts importing core',
    filePath: 'libs/contracts/src/lint-probe.ts',
    code: "import type { MendConfig } from '@mend/core';\n\nexport type Probe = MendConfig;\n",
    ruleId: 'no-restricted-imports',
    says: 'libs/contracts may import only nothing from @mend',
  },
  {
    name: 'a rule library importing core',
    filePath: 'libs/coach/src/lint-probe.ts',
    code: "import { createLogger } from '@mend/core';\n\nexport const probe = createLogger;\n",
    ruleId: 'no-restricted-imports',
    says: 'libs/coach may import only @mend/contracts',
  },
  {
    name: 'a library importing the composition root',
    filePath: 'libs/reports/src/lint-probe.ts',
    code: "import { ENTITIES } from '@mend/platform';\n\nexport const probe = ENTITIES;\n",
    ruleId: 'no-restricted-imports',
    says: 'libs/reports may import only',
  },
  {
    name: 'a relative import escaping a library',
    filePath: 'libs/core/src/database/lint-probe.ts',
    code: "import type { ProblemDocument } from '../../../contracts/src/index.js';\n\nexport type Probe = ProblemDocument;\n",
    ruleId: 'mend/no-relative-escape',
    says: 'must stay inside libs/core',
  },
  {
    name: 'a library reaching into an app',
    filePath: 'libs/core/src/lint-probe.ts',
    code: "import { ProblemFilter } from '../../../apps/api/src/http/problem.filter.js';\n\nexport const probe = ProblemFilter;\n",
    ruleId: 'mend/no-relative-escape',
    says: 'libraries never import apps',
  },
  {
    name: 'a deep import past the entry point',
    filePath: 'apps/worker/src/lint-probe.ts',
    code: "import { loadConfig } from '@mend/core/src/config/config.js';\n\nexport const probe = loadConfig;\n",
    ruleId: 'no-restricted-imports',
    says: 'only through its entry point',
  },
  {
    name: '@mend/testing outside a test',
    filePath: 'apps/worker/src/lint-probe.ts',
    code: "import { drainQueues } from '@mend/testing';\n\nexport const probe = drainQueues;\n",
    ruleId: 'no-restricted-imports',
    says: 'imported only by tests',
  },
  {
    name: 'apps/web importing server code',
    filePath: 'apps/web/src/lint-probe.ts',
    code: "import { CoreErrorCode } from '@mend/core';\n\nexport const probe = CoreErrorCode;\n",
    ruleId: 'no-restricted-imports',
    says: 'apps/web may import only @mend/contracts',
  },
  {
    name: 'queue.add in API code',
    filePath: 'apps/api/src/lint-probe.ts',
    code: "declare const queue: { add(name: string): Promise<void> };\n\nexport const probe = (): Promise<void> => queue.add('send');\n",
    ruleId: 'no-restricted-syntax',
    says: 'API code never calls queue.add/addBulk',
  },
  {
    name: 'addBulk on a queue reached through a service in API code',
    filePath: 'apps/api/src/lint-probe.ts',
    code: "declare const queues: { queue(name: string): { addBulk(jobs: unknown[]): Promise<void> } };\n\nexport const probe = (): Promise<void> => queues.queue('mail').addBulk([]);\n",
    ruleId: 'no-restricted-syntax',
    says: 'API code never calls queue.add/addBulk',
  },
  {
    name: 'a BullMQ Worker imported in API code',
    filePath: 'apps/api/src/lint-probe.ts',
    code: "import { Worker } from 'bullmq';\n\nexport const probe = Worker;\n",
    ruleId: 'no-restricted-imports',
    says: 'API code never produces or consumes jobs directly',
  },
  {
    name: 'an import cycle through the library entry point',
    // clinic.entity.ts is re-exported by libs/core/src/index.ts, so importing the index back closes a cycle.
    filePath: 'libs/core/src/clinic/clinic.entity.ts',
    code: "import { CORE_ENTITIES } from '../index.js';\n\nexport const probe = CORE_ENTITIES;\n",
    ruleId: 'import-x/no-cycle',
    says: 'Dependency cycle detected',
  },
  {
    name: 'forwardRef',
    filePath: 'libs/core/src/lint-probe.ts',
    code: "import { forwardRef } from '@nestjs/common';\n\nexport const probe = forwardRef;\n",
    ruleId: 'no-restricted-imports',
    says: 'forwardRef hides a dependency cycle',
  },
  {
    name: 'synchronize: true',
    filePath: 'apps/cli/src/lint-probe.ts',
    code: 'export const options = { type: "postgres", synchronize: true };\n',
    ruleId: 'no-restricted-syntax',
    says: 'never TypeORM synchronize',
  },
  {
    name: 'getRepository outside libs/core/src/database',
    filePath: 'libs/core/src/outbox/lint-probe.ts',
    code: 'declare const manager: { getRepository(target: string): unknown };\n\nexport const probe = manager.getRepository("outbox");\n',
    ruleId: 'no-restricted-syntax',
    says: 'getRepository is reserved to libs/core/src/database',
  },
  {
    name: 'a session-level tenant setting in a template literal',
    filePath: 'libs/core/src/outbox/lint-probe.ts',
    code: "export const sql = (id: string): string => `select set_config('app.clinic_id', ${id}, false)`;\n",
    ruleId: 'mend/no-session-tenant-setting',
    says: 'session-level',
  },
  {
    name: 'SET LOCAL app.clinic_id',
    filePath: 'libs/core/src/outbox/lint-probe.ts',
    code: "export const sql = 'SET LOCAL app.clinic_id = $1';\n",
    ruleId: 'mend/no-session-tenant-setting',
    says: 'SET [LOCAL] app.*',
  },
];

const ALLOWED: readonly Snippet[] = [
  {
    name: 'core importing contracts',
    filePath: 'libs/core/src/lint-probe.ts',
    code: "import type { ProblemDocument } from '@mend/contracts';\n\nexport type Probe = ProblemDocument;\n",
  },
  {
    name: 'a library importing those before it and a rule library',
    filePath: 'libs/sessions/src/lint-probe.ts',
    code: "import { Assessment } from '@mend/coach';\nimport { Identity } from '@mend/identity';\n\nexport const probe = [Assessment, Identity];\n",
  },
  {
    name: 'an app importing the composition root',
    filePath: 'apps/worker/src/lint-probe.ts',
    code: "import { ENTITIES } from '@mend/platform';\n\nexport const probe = ENTITIES;\n",
  },
  {
    name: '@mend/testing in a unit test',
    filePath: 'apps/worker/src/lint-probe.spec.ts',
    code: "import { drainQueues } from '@mend/testing';\n\nexport const probe = drainQueues;\n",
  },
  {
    name: 'an end-to-end test loading an app by path',
    filePath: 'test/e2e/health/lint-probe.e2e-spec.ts',
    code: "import { createApiApplication } from '../../../apps/api/src/bootstrap.js';\n\nexport const probe = createApiApplication;\n",
  },
  {
    name: 'getRepository inside the unit of work',
    filePath: 'libs/core/src/database/lint-probe.ts',
    code: 'declare const manager: { getRepository(target: string): unknown };\n\nexport const probe = manager.getRepository("outbox");\n',
  },
  {
    name: 'the transaction-local tenant setting',
    filePath: 'libs/core/src/database/lint-probe.ts',
    code: 'export const sql = "select set_config(\'app.clinic_id\', $1, true)";\n',
  },
  {
    name: 'the outbox in API code',
    filePath: 'apps/api/src/lint-probe.ts',
    code: "import { enqueueJob } from '@mend/core';\n\nexport const probe = enqueueJob;\n",
  },
];

function lint(snippets: readonly Snippet[]): Reported[][] {
  const output = execFileSync(process.execPath, [join(ROOT, 'tools', 'eslint', 'lint-snippets.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(snippets.map(({ filePath, code }) => ({ filePath, code }))),
    encoding: 'utf8',
  });
  return JSON.parse(output) as Reported[][];
}

describe('ESLint architecture rules', () => {
  let forbidden: Reported[][];
  let allowed: Reported[][];

  beforeAll(() => {
    const reports = lint([...FORBIDDEN, ...ALLOWED]);
    forbidden = reports.slice(0, FORBIDDEN.length);
    allowed = reports.slice(FORBIDDEN.length);
  }, 120_000);

  it.each(FORBIDDEN.map((snippet, index) => [snippet.name, index] as const))('reports %s', (_name, index) => {
    const { ruleId, says } = FORBIDDEN[index];
    expect(forbidden[index]).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId, message: expect.stringContaining(says) })]),
    );
  });

  it.each(ALLOWED.map((snippet, index) => [snippet.name, index] as const))('allows %s', (_name, index) => {
    expect(allowed[index]).toEqual([]);
  });
});
