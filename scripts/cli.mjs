#!/usr/bin/env node
// `npm run cli -- <command> [options]`: runs the compiled operator CLI
// (dist/apps/cli/src/main.js), building it first on a fresh clone, and exits
// with the CLI's own exit code so scripts and CI can rely on it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

if (!existsSync(entry)) {
  process.stderr.write('dist/apps/cli/src/main.js is missing: building first (npm run build)\n');
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0 || !existsSync(entry)) {
    process.stderr.write(`Build failed${build.error ? `: ${build.error.message}` : ''}; not running the CLI.\n`);
    process.exit(build.status || 1);
  }
}

const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });

// Ctrl-C reaches the whole process group; a `kill` aimed at this launcher does
// not, so pass it on and let the CLI finish its own cleanup before we exit.
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);

child.on('error', (error) => {
  process.stderr.write(`Could not start the CLI: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal !== null) {
    // Die of the same signal so the caller sees what happened (exit 128 + n in a shell).
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(name);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
