import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntitySchema, MixedList } from 'typeorm';

import type { MendConfig } from './config/config.js';
import { createDataSource, type EntityClass } from './database/data-source.factory.js';
import { Database } from './database/database.js';
import { UnitOfWork } from './database/unit-of-work.js';
import { HealthService } from './health/health.service.js';
import { QueueConnection } from './queue/queue-connection.js';

export const MEND_CONFIG = Symbol('MEND_CONFIG');
export const MEND_LOGGER = Symbol('MEND_LOGGER');

export interface CoreModuleOptions {
  readonly config: MendConfig;
  readonly logger: Logger;
  readonly entities: MixedList<EntityClass | string | EntitySchema>;
  readonly applicationName: string;
}

class CoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(QueueConnection) private readonly queues: QueueConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
    await this.database.close();
  }
}

/** Configuration, database, unit of work, queues and health for one process. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: MEND_CONFIG, useValue: options.config },
        { provide: MEND_LOGGER, useValue: options.logger },
        {
          provide: Database,
          useFactory: () =>
            new Database(
              createDataSource({
                url: options.config.database.url,
                entities: options.entities,
                poolSize: options.config.database.poolSize,
                applicationName: options.applicationName,
              }),
              options.logger,
            ),
        },
        { provide: UnitOfWork, useFactory: (database: Database) => new UnitOfWork(database), inject: [Database] },
        { provide: QueueConnection, useFactory: () => new QueueConnection(options.config) },
        {
          provide: HealthService,
          useFactory: (database: Database, unitOfWork: UnitOfWork, queues: QueueConnection) =>
            new HealthService(database, unitOfWork, queues),
          inject: [Database, UnitOfWork, QueueConnection],
        },
        CoreLifecycle,
      ],
      exports: [MEND_CONFIG, MEND_LOGGER, Database, UnitOfWork, QueueConnection, HealthService],
    };
  }
}
