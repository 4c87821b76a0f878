import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * In a child process (V8 flags are process-wide): applies the growth cap, then
 * allocates as a busy worker does — a live set that stays, and batches that live
 * for a few rounds, long enough to be promoted — and answers the peak heap size.
 */
async function peakHeapMb(percent: number): Promise<number> {
  const module = join(process.cwd(), 'apps/worker/src/heap-growth.ts');
  const script = `
    const { applyHeapGrowth } = await import(${JSON.stringify(module)});
    applyHeapGrowth(${percent});
    const live = Array.from({ length: 300_000 }, (_, i) => ({ i, s: 'live-' + i }));
    const window = [];
    let peak = 0;
    for (let round = 0; round < 400; round++) {
      window.push(Array.from({ length: 5_000 }, (_, j) => ({ round, j, s: 'job-' + round + '-' + j })));
      if (window.length > 20) window.shift();
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(JSON.stringify({ peak, live: live.length }));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
  });
  const result = JSON.parse(stdout.trim()) as { peak: number; live: number };
  expect(result.live).toBe(300_000);
  return result.peak / 1048576;
}

describe('applyHeapGrowth', () => {
  it('keeps the heap of a busy process closer to its live size than V8 would on its own', async () => {
    const own = await peakHeapMb(0);
    const capped = await peakHeapMb(50);
    // Measured: ~161 MB with V8's own factor, ~113 MB at 50 %.
    expect(capped).toBeLessThan(own * 0.85);
  }, 60_000);
});
