import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

import type { PasswordHashProfile } from '@mend/core';

/** argon2id parameters; `memoryCost` in KiB. */
export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/**
 * argon2id at 32 MiB, 4 passes, 1 lane: above OWASP's minimum in both memory and
 * passes (reliability.md AUTH-1: 19 MiB, t=2, p=1), whose verification took
 * 14–16 ms on the 2-vCPU development VM — below the 50–500 ms a sign-in should
 * cost an attacker's guess (issue 3). Here one verification takes 55–59 ms; at
 * 64 MiB and 2 passes it took as long (65–79 ms) with twice the memory: libuv's
 * four threads hash at once during a burst of sign-ins, 128 MiB at most at this
 * setting (the API's peak RSS rose by 100 MB with 64 MiB). Hashes made with
 * other parameters are replaced at the next successful sign-in.
 */
export const PRODUCTION_ARGON2: Argon2Parameters = { memoryCost: 32_768, timeCost: 4, parallelism: 1 };

/** Test runs only (refused with NODE_ENV=production): about a hundred times cheaper. */
export const TEST_ARGON2: Argon2Parameters = { memoryCost: 256, timeCost: 1, parallelism: 1 };

// The package's `Algorithm` is a `declare const enum` (no runtime object under swc/tsc
// isolated modules): its numeric value is used instead.
const ARGON2ID = 2 as Algorithm;

export interface PasswordVerification {
  readonly isValid: boolean;
  /** The stored hash was made with other parameters: store a new one (valid passwords only). */
  readonly needsRehash: boolean;
}

/**
 * argon2id in PHC format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), which carries
 * its own parameters: a hash made with older parameters still verifies and is
 * replaced on the next successful login. The password is hashed exactly as typed
 * (no trimming, no normalisation, no truncation).
 */
export class PasswordHasher {
  readonly parameters: Argon2Parameters;
  private readonly options: Options;
  private dummyHash: Promise<string> | undefined;

  constructor(profile: PasswordHashProfile | Argon2Parameters = 'production') {
    this.parameters =
      typeof profile === 'string' ? (profile === 'production' ? PRODUCTION_ARGON2 : TEST_ARGON2) : profile;
    this.options = { algorithm: ARGON2ID, ...this.parameters };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(storedHash: string, password: string): Promise<PasswordVerification> {
    let isValid: boolean;
    try {
      isValid = await verify(storedHash, password);
    } catch {
      // A malformed stored hash never signs anyone in.
      return { isValid: false, needsRehash: false };
    }
    return { isValid, needsRehash: isValid && this.needsRehash(storedHash) };
  }

  /**
   * Spends the same time as a real verification, for unknown emails and users
   * without a password, so that the answer's timing does not tell them apart.
   */
  async verifyAgainstDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash('not-a-password: equalises timing for unknown accounts');
    await verify(await this.dummyHash, password).catch(() => false);
  }

  needsRehash(storedHash: string): boolean {
    try {
      const stored = parseOptions(storedHash);
      return (
        (stored.algorithm as number) !== (ARGON2ID as number) ||
        stored.memoryCost !== this.parameters.memoryCost ||
        stored.timeCost !== this.parameters.timeCost ||
        stored.parallelism !== this.parameters.parallelism
      );
    } catch {
      return true;
    }
  }
}
