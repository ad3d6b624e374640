/** The mails participants get, as plain text: short, and with nothing that depends on remote images. */

export type MailContent = { subject: string; text: string };

/** How long an emailed link works. */
export const LINK_TTL_MS = 60 * 60_000;

/** The participant page opens with the link's token in its fragment, which never reaches a server log. */
export function entryLink(publicUrl: string, slug: string, token: string): string {
  return `${publicUrl}/g/${encodeURIComponent(slug)}#verify=${token}`;
}

/**
 * A one-time link that signs a browser in to the entry and proves the address. `confirms`: the entry counts
 * only once the address is proven, and it is not yet.
 */
export function linkMail(title: string, link: string, confirms: boolean): MailContent {
  const minutes = LINK_TTL_MS / 60_000;
  return !confirms
    ? {
        subject: `Your link to "${title}"`,
        text: `Open this link to get back to your entry in "${title}":\n\n${link}\n\nIt works once, for ${minutes} minutes. If you did not ask for it, ignore this mail: nobody gets in without it.\n`,
      }
    : {
        subject: `Confirm your email for "${title}"`,
        text: `Someone, hopefully you, entered "${title}" with this address. Open this link to confirm it:\n\n${link}\n\nYour entry counts once the address is confirmed. The link works once, for ${minutes} minutes; on the giveaway's page you can ask for a new one. If it was not you, ignore this mail: the entry never counts without it.\n`,
      };
}

export function winnerMail(
  title: string,
  rank: number,
  prize: string | undefined,
  pageUrl: string,
): MailContent {
  return {
    subject: `You won in "${title}"`,
    text: `Congratulations: you are winner #${rank} of "${title}"${prize ? `, and your prize is: ${prize}` : ''}.\n\nThe draw and its proof are on the giveaway's page:\n\n${pageUrl}\n\nThe host will contact you about your prize.\n`,
  };
}
