export const CHECK_IN_STATUSES = ['kept', 'partly_kept', 'missed'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

export const CHECK_IN_RESPONSES = ['confirmed', 'disputed'] as const;
export type CheckInResponseKind = (typeof CHECK_IN_RESPONSES)[number];

/** Who wrote an entry: the participant themselves, or the care team on their behalf (e.g. in a session). */
export const LEDGER_RECORDER_KINDS = ['participant', 'care_team'] as const;
export type LedgerRecorderKind = (typeof LEDGER_RECORDER_KINDS)[number];

export const BOUNDARY_SEVERITIES = ['low', 'moderate', 'high'] as const;
export type BoundarySeverity = (typeof BOUNDARY_SEVERITIES)[number];

export const DISCLOSURE_MODES = ['released_by_author', 'shared_by_care_team'] as const;
export type DisclosureMode = (typeof DISCLOSURE_MODES)[number];

export const NOTE_MAX_LENGTH = 2000;
