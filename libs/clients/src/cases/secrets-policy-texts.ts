import type { SecretsPolicyKind } from '@mend/contracts';

/**
 * The clinic's default wording of the two standard secrets policies
 * (synthetic, plausible clinic wording; a custom policy brings its own text).
 * Participants sign the exact text of a version: changing it makes a new version.
 */
export const DEFAULT_SECRETS_POLICY_TEXTS: Readonly<Record<Exclude<SecretsPolicyKind, 'custom'>, string>> = {
  no_secrets: [
    'No-secrets policy',
    '',
    'In this case your counselor works with both of you together. Anything you tell your counselor on your own — in an individual session, a private message or a private exercise — may be brought into the shared work when your counselor judges that it matters to the repair.',
    '',
    'Your counselor will not hold information that one of you keeps from the other if it affects the relationship you are working on. If you are not ready for something to be shared, tell your counselor before you disclose it, and you can decide together how and when to raise it.',
    '',
    'This does not apply to your safety: if you or someone else is at risk, your counselor will act to keep people safe first, and will talk with you about what is shared and with whom.',
    '',
    'By signing you confirm that you have read this policy and agree to work under it. You may ask to discuss it with your counselor at any time; a change to the policy will be shown to you and needs your signature again.',
  ].join('\n'),
  limited_secrets: [
    'Limited-secrets policy',
    '',
    'In this case your counselor works with both of you together, and may also see each of you on your own. What you say on your own is normally kept between you and your counselor, so that you can speak freely while you prepare to bring things into the shared work.',
    '',
    'There are limits. Your counselor will not keep a secret that would make the joint work dishonest — for example an ongoing affair or a hidden decision to end the relationship. If something like that comes up, your counselor will give you a reasonable time to share it yourself, with support, before the joint work continues. Your counselor may also decide, with you, that something should be released into the shared space; nothing is shared behind your back.',
    '',
    'Your safety comes first: if you or someone else is at risk, your counselor will act to keep people safe and will tell you what is shared and with whom.',
    '',
    'By signing you confirm that you have read this policy and agree to work under it. A change to the policy will be shown to you and needs your signature again.',
  ].join('\n'),
};
