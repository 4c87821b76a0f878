import type { DeliveryOutcome, ReminderDelivery } from './reminder-delivery.js';

export interface ReminderDeliveryBatcherOptions {
  /** At most this many reminders per transaction (the worker's reminder concurrency is the natural bound). */
  readonly maxBatch: number;
  /** How long the first waiting delivery waits for others to join its batch. */
  readonly maxWaitMs: number;
}

interface Waiting {
  readonly clinicId: string;
  readonly reminderId: string;
  readonly resolve: (outcome: DeliveryOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the reminder deliveries that the worker's jobs ask for at about the
 * same time and runs them as one `deliverMany` per clinic: one transaction for
 * the decisions and the in-app rows of up to `maxBatch` reminders instead of one
 * each. Each job still gets its own outcome or error (a push channel failing
 * fails only its reminder's job). When the batch's transaction fails, each
 * reminder is delivered again on its own, so one bad row never fails the others.
 * A reminder asked for twice in the same batch is delivered once; the second
 * ask answers `skipped` / `duplicate`.
 */
export class ReminderDeliveryBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delivery: ReminderDelivery,
    private readonly options: ReminderDeliveryBatcherOptions,
  ) {}

  deliver(clinicId: string, reminderId: string): Promise<DeliveryOutcome> {
    return new Promise<DeliveryOutcome>((resolve, reject) => {
      this.waiting.push({ clinicId, reminderId, resolve, reject });
      if (this.waiting.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    const byClinic = new Map<string, Waiting[]>();
    for (const item of batch) {
      const items = byClinic.get(item.clinicId);
      if (items === undefined) byClinic.set(item.clinicId, [item]);
      else items.push(item);
    }
    for (const [clinicId, items] of byClinic) void this.run(clinicId, items);
  }

  private async run(clinicId: string, items: readonly Waiting[]): Promise<void> {
    let results: Awaited<ReturnType<ReminderDelivery['deliverMany']>>;
    try {
      results = await this.delivery.deliverMany(
        clinicId,
        items.map((item) => item.reminderId),
      );
    } catch (error) {
      if (items.length === 1) {
        items[0].reject(error);
        return;
      }
      await Promise.all(
        items.map((item) => this.delivery.deliver(clinicId, item.reminderId).then(item.resolve, item.reject)),
      );
      return;
    }
    const answered = new Set<string>();
    for (const item of items) {
      const id = item.reminderId.toLowerCase();
      const result = results.get(id);
      if (answered.has(id)) item.resolve({ status: 'skipped', reason: 'duplicate' });
      else if (result === undefined) item.reject(new Error('No outcome for the reminder'));
      else if (result.status === 'fulfilled') item.resolve(result.value);
      else item.reject(result.reason);
      answered.add(id);
    }
  }
}
