import type { FieldProblem } from '@mend/core';

import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Characters as a person counts them (code points), not UTF-16 units. */
function lengthOf(password: string): number {
  return [...password].length;
}

/**
 * The reasons a new password is refused, empty when it is acceptable (ASVS 6.2):
 * 8 to 128 characters taken as typed (any character, spaces included, no
 * composition rules), not one of the shipped common passwords, not the email
 * address or its local part.
 */
export function passwordProblems(password: string, context: { readonly email?: string } = {}): string[] {
  const problems: string[] = [];
  const length = lengthOf(password);
  if (length < PASSWORD_MIN_LENGTH) problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters`);
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) problems.push('This password is among the most common ones: choose another');
  if (context.email !== undefined) {
    const email = context.email.trim().toLowerCase();
    const localPart = email.split('@')[0];
    if (lowered === email || (localPart.length > 0 && lowered === localPart)) {
      problems.push('The password cannot be your email address');
    }
  }
  return problems;
}

/** Throws a 422 `weak_password` naming every problem (never the password). */
export function assertAcceptablePassword(
  password: string,
  field: string,
  context: { readonly email?: string } = {},
): void {
  const problems = passwordProblems(password, context);
  if (problems.length === 0) return;
  const errors: FieldProblem[] = problems.map((message) => ({ field, rule: 'passwordPolicy', message }));
  throw new WeakPasswordError(errors);
}

export class WeakPasswordError extends IdentityError {
  constructor(errors: readonly FieldProblem[]) {
    super(IdentityErrorCode.WeakPassword, 'The new password is not accepted: see errors', { errors });
  }
}
