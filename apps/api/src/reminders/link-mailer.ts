import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';

import { MEND_CONFIG, MEND_LOGGER, type MendConfig } from '@mend/core';
import { EmailSender, invitationEmail, passwordResetEmail, type EmailContent } from '@mend/notifications';

/**
 * Emails invitation and password-reset links when SMTP is configured
 * (SMTP_URL); the API still answers the link to the admin either way. The
 * email is sent once the response has gone out with a success status, i.e.
 * after the request's transaction committed: a rolled-back invitation is never
 * mailed. Failures are logged by code only (never the address or the link).
 */
@Injectable()
export class LinkMailer {
  private readonly sender: EmailSender | undefined;

  constructor(
    @Inject(MEND_CONFIG) config: MendConfig,
    @Inject(MEND_LOGGER) private readonly logger: Logger,
  ) {
    this.sender =
      config.smtp.url === undefined
        ? undefined
        : new EmailSender({ smtpUrl: config.smtp.url, from: config.smtp.from, publicUrl: config.publicUrl });
  }

  get isEnabled(): boolean {
    return this.sender !== undefined;
  }

  invitation(reply: FastifyReply, to: string, link: string, invitationId: string): void {
    this.afterSuccess(reply, to, invitationEmail(link), `invitation|${invitationId}`);
  }

  passwordReset(reply: FastifyReply, to: string, link: string, resetId: string): void {
    this.afterSuccess(reply, to, passwordResetEmail(link), `password-reset|${resetId}`);
  }

  private afterSuccess(reply: FastifyReply, to: string, content: EmailContent, key: string): void {
    const sender = this.sender;
    if (sender === undefined) return;
    reply.raw.once('finish', () => {
      if (reply.statusCode >= 300) return;
      sender.sendContent(to, content, key).then(
        () => this.logger.info({ kind: key.split('|')[0] }, 'Link email sent'),
        (error: unknown) =>
          this.logger.warn(
            { kind: key.split('|')[0], code: (error as { code?: string } | null)?.code ?? 'unknown' },
            'Link email failed; the admin still has the link',
          ),
      );
    });
  }
}
