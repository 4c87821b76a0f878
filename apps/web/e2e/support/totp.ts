import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { generate } from 'otplib';

import { RESULTS_DIR } from './env.js';

const PERIOD = 30;

/**
 * A TOTP code for a staff member's secret that has not been used yet in this run.
 * The API accepts each code once (across processes), so the time steps used are
 * kept in a file shared by every test file; when the current step is taken, this
 * waits for the next one (at most 30 s).
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
    const step = Math.floor(Date.now() / 1000 / PERIOD);
    if ((used[secret] ?? -1) < step) {
      used[secret] = step;
      writeFileSync(file, JSON.stringify(used));
      return generate({ secret, algorithm: 'sha1', digits: 6, period: PERIOD, epoch: step * PERIOD + 1 });
    }
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * PERIOD * 1000 - Date.now() + 200));
  }
}
