/**
 * Crisis resources per country (clinical.md §4.3 "Crisis resources"): the built-in seed
 * is from clinical.md, which says they are from memory, so every entry is marked as
 * needing local verification until the clinic replaces the list with its own checked one.
 */
export interface CrisisResource {
  readonly name: string;
  /** What to dial or text, e.g. `988`, `text HOME to 741741`. */
  readonly contact: string;
  readonly kind: 'call' | 'text' | 'call_or_text' | 'emergency';
  /** A `tel:` or `sms:` link for tap-to-call/text, when there is one. */
  readonly href: string | null;
}

export interface CrisisResourceList {
  readonly country: string;
  readonly resources: readonly CrisisResource[];
  readonly needsLocalVerification: boolean;
  readonly source: 'built_in' | 'clinic';
  readonly verifiedAt: string | null;
}

export const NOT_MONITORED_STATEMENT =
  'This platform is not monitored around the clock. Your clinician has been notified, but may not see this right away. If you are in danger or might act on thoughts of harming yourself or someone else, call your local emergency number or one of the services below now.';

export const SUPPORTIVE_STATEMENT =
  'Thank you for telling us. Your clinician will review this. If things get worse, the services below can help at any time.';

export const BUILT_IN_CRISIS_RESOURCES: Readonly<Record<string, readonly CrisisResource[]>> = {
  US: [
    { name: '988 Suicide & Crisis Lifeline', contact: 'Call or text 988', kind: 'call_or_text', href: 'tel:988' },
    { name: 'Crisis Text Line', contact: 'Text HOME to 741741', kind: 'text', href: 'sms:741741?body=HOME' },
    { name: 'National Domestic Violence Hotline', contact: '1-800-799-7233', kind: 'call', href: 'tel:+18007997233' },
    {
      name: 'National Domestic Violence Hotline (text)',
      contact: 'Text START to 88788',
      kind: 'text',
      href: 'sms:88788?body=START',
    },
    { name: 'Emergency services', contact: '911', kind: 'emergency', href: 'tel:911' },
  ],
  GB: [
    { name: 'Samaritans', contact: '116 123', kind: 'call', href: 'tel:116123' },
    { name: 'National Domestic Abuse Helpline', contact: '0808 2000 247', kind: 'call', href: 'tel:08082000247' },
    { name: 'Emergency services', contact: '999', kind: 'emergency', href: 'tel:999' },
  ],
  CA: [
    { name: '988 Suicide Crisis Helpline', contact: 'Call or text 988', kind: 'call_or_text', href: 'tel:988' },
    { name: 'Emergency services', contact: '911', kind: 'emergency', href: 'tel:911' },
  ],
  AU: [
    { name: 'Lifeline', contact: '13 11 14', kind: 'call', href: 'tel:131114' },
    { name: '1800RESPECT', contact: '1800 737 732', kind: 'call', href: 'tel:1800737732' },
    { name: 'Emergency services', contact: '000', kind: 'emergency', href: 'tel:000' },
  ],
};

/** IANA zones of the seeded countries; any other zone falls back to the clinic's default country. */
const ZONE_COUNTRY: Readonly<Record<string, string>> = {
  'Europe/London': 'GB',
  'Europe/Belfast': 'GB',
  'America/Toronto': 'CA',
  'America/Vancouver': 'CA',
  'America/Edmonton': 'CA',
  'America/Winnipeg': 'CA',
  'America/Halifax': 'CA',
  'America/St_Johns': 'CA',
  'America/Regina': 'CA',
  'America/Moncton': 'CA',
  'America/Whitehorse': 'CA',
  'America/New_York': 'US',
  'America/Chicago': 'US',
  'America/Denver': 'US',
  'America/Phoenix': 'US',
  'America/Los_Angeles': 'US',
  'America/Anchorage': 'US',
  'Pacific/Honolulu': 'US',
};

/**
 * The country whose resources a client is shown: from their timezone when it names one
 * of the seeded countries unambiguously (any Australia/* zone is AU), else the clinic's
 * default country. Clients have no country field yet; the timezone is the best signal.
 */
export function countryOfTimezone(timezone: string | null, fallback: string): string {
  if (timezone === null) return fallback;
  if (timezone.startsWith('Australia/')) return 'AU';
  return ZONE_COUNTRY[timezone] ?? fallback;
}
