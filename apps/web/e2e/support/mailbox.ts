import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './proofdrop.js';

export type Mailbox = {
  url: string;
  /** The first unread mail to `to`, as it arrives. */
  next: (to: string) => Promise<ParsedMail>;
  close: () => Promise<void>;
};

/** A real SMTP server in the test process, so the server's mail goes out over the wire, as in production. */
export async function startMailbox(): Promise<Mailbox> {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  const addressedTo = (mail: ParsedMail, to: string) =>
    [mail.to ?? []].flat().some((address) => address.value.some((v) => v.address === to));
  return {
    url: `smtp://127.0.0.1:${port}`,
    next: async (to) => {
      for (let attempt = 0; attempt < 500; attempt++) {
        const index = received.findIndex((mail) => addressedTo(mail, to));
        if (index >= 0) return received.splice(index, 1)[0] as ParsedMail;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no mail to ${to} arrived`);
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The participant-page link a mail carries (`/g/<slug>#verify=<token>`). */
export function mailedLink(mail: ParsedMail): string {
  const link = /https?:\/\/\S+#verify=[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
  if (!link) throw new Error(`no link in the mail: ${mail.text}`);
  return link;
}
