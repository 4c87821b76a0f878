/**
 * The CSRF double submit (apps/api/src/auth/auth-cookies.ts): the API sets a
 * readable `__Host-mend_csrf` cookie (`mend_csrf` over plain http on a non-loopback host) at sign-in; every
 * unsafe request echoes it in X-CSRF-Token. The tokens themselves are HttpOnly
 * cookies the page never sees; nothing is kept in localStorage or sessionStorage.
 */
export const CSRF_HEADER = 'X-CSRF-Token';

export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [rawName, ...rest] = part.trim().split('=');
    if (rawName === '__Host-mend_csrf' || rawName === 'mend_csrf') {
      const value = decodeURIComponent(rest.join('='));
      if (value !== '') return value;
    }
  }
  return undefined;
}

export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
