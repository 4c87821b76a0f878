export * from './database.js';
export * from './factories.js';
export * from './queues.js';
export * from './test-environment.js';
export * from './test-logger.js';
export * from './smtp-sink.js';
