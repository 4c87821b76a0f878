/**
 * Hostile values for the security suites: strings that break naive code (NUL,
 * bidi overrides, emoji and surrogates, control characters, markup, template
 * and format strings, path traversal), numbers at and past every limit, and a
 * deterministic corpus of SQL fragments. Strings carry no real person's data.
 */

/** Marks injected text, so an error body that echoes the request is found (errors never quote input). */
export const ECHO_MARKER = 'MENDFUZZ';

/** Clinical free text the suites store wherever a text field takes it: it must never reach a log line. */
export const CLINICAL_CANARY = 'MENDCANARY-clinical-5b1e0c';

export const HOSTILE_STRINGS: readonly string[] = [
  // Clinical text that must stay out of logs (checked after each suite).
  CLINICAL_CANARY,
  `I feel unsafe at home ${CLINICAL_CANARY}`,
  // NUL and other control characters (PostgreSQL text cannot hold NUL).
  '\u0000',
  `a\u0000b`,
  `${ECHO_MARKER}\u0000${ECHO_MARKER}`,
  '\u0001\u0002\u0003\u0007\u0008',
  '\u001b[31mred\u001b[0m',
  'line\r\nInjected-Header: x',
  '\t\v\f',
  // Bidirectional overrides and invisible characters.
  '\u202Egnp.exe',
  `${ECHO_MARKER}\u202E\u2066\u2067\u2068\u2069\u200F\u200E`,
  '\u200B\u200C\u200D\u2060\uFEFF',
  '\u00A0\u2007\u202F\u3000',
  // Emoji, ZWJ sequences, astral and lone surrogates, non-characters.
  '😀',
  '👩‍👩‍👧‍👦🏳️‍🌈🇬🇧',
  '\uD83D',
  '\uDE00\uD83D',
  '\uFFFE\uFFFF',
  '𝕳𝖊𝖑𝖑𝖔 𝔀𝓸𝓻𝓵𝓭',
  // Combining marks and normalisation traps.
  `Z${'\u0301\u0308\u0327'.repeat(60)}`,
  'e\u0301 é Å Å ǅ ﬁ',
  'İıŞşĞğ ß ẞ',
  'Ω≈ç√∫˜µ≤≥÷',
  '田中さんにあげて下さい',
  'مرحبا بالعالم',
  'שלום עולם',
  // Markup and script.
  `<script>window.__mendCanary=1</script>${ECHO_MARKER}`,
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '<svg/onload=alert(1)>',
  '<!--#exec cmd="/bin/ls"-->',
  ']]><!ENTITY x SYSTEM "file:///etc/passwd">',
  // Template, format and expression strings.
  '${7*7}{{7*7}}#{7*7}<%= 7*7 %>',
  '%s%s%s%n%x%d',
  '{0}{1}{{}}',
  // Path traversal and URLs.
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '..\\..\\windows\\win.ini',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  // SQL and NoSQL.
  "' OR '1'='1",
  "'; DROP TABLE clients; --",
  '" OR ""="',
  '{"$gt": ""}',
  // Prototype and well-known names.
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  // Numbers and literals as text.
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F',
  'null',
  'undefined',
  'true',
  // Whitespace only and empty.
  '',
  ' ',
  '     ',
  '\n',
];

/** Numbers past every limit a JSON number can reach a handler with. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1.5,
  -1.5,
  0.1,
  1e-300,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  4_294_967_296,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
];

const SQL_BASES: readonly string[] = [
  "'",
  '"',
  '`',
  '\\',
  "''",
  "' OR '1'='1",
  "' OR 1=1--",
  '" OR 1=1--',
  "') OR ('1'='1",
  '1 OR 1=1',
  '1) OR (1=1',
  "' AND 1=0 UNION SELECT NULL--",
  "' UNION SELECT id, email, NULL FROM users--",
  "' UNION ALL SELECT current_user, version()--",
  '1 UNION SELECT 1,2,3',
  "'; DROP TABLE cases; --",
  "'; DELETE FROM clients; --",
  "'; UPDATE memberships SET roles = '{clinic_admin}'; --",
  "'; INSERT INTO audit_events DEFAULT VALUES; --",
  "'; SELECT pg_sleep(5)--",
  '(SELECT pg_sleep(5))',
  "' || pg_sleep(5) || '",
  // A stacked query switching the clinic inside the request's own transaction.
  "1; SELECT set_config('app.clinic_id', '00000000-0000-0000-0000-000000000000', true)",
  "' AND 1=CAST((SELECT version()) AS int)--",
  "' AND 1=(SELECT COUNT(*) FROM pg_tables)--",
  "'||(SELECT current_setting('app.clinic_id'))||'",
  'CASE WHEN 1=1 THEN 1 ELSE 1/0 END',
  '1/0',
  '1::int',
  "E'\\x27'",
  '$$ OR 1=1 $$',
  '$1',
  '$1; --',
  '?',
  ':id',
  '%',
  '%%',
  '_',
  '%_%',
  '*',
  'ORDER BY 1',
  'ORDER BY 99--',
  'displayName DESC, (SELECT 1)',
  'createdAt; DROP TABLE clients',
  'created_at',
  '"createdAt"',
  'updatedAt desc nulls first',
  'title COLLATE "C"',
  'id)) --',
  'random()',
  '(CASE WHEN (1=1) THEN id ELSE title END)',
  "lower('x')",
  '1 AND SLEEP(5)',
  "1' WAITFOR DELAY '0:0:5'--",
  '/**/OR/**/1=1',
  "admin'--",
  "' OR 'x' LIKE '%",
  "' OR EXISTS(SELECT 1 FROM pg_roles WHERE rolsuper)--",
  "'; COPY clients TO '/tmp/x'; --",
  "'; CREATE ROLE x SUPERUSER; --",
  '\\x00',
  '\\u0027',
  '%27%20OR%201%3D1--',
  '0x27',
];

const SQL_PREFIXES: readonly string[] = ['', 'displayName', 'createdAt', 'active', 'asc', '1', 'E05', 'auth.*'];
const SQL_SUFFIXES: readonly string[] = ['', ' --', ';', '/*', ' #'];

/**
 * A deterministic corpus of at least `count` distinct SQL fragments (classic
 * injection payloads, each after the kind of value a parameter expects and
 * before a comment or statement terminator).
 */
export function sqlFragments(count: number): string[] {
  const fragments = new Set<string>();
  for (const suffix of SQL_SUFFIXES) {
    for (const prefix of SQL_PREFIXES) {
      for (const base of SQL_BASES) fragments.add(`${prefix}${base}${suffix}`);
    }
  }
  const list = [...fragments];
  if (list.length < count) {
    // More than the corpus: casing variants keep every value distinct.
    for (let index = 0; list.length < count; index += 1) {
      const base = list[index % fragments.size];
      list.push(
        `${index % 2 === 0 ? base.toUpperCase() : base.toLowerCase()}${' '.repeat(1 + Math.floor(index / fragments.size))}`,
      );
    }
  }
  return list.slice(0, count);
}

/** JSON text of `depth` nested arrays (built as text: no recursion on this side). */
export function nestedArrayJson(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** JSON text of `depth` nested objects. */
export function nestedObjectJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Fields a client must never set (ownership, tenancy, authorship, state, audit): injected by the mass-assignment suite. */
export const PRIVILEGED_FIELDS: readonly string[] = [
  'id',
  'clinicId',
  'clinic_id',
  'tenantId',
  'ownerId',
  'authorId',
  'authorMembershipId',
  'authorClientId',
  'createdByMembershipId',
  'recordedByMembershipId',
  'userId',
  'membershipId',
  'role',
  'roles',
  'isAdmin',
  'status',
  'signedAt',
  'signedByMembershipId',
  'cosignedAt',
  'cosignedByMembershipId',
  'submittedAt',
  'releasedAt',
  'revealedAt',
  'acknowledgedAt',
  'visibility',
  'isPsychotherapyNote',
  'kind',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'archivedAt',
  'disabledAt',
  'version',
  'revision',
  'keyVersion',
  'passwordHash',
  'mfaEnrolled',
  'meta',
  'metadata',
  '_id',
];
