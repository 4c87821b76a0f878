import type { Provider } from '@nestjs/common';

import { FieldEncryption, masterKeyEnvelope, MEND_CONFIG, type MendConfig } from '@mend/core';

/**
 * The one FieldEncryption of the API (encryption at rest of clinical text with
 * per-clinic data keys). Inject `FieldEncryption`. It needs MASTER_KEY; with
 * MASTER_KEY_PREVIOUS also set, data keys still wrapped by the previous master
 * key keep unwrapping while `keys:rotate --master` re-wraps them.
 */
export const FIELD_ENCRYPTION_PROVIDER: Provider = {
  provide: FieldEncryption,
  useFactory: (config: MendConfig): FieldEncryption => {
    const envelope = masterKeyEnvelope(config);
    if (envelope === null) throw new Error('MASTER_KEY is required by the API (clinical text is encrypted at rest)');
    return new FieldEncryption(envelope);
  },
  inject: [MEND_CONFIG],
};
