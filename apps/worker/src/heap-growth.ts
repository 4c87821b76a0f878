import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far the heap grows past what survived the last full collection
 * (WORKER_HEAP_GROWING_PERCENT; 0 leaves V8's own factor). A worker delivering
 * a backlog allocates ~90 MB/s of short-lived BullMQ, ioredis and pg objects;
 * with V8's factor (up to 4× the live ~60 MB) its old space saw-toothed to
 * 160 MB and the process to 320 MB resident. V8 reads the factor each time it
 * sets the next collection's limit, so setting it here, before the first
 * job, governs every collection that matters (bench `mend-reminders`).
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
