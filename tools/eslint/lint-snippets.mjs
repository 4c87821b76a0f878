#!/usr/bin/env node
// Lints code snippets as if they were files at given paths, with the project's
// real eslint.config.js, and prints what each one reports. Used by
// library-order.spec.ts, which runs under CommonJS jest and so cannot load the
// ESM config itself. Input on stdin: [{ "filePath": "...", "code": "..." }].
// The snippets are not files, so the TypeScript project service cannot type them:
// type-aware rules are switched off here; every architecture rule is syntactic.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const snippets = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
const reports = [];
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: resolve(filePath) });
  reports.push(
    (result?.messages ?? []).map(({ ruleId, message, line, fatal }) => ({
      ruleId,
      message,
      line,
      fatal: fatal === true,
    })),
  );
}
process.stdout.write(JSON.stringify(reports));
