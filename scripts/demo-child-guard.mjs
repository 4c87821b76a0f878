/**
 * Preloaded into the API and the worker by `npm run demo` (node --import): when
 * the demo process disappears without stopping them (kill -9, a crash), the app
 * stops itself with SIGTERM, its normal graceful path, instead of running on
 * against a database that has gone and keeping the port busy.
 */
const parentPid = process.ppid;

setInterval(() => {
  // Once the parent is gone the process is re-parented (to init or a subreaper).
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGTERM');
}, 1_000).unref();
