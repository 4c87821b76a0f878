// Project rules that no-restricted-imports/no-restricted-syntax cannot express:
// they need the linted file's path, or the whole text of a template literal.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The unit a path belongs to: libs/<name>, apps/<name>, or its top-level folder. */
function unitOf(relativePath) {
  const [first, second] = relativePath.split(sep);
  if ((first === 'libs' || first === 'apps') && second !== undefined) return `${first}/${second}`;
  return first;
}

// Tests and benchmarks reach apps by path (apps have no @mend alias); libraries
// and migrations they must load through @mend/<name> like everyone else.
const MAY_IMPORT_APPS_BY_PATH = new Set(['test', 'bench']);

function escapeProblem(fromUnit, toUnit) {
  if (fromUnit === toUnit) return undefined;
  if (fromUnit.startsWith('libs/') || fromUnit.startsWith('apps/') || fromUnit === 'migrations') {
    return fromUnit.startsWith('libs/')
      ? `A relative import must stay inside ${fromUnit}: use @mend/<name> for another library (libraries never import apps).`
      : `A relative import must stay inside ${fromUnit}: use @mend/<name> for a library.`;
  }
  if (MAY_IMPORT_APPS_BY_PATH.has(fromUnit)) {
    if (toUnit.startsWith('apps/')) return undefined;
    if (toUnit.startsWith('libs/') || toUnit === 'migrations') {
      return 'Load libraries and migrations through their entry point @mend/<name>, not by relative path.';
    }
  }
  return undefined;
}

const noRelativeEscape = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports stay inside their library or app (ARCHITECTURE.md, Libraries).' },
    schema: [],
    messages: { escape: '{{problem}} ("{{source}}")' },
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    const fromPath = relative(ROOT, filename);
    if (fromPath.startsWith('..')) return {};
    const fromUnit = unitOf(fromPath);
    const check = (sourceNode) => {
      if (sourceNode?.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
      const source = sourceNode.value;
      if (!source.startsWith('./') && !source.startsWith('../')) return;
      const toPath = relative(ROOT, resolve(dirname(filename), source));
      const problem = toPath.startsWith('..')
        ? 'A relative import must not leave the repository.'
        : escapeProblem(fromUnit, unitOf(toPath));
      if (problem !== undefined) context.report({ node: sourceNode, messageId: 'escape', data: { problem, source } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

// A session-level setting survives on the pooled connection and leaks one
// clinic's id to the next request (STACK.md): only set_config(..., true) inside
// the unit of work's transaction is allowed. `SET LOCAL app.x = $1` is a syntax
// error in PostgreSQL, so any SET of an app.* setting is wrong.
const SESSION_SET_CONFIG = /set_config\s*\((?:[^()]|\([^()]*\))*,\s*false\s*\)/i;
const SET_APP_SETTING = /\bSET\s+(?:LOCAL\s+|SESSION\s+)?app\./i;

const noSessionTenantSetting = {
  meta: {
    type: 'problem',
    docs: {
      description: 'The tenant setting is transaction-local: no session-level set_config, no SET of app.* settings.',
    },
    schema: [],
    messages: {
      sessionSetConfig:
        "A set_config with is_local = false is session-level and leaks the clinic to the next user of the pooled connection: use set_config('app.clinic_id', $1, true) through UnitOfWork.",
      setStatement:
        "SET [LOCAL] app.* is wrong here (session-level, or a syntax error with parameters): use set_config('app.clinic_id', $1, true) through UnitOfWork.",
    },
  },
  create(context) {
    const check = (node, text) => {
      if (SESSION_SET_CONFIG.test(text)) context.report({ node, messageId: 'sessionSetConfig' });
      else if (SET_APP_SETTING.test(text)) context.report({ node, messageId: 'setStatement' });
    };
    return {
      Literal(node) {
        if (typeof node.value === 'string') check(node, node.value);
      },
      TemplateLiteral(node) {
        // Placeholders become `$x` so that `set_config('app.clinic_id', ${id}, false)` is still seen whole.
        check(node, node.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join('$x'));
      },
    };
  },
};

export const mendPlugin = {
  meta: { name: 'eslint-plugin-mend' },
  rules: {
    'no-relative-escape': noRelativeEscape,
    'no-session-tenant-setting': noSessionTenantSetting,
  },
};
