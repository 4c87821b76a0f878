/**
 * @mend/reports — progress reports (issue 9): the report models per kind and
 * audience (redaction is a property of the generator, see model/sections.ts),
 * the documented rules of favourable patterns and lingering concerns, the
 * renderers (PDF with vector charts, JSON, CSV), storage of requests and
 * encrypted files, the worker's builder and the schedule of recurring reports.
 */
export * from './reports.errors.js';
export * from './model/report.types.js';
export * from './model/sections.js';
export * from './model/period.js';
export * from './rules/patterns.js';
export * from './render/tables.js';
export * from './render/csv-and-json.js';
export * from './render/pdf.js';
export * from './build/measure-definitions.js';
export * from './build/case-report.js';
export * from './build/aggregate-reports.js';
export * from './build/report-builder.js';
export * from './storage/report.entities.js';
export * from './storage/report-files.js';
export * from './storage/report.service.js';
export * from './storage/report-schedule.js';

import { ReportArtifact, ReportRequest } from './storage/report.entities.js';

export const REPORTS_ENTITIES: (new () => object)[] = [ReportRequest, ReportArtifact];
