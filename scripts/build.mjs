#!/usr/bin/env node
// Compiles apps, libs and migrations to dist/ with tsc, then rewrites the @mend/*
// path aliases to relative paths (Node's ESM loader does not read tsconfig paths).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

if (existsSync(join(root, 'dist'))) rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--resolve-full-paths']);
if (existsSync(join(root, 'apps', 'web', 'package.json')) && process.env.MEND_SKIP_WEB !== 'true') {
  run('npm', ['run', 'build', '--workspace', 'apps/web']);
}
