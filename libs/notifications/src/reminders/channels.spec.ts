import { invitationEmail, messageIdFor, passwordResetEmail, reminderEmail } from './channels.js';
import { REMINDER_CATEGORIES } from './reminder-categories.js';

describe('email templates', () => {
  it.each(REMINDER_CATEGORIES)(
    '%s: a prompt to open the portal, with a discreet variant naming nothing',
    (category) => {
      const ordinary = reminderEmail(category, false, 'https://portal.example/');
      expect(ordinary.text).toContain('https://portal.example/');
      const discreet = reminderEmail(category, true, 'https://portal.example/');
      expect(discreet).toEqual({
        subject: 'You have a new message',
        text: 'You have a new message.\n\nSign in to read it: https://portal.example/\n',
      });
    },
  );

  it('puts the link into invitation and reset emails, and derives a stable Message-ID', () => {
    expect(invitationEmail('https://x.example/i?t=1').text).toContain('https://x.example/i?t=1');
    expect(passwordResetEmail('https://x.example/r?t=1').text).toContain('https://x.example/r?t=1');
    expect(messageIdFor('k', 'Mend <no-reply@mend.example>')).toBe(messageIdFor('k', 'Mend <no-reply@mend.example>'));
    expect(messageIdFor('k', 'Mend <no-reply@mend.example>')).toMatch(/^<[0-9a-f]{40}@mend\.example>$/);
    expect(messageIdFor('k', 'a@b.example')).not.toBe(messageIdFor('k2', 'a@b.example'));
  });
});
