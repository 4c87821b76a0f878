import { CASES, caseloadLoad } from './54-mend-caseload.mjs';

/**
 * GET /api/v1/cases?limit=50&include=homework — the caseload as the web app's
 * caseload page asks for it (with 25 cases a page there): `mend-caseload`'s
 * page, and for each case the counselor sees as care team its homework summary
 * (due, overdue and awaiting review summed over the participants, the next item
 * due) computed in the same statement. Before the summary existed the page made
 * one homework-overview request per case instead. No target of its own (issue 4's
 * is the caseload's): reported beside `mend-caseload` against the raw `pg`
 * select, so that what the counts cost stays visible.
 */
export const scenario = {
  name: 'mend-caseload-homework',
  description: `GET /api/v1/cases?limit=${CASES}&include=homework (mend-caseload's page with each care-team case's homework summary), 50 connections`,
  baselines: ['fastify-pg-select'],
  quick: true,
  run: caseloadLoad('&include=homework'),
};
