import { IdentityErrorCode } from '../identity.errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { assertAcceptablePassword, passwordProblems, WeakPasswordError } from './password-policy.js';

describe('password policy', () => {
  it('accepts 8 to 128 characters of anything, spaces and symbols included, with no composition rules', () => {
    expect(passwordProblems('quietriverbend')).toEqual([]);
    expect(passwordProblems('        a')).toEqual([]);
    expect(passwordProblems('\u{1F512}\u{1F511}\u00e9\u00e8\u00ea\u00eb\u00e0\u00e2')).toEqual([]);
    expect(passwordProblems('y'.repeat(128))).toEqual([]);
  });

  it('refuses fewer than 8 and more than 128 characters, counting characters rather than UTF-16 units', () => {
    expect(passwordProblems('short12')).toHaveLength(1);
    expect(passwordProblems('y'.repeat(129))).toHaveLength(1);
    // Seven emoji are 14 UTF-16 units but 7 characters: too short.
    expect(passwordProblems('\u{1F600}'.repeat(7))).toHaveLength(1);
    expect(passwordProblems('\u{1F600}'.repeat(8))).toEqual([]);
  });

  it('ships a list of at least 3,000 common passwords and refuses them in any letter case', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(3_000);
    for (const common of ['password', 'password1', 'iloveyou', 'qwerty123', '1q2w3e4r', 'football']) {
      expect(COMMON_PASSWORDS.has(common)).toBe(true);
      expect(passwordProblems(common.toUpperCase())).toHaveLength(1);
    }
  });

  it('refuses the email address or its local part', () => {
    expect(passwordProblems('Dana.Reyes@example.org', { email: 'dana.reyes@example.org' })).toHaveLength(1);
    expect(passwordProblems('dana.reyes', { email: 'dana.reyes@example.org' })).toHaveLength(1);
    expect(passwordProblems('dana.reyes!!', { email: 'dana.reyes@example.org' })).toEqual([]);
  });

  it('throws 422 weak_password naming the field, never echoing the password', () => {
    let thrown: unknown;
    try {
      assertAcceptablePassword('password1', 'newPassword');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WeakPasswordError);
    const error = thrown as WeakPasswordError;
    expect(error.code).toBe(IdentityErrorCode.WeakPassword);
    expect(error.status).toBe(422);
    expect(error.errors?.[0]).toMatchObject({ field: 'newPassword', rule: 'passwordPolicy' });
    expect(JSON.stringify(error.errors)).not.toContain('password1');
  });
});
