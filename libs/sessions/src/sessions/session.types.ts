export const SESSION_MODALITIES = ['in_person', 'video', 'phone'] as const;
export type SessionModality = (typeof SESSION_MODALITIES)[number];

export const SESSION_KINDS = ['joint', 'individual'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const SESSION_STATUSES = ['scheduled', 'completed', 'cancelled', 'no_show'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** The statuses a scheduled session moves to (each once: they are final). */
export const SESSION_FINAL_STATUSES = ['completed', 'cancelled', 'no_show'] as const;
export type SessionFinalStatus = (typeof SESSION_FINAL_STATUSES)[number];

export const SESSION_EVENT_KINDS = ['scheduled', 'rescheduled', 'completed', 'cancelled', 'no_show'] as const;
export type SessionEventKind = (typeof SESSION_EVENT_KINDS)[number];

export const ATTENDANCE_STATUSES = ['attended', 'late', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const SESSION_MIN_MINUTES = 5;
export const SESSION_MAX_MINUTES = 720;
