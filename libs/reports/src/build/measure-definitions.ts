import type { TenantTransaction } from '@mend/core';
import { MeasureCatalogue, type MeasureDefinition } from '@mend/measures';

/** Definitions by (measure, version), resolved once per report (the clinic's licensed ones included). */
export class DefinitionCache {
  private readonly byKey = new Map<string, MeasureDefinition | null>();

  constructor(private readonly catalogue: MeasureCatalogue = new MeasureCatalogue()) {}

  async get(tx: TenantTransaction, measureId: string, version: string): Promise<MeasureDefinition | null> {
    const key = `${measureId}@${version}`;
    if (!this.byKey.has(key)) {
      let definition: MeasureDefinition | null;
      try {
        definition = (await this.catalogue.resolve(tx, measureId, version)).definition;
      } catch {
        // A version the catalogue no longer resolves: its scores are left out rather than mislabelled.
        definition = null;
      }
      this.byKey.set(key, definition);
    }
    return this.byKey.get(key) ?? null;
  }
}

/** The reliable-change threshold of a definition, or null when none is published or computed. */
export function thresholdOf(definition: MeasureDefinition): number | null {
  return definition.reliableChange.kind === 'none' ? null : definition.reliableChange.threshold;
}
