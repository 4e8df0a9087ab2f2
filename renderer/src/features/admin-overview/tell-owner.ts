/**
 * "Tell the owner": an e-mail the administrator's own mail app opens, prefilled with which token,
 * on which server, and when it expires. It never holds a value (the vault has none of theirs).
 */
import type { OwnedTokenView } from '@contract';
import { formatDateTime, timeZoneName, tokenTypeName, type DateDisplay } from '@renderer/format';

export interface Server {
  label: string;
  baseUrl: string;
}

/** The mailto: link, or null without an e-mail (the main process opens nothing else anyway). */
export function tellOwnerHref(
  token: OwnedTokenView,
  server: Server,
  now: number,
  display: DateDisplay = {},
): string | null {
  if (!token.ownerEmail) return null;
  const { subject, body } = tellOwnerMessage(token, server, now, display);
  return `mailto:${token.ownerEmail}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

export function tellOwnerMessage(
  token: OwnedTokenView,
  server: Server,
  now: number,
  display: DateDisplay = {},
): { subject: string; body: string } {
  const expired = token.serverSaysExpired || (token.expiresAt !== null && token.expiresAt <= now);
  const when =
    token.expiresAt === null
      ? ''
      : ` on ${formatDateTime(token.expiresAt, display)} ${timeZoneName(token.expiresAt, display)}`;
  const kind = token.type ? `${tokenTypeName(token.type).toLowerCase()} token` : 'token';
  const project = token.projectKey ? ` for the project ${token.projectKey}` : '';
  const subject = expired
    ? `Your SonarQube token "${token.name}" has expired`
    : `Your SonarQube token "${token.name}" expires soon`;
  const lines = [
    `Hello ${token.ownerName},`,
    '',
    expired
      ? `Your ${kind} "${token.name}"${project} on ${server.label} (${server.baseUrl}) expired${when}. Anything that still uses it is refused.`
      : `Your ${kind} "${token.name}"${project} on ${server.label} (${server.baseUrl}) expires${when}. Anything that uses it stops working then.`,
    '',
    'Please generate a new token in SonarQube (My Account > Security), put it where the old one is used, then revoke the old one.',
  ];
  // Mail wants CRLF line breaks (RFC 6068).
  return { subject, body: lines.join('\r\n') };
}
