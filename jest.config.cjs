// Jest runs in CommonJS mode (its native ESM mode needs Node >= 24.9, see STACK.md).
// @swc/jest transforms the project's TypeScript and every package under node_modules
// that is published as ESM ("type": "module"), nested copies included.
const fs = require('node:fs');
const path = require('node:path');

function findEsmPackages(root) {
  const found = new Set();
  const visit = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const scoped = entry.name.startsWith('@');
      const packages = scoped
        ? fs
            .readdirSync(path.join(dir, entry.name), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => `${entry.name}/${e.name}`)
        : [entry.name];
      for (const name of packages) {
        const packageDir = path.join(dir, name);
        try {
          const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
          if (manifest.type === 'module') found.add(name);
        } catch {
          // not a package
        }
        visit(path.join(packageDir, 'node_modules'));
      }
    }
  };
  visit(root);
  return [...found];
}

const escapeRegExp = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const esmPackages = findEsmPackages(path.join(__dirname, 'node_modules'));
const swcOptions = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcOptions.$schema;

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', { ...swcOptions, swcrc: false }],
  },
  transformIgnorePatterns: [`node_modules/(?!(?:.*/)?(?:${esmPackages.map(escapeRegExp).join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '^@mend/migrations$': '<rootDir>/migrations/index.ts',
    '^@mend/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: ['<rootDir>/libs/testing/src/setup-env.ts'],
};

module.exports = {
  // A generous bound for suites that boot the API and the database on a busy 2-core box (a bound on
  // waiting, not a timing assertion: benchmarks live in bench/). Global: jest ignores a testTimeout
  // set inside `projects` (hooks then timed out at the default 5 s under load).
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/apps/*/src/**/*.spec.ts',
        '<rootDir>/libs/*/src/**/*.spec.ts',
        '<rootDir>/tools/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
