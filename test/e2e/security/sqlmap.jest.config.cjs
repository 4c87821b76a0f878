// The scripted sqlmap probe (not part of `npm test`: it takes minutes per parameter).
//   npx jest -c test/e2e/security/sqlmap.jest.config.cjs
// Needs Debian's sqlmap (`apt-get install -y sqlmap`), PostgreSQL and Redis like `npm test`.
// MEND_FUZZ_ONLY='<route regex>' limits the routes, MEND_SQLMAP_LEVEL (default 2) and
// MEND_SQLMAP_RISK (default 1) are sqlmap's --level and --risk.
const base = require('../../../jest.config.cjs');

const e2e = base.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'sqlmap',
  testMatch: ['<rootDir>/test/e2e/security/sqlmap.e2e-run.ts'],
  testTimeout: 6 * 60 * 60 * 1000,
};
