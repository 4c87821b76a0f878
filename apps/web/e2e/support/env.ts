/**
 * What run.mjs hands the browser tests (environment variables), read once.
 */
function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`${name} is not set: run the browser tests with \`npm run test:browser\``);
  return value;
}

export const BASE_URL = required('MEND_BROWSER_BASE_URL');
/** The demo clinic seeded by `cli seed:demo`. */
export const CLINIC_ID = required('MEND_BROWSER_CLINIC_ID');
export const DEMO_PASSWORD = required('MEND_BROWSER_DEMO_PASSWORD');
/** Where screenshots and results go (git-ignored). */
export const RESULTS_DIR = required('MEND_BROWSER_RESULTS_DIR');

/** The synthetic people of the demo clinic (apps/cli/src/commands/clinic.commands.ts). */
export const DEMO = {
  admin: 'admin@demo.mend.example',
  supervisor: 'supervisor@demo.mend.example',
  counselor: 'counselor@demo.mend.example',
  /** Jordan Pike: the harmed partner of the demo couple case. */
  client1: 'client.one@demo.mend.example',
  /** Casey Pike: the other partner. */
  client2: 'client.two@demo.mend.example',
} as const;
