export type HealthStatus = 'ok' | 'unavailable';
