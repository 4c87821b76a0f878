import { createHash } from 'node:crypto';

import nodemailer, { type Transporter } from 'nodemailer';
import pLimit from 'p-limit';
import type { Logger } from 'pino';

import { CATEGORY_RULES, type ReminderCategory } from './reminder-categories.js';

/** A push message: ids and a category, never clinical content. */
export interface PushMessage {
  /** The same key on every attempt for one (reminder, occurrence, channel). */
  readonly idempotencyKey: string;
  readonly category: ReminderCategory;
  readonly discreet: boolean;
  /** Email address or phone number. */
  readonly to: string;
}

export interface PushResult {
  readonly providerMessageId: string;
}

/** A channel beyond the in-app notification centre (email, SMS): one interface, one idempotency key per delivery. */
export interface PushChannel {
  readonly channel: 'email' | 'sms';
  send(message: PushMessage): Promise<PushResult>;
}

/** The text of a reminder email: a prompt to open the portal, and a discreet variant that names nothing. */
export interface EmailContent {
  readonly subject: string;
  readonly text: string;
}

export function reminderEmail(category: ReminderCategory, discreet: boolean, portalUrl: string): EmailContent {
  if (discreet) {
    return {
      subject: 'You have a new message',
      text: `You have a new message.\n\nSign in to read it: ${portalUrl}\n`,
    };
  }
  const line = CATEGORY_RULES[category].emailLine;
  return {
    subject: `Reminder: ${line.replace(/\.$/, '')}`,
    text:
      `${line}\n\nOpen your portal to see it: ${portalUrl}\n\n` +
      'For your privacy this email holds no details; everything is in the portal.\n',
  };
}

export function invitationEmail(link: string): EmailContent {
  return {
    subject: 'You have been invited to Mend',
    text:
      'You have been invited to join Mend.\n\n' +
      `Accept the invitation within 7 days: ${link}\n\n` +
      'If you were not expecting this, ignore this email.\n',
  };
}

export function passwordResetEmail(link: string): EmailContent {
  return {
    subject: 'Reset your Mend password',
    text:
      'A password reset was requested for your Mend account.\n\n' +
      `Choose a new password within one hour: ${link}\n\n` +
      'If you did not ask for this, ignore this email; your password stays as it is.\n',
  };
}

/** A stable Message-ID from the idempotency key: a second attempt is the same message to every receiver. */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'mend.invalid';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
}

/**
 * SMTP connections one sender opens at once. Each send is its own connection,
 * and the worker runs up to REMINDER_CONCURRENCY deliveries together (200 by
 * default, for in-app batches); a mail server or provider would refuse, or
 * rate-limit, that many parallel connections from one client.
 */
export const SMTP_CONCURRENCY = 5;

export interface EmailSenderOptions {
  readonly smtpUrl: string;
  readonly from: string;
  readonly publicUrl: string;
}

/**
 * Email over SMTP (nodemailer). Every message carries a Message-ID derived from
 * its idempotency key and an `X-Mend-Idempotency-Key` header, so a retried send
 * is recognisably the same message. Bodies are plain text without clinical
 * content; nothing of the message is logged.
 */
export class EmailSender implements PushChannel {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;
  /** At most {@link SMTP_CONCURRENCY} sends at once, however many reminder jobs the worker runs. */
  private readonly limit = pLimit(SMTP_CONCURRENCY);

  constructor(private readonly options: EmailSenderOptions) {
    this.transport = nodemailer.createTransport(options.smtpUrl);
  }

  get portalUrl(): string {
    return `${this.options.publicUrl}/`;
  }

  async send(message: PushMessage): Promise<PushResult> {
    return this.sendContent(
      message.to,
      reminderEmail(message.category, message.discreet, this.portalUrl),
      message.idempotencyKey,
    );
  }

  async sendContent(to: string, content: EmailContent, idempotencyKey: string): Promise<PushResult> {
    const messageId = messageIdFor(idempotencyKey, this.options.from);
    const info = (await this.limit(() =>
      this.transport.sendMail({
        from: this.options.from,
        to,
        subject: content.subject,
        text: content.text,
        messageId,
        headers: { 'X-Mend-Idempotency-Key': idempotencyKey, 'Auto-Submitted': 'auto-generated' },
      }),
    )) as { messageId?: string };
    return { providerMessageId: info.messageId ?? messageId };
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * The SMS channel behind the same interface, with a logging adapter: it logs
 * the idempotency key and the category, never the number or any text. A real
 * provider replaces it (passing the idempotency key as the provider's own).
 */
export class LoggingSmsChannel implements PushChannel {
  readonly channel = 'sms' as const;

  constructor(private readonly logger: Pick<Logger, 'info'>) {}

  send(message: PushMessage): Promise<PushResult> {
    this.logger.info(
      { channel: 'sms', idempotencyKey: message.idempotencyKey, category: message.category },
      'SMS sent (logging adapter)',
    );
    return Promise.resolve({
      providerMessageId: `log-${createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 24)}`,
    });
  }
}
