import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface TypeScriptChild {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout has a line matching `pattern`; rejects if the child exits first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Runs a TypeScript file of this repository in a child Node process through tsx
 * (as test/global-setup.ts does: tsconfig paths resolved, no build needed).
 */
export function spawnTypeScript(file: string, env: NodeJS.ProcessEnv): TypeScriptChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, file)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });
  return {
    process: child,
    exited,
    stdout: () => out,
    stderr: () => err,
    waitForLine: (pattern, timeoutMs = 30_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${file}: no line matching ${pattern} within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`));
        }, timeoutMs);
        function check(): void {
          const line = out.split('\n').find((candidate) => pattern.test(candidate));
          if (line !== undefined) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(
              new Error(
                `${file} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}; stderr: ${err.slice(-2000)}`,
              ),
            );
          }
        }
        listeners.add(check);
        check();
      }),
  };
}
