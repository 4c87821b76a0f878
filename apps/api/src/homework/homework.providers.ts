import type { Provider } from '@nestjs/common';

import { FieldEncryption } from '@mend/core';
import { Assignments, Submissions, SYSTEM_HOMEWORK_CLOCK, type HomeworkClock } from '@mend/homework';
import { DisclosureLog } from '@mend/repair-plans';

import { HOMEWORK_CLOCK } from './homework.controller.js';

/**
 * Homework services: assignments and submissions (answers encrypted with the API's
 * FieldEncryption; releases and reveals written to the shared DisclosureLog). Tests
 * pass their clock (the same one the ledger reads).
 */
export function homeworkProviders(clock: HomeworkClock = SYSTEM_HOMEWORK_CLOCK): Provider[] {
  return [
    { provide: HOMEWORK_CLOCK, useValue: clock },
    { provide: Assignments, useValue: new Assignments(clock) },
    {
      provide: Submissions,
      useFactory: (encryption: FieldEncryption, disclosures: DisclosureLog) =>
        new Submissions(encryption, disclosures, clock),
      inject: [FieldEncryption, DisclosureLog],
    },
  ];
}
