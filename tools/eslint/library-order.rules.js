// The architecture rules of ARCHITECTURE.md as ESLint configuration: which library
// may import which, what API code may do with queues, and the database and tenant
// rules. Generated from one ordered list so that adding a library is one line.
import { readdirSync } from 'node:fs';

/**
 * The fixed dependency order: a library may import only the libraries before it.
 * `contracts` imports nothing from @mend; `platform` is the composition root above
 * every domain library. Add a new library here, at its place in the order.
 */
export const LIBRARY_ORDER = [
  'contracts',
  'core',
  'audit',
  'identity',
  'clients',
  'access',
  'repair-plans',
  'homework',
  'measures',
  'sessions',
  'notifications',
  'reports',
  'platform',
];

/** Pure, I/O-free rule libraries beside `core`: any library may use them; they import only `contracts`. */
export const RULE_LIBRARIES = ['coach', 'risk-scan'];

/** Imported only by tests; it may itself import every library. */
export const TEST_LIBRARY = 'testing';

/** `@mend/migrations` (migrations/index.ts) is not a library: only the composition root, apps and tests load it. */
export const MIGRATIONS = 'migrations';

export const APPS = ['api', 'worker', 'cli'];

export const SOURCE_EXTENSIONS = '{ts,tsx,mts,cts,js,mjs,cjs}';
const TEST_FILE_SUFFIXES = ['spec', 'int-spec', 'e2e-spec'];

/** Test files inside a folder ('' for the whole tree). */
export function testFiles(folder = '') {
  const prefix = folder === '' ? '**' : `${folder}/**`;
  return TEST_FILE_SUFFIXES.map((suffix) => `${prefix}/*.${suffix}.ts`);
}

const ALL_LIBRARIES = [...LIBRARY_ORDER, ...RULE_LIBRARIES, TEST_LIBRARY];

/** The @mend imports each library may use (itself excluded: inside a library, imports are relative). */
export function allowedImportsOf(library) {
  if (library === 'contracts') return [];
  if (RULE_LIBRARIES.includes(library)) return ['contracts'];
  if (library === TEST_LIBRARY) return [...LIBRARY_ORDER, ...RULE_LIBRARIES, MIGRATIONS];
  const position = LIBRARY_ORDER.indexOf(library);
  if (position < 0) throw new Error(`Unknown library "${library}"`);
  const before = LIBRARY_ORDER.slice(0, position);
  return [...before, ...RULE_LIBRARIES, ...(library === 'platform' ? [MIGRATIONS] : [])];
}

/**
 * Fails loudly when libs/ holds a folder the order does not know: an unlisted
 * library would otherwise escape the dependency rules silently.
 */
export function assertEveryLibraryIsOrdered(librariesFolder) {
  let folders;
  try {
    folders = readdirSync(librariesFolder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return;
  }
  const unknown = folders.filter((name) => !ALL_LIBRARIES.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `libs/${unknown.join(', libs/')} is not in the library order: add it to LIBRARY_ORDER or RULE_LIBRARIES ` +
        'in tools/eslint/library-order.rules.js (ARCHITECTURE.md, Libraries).',
    );
  }
}

const ORDER_TEXT = `${LIBRARY_ORDER.join(' < ')} (${RULE_LIBRARIES.join(', ')} beside core)`;

const DEEP_IMPORT = {
  regex: '^@mend/[^/]+/',
  message: 'Import a library only through its entry point, @mend/<name> (libs/<name>/src/index.ts).',
};

const FORWARD_REF = {
  name: '@nestjs/common',
  importNames: ['forwardRef'],
  message:
    'forwardRef hides a dependency cycle: upward calls go through domain events or queued jobs (ARCHITECTURE.md).',
};

const INJECT_REPOSITORY = {
  name: '@nestjs/typeorm',
  importNames: ['InjectRepository'],
  message: 'Repositories come only from the unit of work (UnitOfWork.run(clinicId, tx => tx.repository(...))).',
};

const API_QUEUE_CLASSES = {
  name: 'bullmq',
  importNames: ['Queue', 'Worker', 'FlowProducer'],
  message: 'API code never produces or consumes jobs directly: write an outbox row with enqueueJob(tx, ...) instead.',
};

const SERVER_PACKAGES = ['@nestjs/*', 'typeorm', 'bullmq', 'pg', 'ioredis', 'pino'];

function forbiddenLibraryPaths(scopeName, allowed, { isTest }) {
  const forbidden = [...ALL_LIBRARIES, MIGRATIONS].filter(
    (library) => !allowed.includes(library) && !(isTest && library === TEST_LIBRARY),
  );
  return forbidden.map((library) => {
    let message;
    if (library === TEST_LIBRARY) {
      message = '@mend/testing is imported only by tests (*.spec.ts, test/**).';
    } else if (library === MIGRATIONS) {
      message = 'Migrations are loaded only by the composition root (@mend/platform), apps and tests.';
    } else if (scopeName === `libs/${library}`) {
      message = 'Inside a library, import its own files by relative path, not through its @mend entry point.';
    } else {
      const may = allowed.length === 0 ? 'nothing from @mend' : allowed.map((name) => `@mend/${name}`).join(', ');
      message = `${scopeName} may import only ${may}. Library order: ${ORDER_TEXT}.`;
    }
    return { name: `@mend/${library}`, message };
  });
}

function importRestrictions(scope, isTest) {
  const paths = [FORWARD_REF, ...forbiddenLibraryPaths(scope.name, scope.allowed, { isTest })];
  if (!scope.isRepositoryHome) paths.push(INJECT_REPOSITORY);
  if (scope.isApi) paths.push(API_QUEUE_CLASSES);
  const patterns = [DEEP_IMPORT];
  if (scope.isWeb) {
    patterns.push({
      group: SERVER_PACKAGES,
      message: 'apps/web runs in the browser: it shares only types from @mend/contracts with the server.',
    });
  }
  return ['error', { paths, patterns }];
}

// Any receiver named like a queue: queue, mailQueue, this.queues, queueConnection.queue(name).
const QUEUE_OBJECT = '/queue/i';

function syntaxRestrictions(scope) {
  const selectors = [
    {
      selector: "Property[key.name='synchronize'][value.value=true]",
      message: 'Schema changes only through migrations, never TypeORM synchronize (ARCHITECTURE.md).',
    },
    {
      selector: "CallExpression[callee.name='forwardRef'], MemberExpression[property.name='forwardRef']",
      message: FORWARD_REF.message,
    },
  ];
  if (!scope.isRepositoryHome) {
    selectors.push(
      {
        selector: "Decorator[expression.callee.name='InjectRepository']",
        message: INJECT_REPOSITORY.message,
      },
      {
        selector: 'CallExpression[callee.property.name=/^get(Tree|Mongo)?Repository$/]',
        message: `${INJECT_REPOSITORY.message} getRepository is reserved to libs/core/src/database.`,
      },
    );
  }
  if (scope.isApi) {
    const producerMessage =
      'API code never calls queue.add/addBulk: write an outbox row with enqueueJob(tx, ...) in the same transaction.';
    selectors.push(
      {
        selector: `CallExpression[callee.property.name=/^add(Bulk)?$/][callee.object.name=${QUEUE_OBJECT}]`,
        message: producerMessage,
      },
      {
        selector: `CallExpression[callee.property.name=/^add(Bulk)?$/][callee.object.property.name=${QUEUE_OBJECT}]`,
        message: producerMessage,
      },
      {
        selector: `CallExpression[callee.property.name=/^add(Bulk)?$/][callee.object.callee.property.name=${QUEUE_OBJECT}]`,
        message: producerMessage,
      },
      {
        selector:
          "NewExpression[callee.name=/^(Worker|Queue|FlowProducer)$/], NewExpression[callee.property.name='Worker']",
        message: 'The API process never creates BullMQ queues or workers: jobs run in apps/worker.',
      },
      {
        selector: `CallExpression[callee.property.name='worker'][callee.object.property.name=${QUEUE_OBJECT}], CallExpression[callee.property.name='worker'][callee.object.name=${QUEUE_OBJECT}]`,
        message: 'The API process never creates BullMQ workers: jobs run in apps/worker.',
      },
    );
  }
  return ['error', ...selectors];
}

/**
 * Every folder with its own import rules. ESLint replaces (does not merge) a
 * rule's options when several config objects match a file, so each scope
 * carries its complete option list and later, narrower scopes win.
 */
function scopes() {
  const everything = [...LIBRARY_ORDER, ...RULE_LIBRARIES, MIGRATIONS];
  return [
    { name: 'this file', folder: '', allowed: everything },
    ...[...LIBRARY_ORDER, ...RULE_LIBRARIES, TEST_LIBRARY].map((library) => ({
      name: `libs/${library}`,
      folder: `libs/${library}`,
      allowed: allowedImportsOf(library),
    })),
    {
      name: 'libs/core/src/database',
      folder: 'libs/core/src/database',
      allowed: allowedImportsOf('core'),
      isRepositoryHome: true,
    },
    ...APPS.map((app) => ({ name: `apps/${app}`, folder: `apps/${app}`, allowed: everything, isApi: app === 'api' })),
    { name: 'apps/web', folder: 'apps/web', allowed: ['contracts'], isWeb: true },
    { name: 'migrations', folder: 'migrations', allowed: [] },
  ];
}

/** The flat-config objects enforcing the architecture, in the order they must appear. */
export function architectureConfigs() {
  const all = scopes();
  const main = all.map((scope) => ({
    name: `mend/architecture/${scope.folder || 'default'}`,
    files: [scope.folder === '' ? `**/*.${SOURCE_EXTENSIONS}` : `${scope.folder}/**/*.${SOURCE_EXTENSIONS}`],
    rules: {
      'no-restricted-imports': importRestrictions(scope, false),
      'no-restricted-syntax': syntaxRestrictions(scope),
    },
  }));
  // Test variants come after every main scope so that they win for test files,
  // and in the same order so that a narrower folder still beats a wider one.
  const tests = all.map((scope) => ({
    name: `mend/architecture/${scope.folder || 'default'}/tests`,
    files: scope.folder === '' ? [...testFiles(), `test/**/*.${SOURCE_EXTENSIONS}`] : testFiles(scope.folder),
    rules: {
      'no-restricted-imports': importRestrictions(scope, true),
      'no-restricted-syntax': syntaxRestrictions(scope),
    },
  }));
  return [...main, ...tests];
}
