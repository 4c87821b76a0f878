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
 * `stdin: true` gives the parent a pipe to the child's stdin (commands to it).
 */
export function spawnTypeScript(
  file: string,
  env: NodeJS.ProcessEnv,
  options: { readonly stdin?: boolean } = {},
): TypeScriptChild {
  return spawnNode(['--import', 'tsx', join(ROOT, file)], file, env, options);
}

/** Runs a JavaScript file (a bundle made by bundle-child.ts) in a child Node process; see spawnTypeScript. */
export function spawnJavaScript(
  file: string,
  env: NodeJS.ProcessEnv,
  options: { readonly stdin?: boolean } = {},
): TypeScriptChild {
  return spawnNode([file], file, env, options);
}

function spawnNode(
  args: readonly string[],
  file: string,
  env: NodeJS.ProcessEnv,
  options: { readonly stdin?: boolean },
): TypeScriptChild {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: [options.stdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
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
