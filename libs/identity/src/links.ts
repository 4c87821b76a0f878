/** Where the web app accepts an invitation (the token travels in the query, the app POSTs it). */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
}

export function passwordResetLink(publicUrl: string, token: string): string {
  return `${publicUrl}/password-reset?token=${encodeURIComponent(token)}`;
}
