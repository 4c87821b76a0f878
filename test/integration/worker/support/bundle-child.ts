import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..', '..');
const LIBS = join(ROOT, 'libs') + sep;

/**
 * Bundles a child process's TypeScript entry into one ES module, for tests that
 * start that child hundreds of times (outbox-under-fire): `tsx` and the
 * libraries' barrels cost over a second of CPU per start; the bundle holds only
 * the code the entry reaches, so a start costs a fraction of that. Same source,
 * same code paths: the libraries are marked free of side effects so that what
 * their index files re-export but the entry never uses is left out, and npm
 * packages stay external (loaded from node_modules as usual). No decorator
 * metadata is emitted, so the entry must not use TypeORM entities or Nest
 * injection. The bundle is written under node_modules/.cache (git-ignored, and
 * packages resolve from there); returns its path.
 */
export async function bundleChild(entry: string): Promise<string> {
  const directory = join(ROOT, 'node_modules', '.cache', 'mend-test-children');
  mkdirSync(directory, { recursive: true });
  const outfile = join(directory, `${entry.replace(/[^\w]+/g, '-')}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
    plugins: [
      {
        name: 'mend-libraries-without-side-effects',
        setup(plugin) {
          plugin.onResolve({ filter: /^@mend\// }, (args) => ({
            path:
              args.path === '@mend/migrations'
                ? join(ROOT, 'migrations', 'index.ts')
                : join(ROOT, 'libs', args.path.slice('@mend/'.length), 'src', 'index.ts'),
            sideEffects: false,
          }));
          plugin.onResolve({ filter: /^\.\.?\// }, (args) => {
            if (!args.importer.startsWith(LIBS)) return undefined;
            const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
            return existsSync(file) ? { path: file, sideEffects: false } : undefined;
          });
        },
      },
    ],
  });
  return outfile;
}
