import { randomBytes, randomUUID } from 'node:crypto';

import { DecryptionError, EnvelopeEncryption } from '@mend/core';

import { MemorySlidingWindow } from '../throttle/sliding-window.js';
import { MfaService } from './mfa.service.js';
import { MemoryMfaStore } from './mfa.store.js';
import { totpCodeAt } from './totp.js';

const STEP_MS = 30_000;
// Mid-step, so "one step earlier/later" never crosses an edge by accident.
const START = 1_800_000_000_000 - (1_800_000_000_000 % STEP_MS) + 10_000;

describe('MfaService (fake clock, in-memory store)', () => {
  let clock: number;
  let store: MemoryMfaStore;
  let encryption: EnvelopeEncryption;
  let service: MfaService;
  let userId: string;

  const advance = (ms: number) => {
    clock += ms;
  };
  /** Moves past the attempt window so rate limiting does not mask what a test checks. */
  const freshWindow = () => advance(31_000);

  async function enroll(): Promise<{ secret: string; recoveryCodes: readonly string[] }> {
    const { secret } = await service.startEnrollment(userId, 'counselor@example.test');
    const confirmation = await service.confirmEnrollment(userId, await totpCodeAt(secret, clock));
    if (!confirmation.ok) throw new Error(`enrollment failed: ${confirmation.reason}`);
    return { secret, recoveryCodes: confirmation.recoveryCodes };
  }

  beforeEach(() => {
    clock = START;
    store = new MemoryMfaStore();
    encryption = new EnvelopeEncryption({ id: 'k1', key: randomBytes(32) });
    service = new MfaService(store, encryption, new MemorySlidingWindow(() => clock), {
      keyPrefix: 'unit',
      now: () => clock,
    });
    userId = randomUUID();
    store.addUser(userId);
  });

  describe('enrollment', () => {
    it('is not active until confirmed with a valid code', async () => {
      const { secret, otpauthUri } = await service.startEnrollment(userId, 'counselor@example.test');
      expect(otpauthUri).toContain(`secret=${secret}`);
      expect(await service.isEnrolled(userId)).toBe(false);
      expect(await service.verifyDetailed(userId, await totpCodeAt(secret, clock))).toEqual({
        ok: false,
        reason: 'not_enrolled',
      });

      const wrong = await service.confirmEnrollment(userId, '000000');
      expect(wrong).toEqual({ ok: false, reason: 'invalid' });
      expect(await service.isEnrolled(userId)).toBe(false);

      const confirmed = await service.confirmEnrollment(userId, await totpCodeAt(secret, clock));
      expect(confirmed.ok).toBe(true);
      expect(await service.isEnrolled(userId)).toBe(true);
    });

    it('returns 10 distinct recovery codes once and stores only their hashes', async () => {
      const { recoveryCodes } = await enroll();
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
      const stored = store.recoveryCodes.get(userId) ?? [];
      expect(stored).toHaveLength(10);
      for (const { hash } of stored) {
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(recoveryCodes.some((code) => hash.includes(code.replace('-', '')))).toBe(false);
      }
      expect(await service.remainingRecoveryCodes(userId)).toBe(10);
    });

    it('stores the seed envelope-encrypted, bound to the user (AAD user:<id>/mfa)', async () => {
      const { secret } = await enroll();
      const stored = store.users.get(userId);
      expect(stored?.secret).not.toContain(secret);
      expect(stored?.pendingSecret).toBeNull();
      const dataKey = encryption.unwrapDataKey(`user:${userId}/mfa`, stored?.dataKey ?? '');
      expect(encryption.decrypt(dataKey, stored?.secret ?? '', `user:${userId}/mfa`)).toBe(secret);
      // Copied to another user's row, the seed does not decrypt.
      const otherUser = randomUUID();
      expect(() => encryption.decrypt(dataKey, stored?.secret ?? '', `user:${otherUser}/mfa`)).toThrow(DecryptionError);
      expect(() => encryption.unwrapDataKey(`user:${otherUser}/mfa`, stored?.dataKey ?? '')).toThrow(DecryptionError);
    });

    it('refuses a second confirmation of the same enrollment', async () => {
      const { secret } = await service.startEnrollment(userId, 'counselor@example.test');
      const code = await totpCodeAt(secret, clock);
      expect((await service.confirmEnrollment(userId, code)).ok).toBe(true);
      expect(await service.confirmEnrollment(userId, code)).toEqual({ ok: false, reason: 'not_started' });
    });

    it('the code that confirmed the enrollment cannot then be used to sign in', async () => {
      const { secret } = await enroll();
      expect(await service.verifyDetailed(userId, await totpCodeAt(secret, clock))).toEqual({
        ok: false,
        reason: 'replayed',
      });
    });

    it('refuses to replace an active second factor unless the caller says it may (a proven second factor)', async () => {
      const { secret } = await enroll();
      await expect(service.startEnrollment(userId, 'counselor@example.test')).rejects.toMatchObject({
        status: 409,
        code: 'conflict',
      });
      expect(store.users.get(userId)?.pendingSecret).toBeNull();
      advance(STEP_MS);
      expect(await service.verify(userId, await totpCodeAt(secret, clock))).toBe('otp');
    });

    it('re-enrollment keeps the old seed working until the new one is confirmed, then replaces seed and codes', async () => {
      const first = await enroll();
      advance(STEP_MS);
      const { secret: second } = await service.startEnrollment(userId, 'counselor@example.test', {
        replaceExisting: true,
      });
      expect(await service.verify(userId, await totpCodeAt(first.secret, clock))).toBe('otp');

      advance(STEP_MS);
      expect((await service.confirmEnrollment(userId, await totpCodeAt(second, clock))).ok).toBe(true);
      freshWindow();
      expect(await service.verifyDetailed(userId, await totpCodeAt(first.secret, clock))).toEqual({
        ok: false,
        reason: 'invalid',
      });
      expect(await service.verify(userId, first.recoveryCodes[0])).toBeNull();
      expect(await service.verify(userId, await totpCodeAt(second, clock))).toBe('otp');
    });
  });

  describe('verification', () => {
    it('accepts a code once: the same step again is a replay', async () => {
      const { secret } = await enroll();
      advance(STEP_MS);
      const code = await totpCodeAt(secret, clock);
      expect(await service.verifyDetailed(userId, code)).toEqual({ ok: true, method: 'totp' });
      expect(await service.verifyDetailed(userId, code)).toEqual({ ok: false, reason: 'replayed' });
      advance(STEP_MS - 1_000); // still within the code's ±1 step window
      expect(await service.verifyDetailed(userId, code)).toEqual({ ok: false, reason: 'replayed' });
    });

    it('tolerates one step of drift each way, not two', async () => {
      const { secret } = await enroll();
      advance(5 * STEP_MS);
      expect(await service.verify(userId, await totpCodeAt(secret, clock - 2 * STEP_MS))).toBeNull();
      expect(await service.verify(userId, await totpCodeAt(secret, clock + 2 * STEP_MS))).toBeNull();
      expect(await service.verify(userId, await totpCodeAt(secret, clock - STEP_MS))).toBe('otp');
      freshWindow();
      expect(await service.verify(userId, await totpCodeAt(secret, clock + STEP_MS))).toBe('otp');
    });

    it('after accepting a later step, codes of earlier steps are refused (steps only move forward)', async () => {
      const { secret } = await enroll();
      advance(5 * STEP_MS);
      expect(await service.verify(userId, await totpCodeAt(secret, clock + STEP_MS))).toBe('otp');
      expect(await service.verifyDetailed(userId, await totpCodeAt(secret, clock))).toEqual({
        ok: false,
        reason: 'replayed',
      });
    });

    it('refuses a wrong code and malformed input', async () => {
      const { secret } = await enroll();
      advance(STEP_MS);
      const right = await totpCodeAt(secret, clock);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      expect(await service.verifyDetailed(userId, wrong)).toEqual({ ok: false, reason: 'invalid' });
      expect(await service.verifyDetailed(userId, 'not a code')).toEqual({ ok: false, reason: 'invalid' });
      expect(await service.verifyDetailed(userId, '')).toEqual({ ok: false, reason: 'invalid' });
      // The wrong attempts did not burn the step: the right code still works.
      expect(await service.verify(userId, `${right.slice(0, 3)} ${right.slice(3)}`)).toBe('otp');
    });

    it('recovery codes work once each, typed loosely', async () => {
      const { recoveryCodes } = await enroll();
      const [first, second] = recoveryCodes;
      expect(await service.verifyDetailed(userId, first)).toEqual({ ok: true, method: 'recovery_code' });
      expect(await service.verifyDetailed(userId, first)).toEqual({ ok: false, reason: 'invalid' });
      expect(await service.verify(userId, ` ${second.toUpperCase().replace('-', '')} `)).toBe('rc');
      expect(await service.verify(userId, second)).toBeNull();
      expect(await service.remainingRecoveryCodes(userId)).toBe(8);
    });

    it('limits attempts to 5 per 30 s per account, even with a correct code', async () => {
      const { secret } = await enroll();
      advance(STEP_MS);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expect(await service.verifyDetailed(userId, '000000')).toMatchObject({ ok: false, reason: 'invalid' });
      }
      const limited = await service.verifyDetailed(userId, await totpCodeAt(secret, clock));
      expect(limited).toEqual({ ok: false, reason: 'rate_limited', retryAfterSeconds: 30 });

      advance(29_000);
      expect(await service.verifyDetailed(userId, await totpCodeAt(secret, clock))).toMatchObject({
        reason: 'rate_limited',
        retryAfterSeconds: 1,
      });
      await expect(service.verify(userId, await totpCodeAt(secret, clock))).rejects.toMatchObject({
        status: 429,
        code: 'rate_limited',
        retryAfterSeconds: 1,
      });
      advance(1_000);
      expect(await service.verify(userId, await totpCodeAt(secret, clock))).toBe('otp');

      // Another account is not affected.
      const other = randomUUID();
      store.addUser(other);
      expect(await service.verifyDetailed(other, '000000')).toEqual({ ok: false, reason: 'not_enrolled' });
    });

    it('counts attempts in any 30 s, not per fixed window', async () => {
      await enroll();
      freshWindow();
      for (let attempt = 0; attempt < 4; attempt += 1) await service.verify(userId, '000000');
      advance(29_000);
      await service.verify(userId, '000000');
      advance(1_500); // the first four left the window; the fifth has not
      for (let attempt = 0; attempt < 4; attempt += 1) {
        expect(await service.verifyDetailed(userId, '000000')).toMatchObject({ reason: 'invalid' });
      }
      expect(await service.verifyDetailed(userId, '000000')).toMatchObject({ reason: 'rate_limited' });
    });
  });
});
