/**
 * An audit event or security event the trail refuses (a programming error: a
 * malformed action, free text in metadata). The message names the field, never
 * its value.
 */
export class AuditEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditEventError';
  }
}

/** The chain cannot be sealed as it stands (for example, the transaction id counter went backwards). */
export class AuditSealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditSealError';
  }
}
