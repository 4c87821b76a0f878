import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generate } from 'otplib';

import { RESULTS_DIR } from './env.js';

const PERIOD = 30;

/**
 * A TOTP code for a staff member's secret that has not been used yet in this run.
 * The API accepts each code once (across processes), so the time steps used are
 * kept in a file shared by every test file. The API accepts the steps now-1, now
 * and now+1 above the last one used (libs/identity/src/mfa/totp.ts), so this
 * takes the current step, else the next one (an authenticator whose clock runs
 * up to 30 s ahead), and only then waits for the clock to reach the step after
 * the last one used (at most 30 s). The previous step is never taken: the clock
 * could pass the next boundary before the API checks the code.
 */
export async function freshTotpCode(secret: string): Promise<string> {
  const file = join(RESULTS_DIR, 'totp-steps.json');
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (;;) {
    let used: Record<string, number> = {};
    try {
      used = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
    } catch {
      // first use
    }
    const current = Math.floor(Date.now() / 1000 / PERIOD);
    const step = Math.max(current, (used[secret] ?? -1) + 1);
    if (step <= current + 1) {
      used[secret] = step;
      writeFileSync(file, JSON.stringify(used));
      return generate({ secret, algorithm: 'sha1', digits: 6, period: PERIOD, epoch: step * PERIOD + 1 });
    }
    // Both taken: wait until the next step is the current one (then the one after it is accepted too).
    await new Promise((resolve) => setTimeout(resolve, (current + 1) * PERIOD * 1000 - Date.now() + 200));
  }
}
