import 'reflect-metadata';

import { runWorkerProcess } from './worker-process.js';

await runWorkerProcess();
