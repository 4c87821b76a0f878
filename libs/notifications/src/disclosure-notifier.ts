import type { TenantTransaction } from '@mend/core';
import type { DisclosureNotifier, DisclosureRecord } from '@mend/repair-plans';

import type { NotificationCenter } from './notification-center.js';

/**
 * Tells the author of a disclosed item, in-app, that something they wrote was
 * shared (content-free title). Only the author: never the other participants.
 * No notification when the author released it themselves (they just did it),
 * or has no portal membership yet.
 */
export class InAppDisclosureNotifier implements DisclosureNotifier {
  constructor(private readonly center: NotificationCenter) {}

  async disclosed(tx: TenantTransaction, disclosure: DisclosureRecord): Promise<void> {
    const rows = await tx.query<{ membership_id: string | null }>(
      'select membership_id from clients where clinic_id = $1 and id = $2',
      [tx.clinicId, disclosure.authorClientId],
    );
    const recipient = rows[0]?.membership_id ?? null;
    if (recipient === null) return;
    if (disclosure.disclosedByMembershipId?.toLowerCase() === recipient.toLowerCase()) return;
    await this.center.notify(tx, {
      recipientMembershipId: recipient,
      kind: 'disclosure.made',
      caseId: disclosure.caseId,
      subject: { type: 'disclosure', id: disclosure.id },
    });
  }
}
