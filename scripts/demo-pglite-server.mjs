/**
 * Serves one PGlite instance to several `pg` clients over TCP, for the embedded
 * demo (scripts/demo.mjs).
 *
 * PGlite is ONE PostgreSQL session. @electric-sql/pglite-socket multiplexes
 * client connections onto it, but its own scheduler (0.2.17) only keeps a
 * connection's messages together inside an explicit transaction. An
 * extended-protocol query (Parse, Bind, Describe, Execute, Sync) is several
 * messages, so two connections' queries interleave and one binds the other's
 * unnamed statement: "bind message supplies 2 parameters, but prepared statement
 * "" requires 7", or silently wrong rows when the shapes match; and one internal
 * error stops its queue for good (upstream electric-sql/pglite#1046). Both were
 * hit here with the worker's BullMQ polling next to other queries.
 *
 * This keeps pglite-socket's per-connection protocol handling (PGLiteSocketHandler)
 * and replaces the scheduler: a connection keeps the session from its first
 * extended-protocol message until its Sync, and for as long as it has a
 * transaction open; every other connection waits (so a transaction must never
 * wait on another connection: that deadlocks, and the watchdog says so).
 */
import { createServer } from 'node:net';

import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/** Frontend messages that belong to an extended-protocol batch ending at Sync ('S'). */
const EXTENDED_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H']);
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]);

/** Runs one connection's protocol messages at a time on the single PGlite session. */
export class PgliteSessionScheduler {
  /** @type {{ handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void, resolve: (n: number) => void, reject: (e: Error) => void, queuedAt: number }[]} */
  #queue = [];
  #isProcessing = false;
  /** The connection holding the session (mid-batch or in a transaction), or null. */
  #owner = null;
  #ownerSince = 0;

  constructor(db) {
    this.db = db;
  }

  /** Called by PGLiteSocketHandler with each complete frontend message of one connection, in order. */
  enqueue(handlerId, message, onData) {
    return new Promise((resolve, reject) => {
      this.#queue.push({ handlerId, message, onData, resolve, reject, queuedAt: Date.now() });
      void this.#process();
    });
  }

  getQueueLength() {
    return this.#queue.length;
  }

  /** How long the session has been held by one connection while others wait (0 when nobody waits). */
  blockedForMs(now = Date.now()) {
    if (this.#owner === null) return 0;
    const waiting = this.#queue.filter((item) => item.handlerId !== this.#owner);
    return waiting.length === 0
      ? 0
      : now - Math.max(this.#ownerSince, Math.min(...waiting.map((item) => item.queuedAt)));
  }

  /** A closed connection's queued messages are dropped. */
  clearQueueForHandler(handlerId) {
    this.#queue = this.#queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Connection closed'));
      return false;
    });
  }

  /**
   * A connection that closes while holding the session must not leave it mid-batch
   * (PostgreSQL would skip the next client's messages until a Sync) or inside its
   * transaction (the next client would run in it): end the batch, roll back.
   */
  async clearTransactionIfNeeded(handlerId) {
    if (this.#owner !== handlerId) return;
    await new Promise((resolve) => {
      this.#queue.unshift({
        handlerId,
        message: SYNC_MESSAGE,
        onData: () => undefined,
        resolve,
        reject: resolve,
        queuedAt: Date.now(),
        isCleanup: true,
      });
      void this.#process();
    });
  }

  async #process() {
    if (this.#isProcessing) return;
    this.#isProcessing = true;
    try {
      for (;;) {
        const index = this.#owner === null ? 0 : this.#queue.findIndex((item) => item.handlerId === this.#owner);
        if (index < 0 || index >= this.#queue.length) break;
        const [item] = this.#queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          if (item.isCleanup && this.db.isInTransaction()) await this.db.exec('rollback');
          item.resolve(bytes);
        } catch (error) {
          // Keep serving the other connections (upstream stops its queue here).
          item.reject(error instanceof Error ? error : new Error(String(error)));
        }
        const type = String.fromCharCode(item.message[0]);
        const holdsSession = !item.isCleanup && (EXTENDED_MESSAGES.has(type) || this.db.isInTransaction());
        if (holdsSession && this.#owner !== item.handlerId) this.#ownerSince = Date.now();
        this.#owner = holdsSession ? item.handlerId : null;
      }
    } finally {
      this.#isProcessing = false;
    }
  }
}

/**
 * A TCP server for `pg` clients on top of one PGlite instance. `port: 0` picks a
 * free port. `onBlocked(ms)` is called (at most every 10 s) while one
 * connection has held the session for over `blockedWarningMs` with others waiting.
 */
export async function startPgliteServer({ db, host = '127.0.0.1', port = 0, blockedWarningMs = 10_000, onBlocked }) {
  await db.waitReady;
  const scheduler = new PgliteSessionScheduler(db);
  const handlers = new Set();
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const handler = new PGLiteSocketHandler({ queryQueue: scheduler, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let lastWarning = 0;
  const watchdog = setInterval(() => {
    const blockedMs = scheduler.blockedForMs();
    if (blockedMs >= blockedWarningMs && Date.now() - lastWarning >= 10_000) {
      lastWarning = Date.now();
      onBlocked?.(blockedMs);
    }
  }, 1_000);
  watchdog.unref();

  return {
    port: server.address().port,
    scheduler,
    connections: () => handlers.size,
    /** Closes every client connection and the listener; PGlite itself stays open. */
    async stop() {
      clearInterval(watchdog);
      await Promise.allSettled([...handlers].map((handler) => handler.detach(true)));
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
