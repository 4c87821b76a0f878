import { IdentityError } from './identity.errors.js';
import { isStaff, normaliseRoles } from './roles.js';

describe('roles', () => {
  it('sorts and de-duplicates staff roles', () => {
    expect(normaliseRoles(['counselor', 'clinic_admin', 'counselor'])).toEqual(['clinic_admin', 'counselor']);
  });

  it('refuses an empty set, unknown roles, and client combined with staff', () => {
    expect(() => normaliseRoles([])).toThrow(IdentityError);
    expect(() => normaliseRoles(['owner'])).toThrow(IdentityError);
    expect(() => normaliseRoles(['client', 'counselor'])).toThrow(/cannot be combined/);
    expect(normaliseRoles(['client', 'client'])).toEqual(['client']);
  });

  it('counts every role but client as staff (a second factor is required)', () => {
    expect(isStaff(['client'])).toBe(false);
    expect(isStaff(['supervisor'])).toBe(true);
    expect(isStaff(['clinic_admin', 'counselor'])).toBe(true);
  });
});
