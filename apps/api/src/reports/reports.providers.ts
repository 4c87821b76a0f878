import type { Provider } from '@nestjs/common';

import { FieldEncryption } from '@mend/core';
import { ReportService } from '@mend/reports';

/** The report service; FieldEncryption is the API's one shared provider (crypto/field-encryption.provider.ts). */
export const REPORTS_PROVIDERS: Provider[] = [
  {
    provide: ReportService,
    useFactory: (encryption: FieldEncryption) => new ReportService(encryption),
    inject: [FieldEncryption],
  },
];
