import nodemailer from "nodemailer";
import type { AppContext } from "../../context";
import { appendToOutbox } from "./dev-outbox";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  readonly kind: "smtp" | "gmail" | "outbox";
  send(message: MailMessage): Promise<void>;
}

type MailContext = Pick<AppContext, "config" | "cache" | "log">;

// One transport per config object: contexts copied with `{ ...ctx }` share their config, hence their mailer.
const mailers = new WeakMap<object, Mailer>();

/** The mailer of a context: SMTP when SMTP_URL is set, Gmail OAuth2 with the seed's variables, else the outbox. */
export function getMailer(ctx: MailContext): Mailer {
  let mailer = mailers.get(ctx.config);
  if (!mailer) {
    mailer = createMailer(ctx);
    mailers.set(ctx.config, mailer);
  }
  return mailer;
}

/** Replaces the mailer of a context (tests that make a transport fail). */
export function setMailer(ctx: Pick<AppContext, "config">, mailer: Mailer): void {
  mailers.set(ctx.config, mailer);
}

function createMailer(ctx: MailContext): Mailer {
  const { mail } = ctx.config;
  if (mail.smtpUrl) return transportMailer("smtp", nodemailer.createTransport(mail.smtpUrl), mail.from);
  if (mail.gmail) {
    const transport = nodemailer.createTransport({
      service: "gmail",
      auth: {
        type: "OAuth2",
        user: mail.gmail.user,
        clientId: mail.gmail.clientId,
        clientSecret: mail.gmail.clientSecret,
        refreshToken: mail.gmail.refreshToken,
      },
    });
    return transportMailer("gmail", transport, mail.from);
  }
  if (ctx.config.env === "production") {
    ctx.log.warn("no mail transport configured (SMTP_URL or GMAIL_*): signup codes are printed on stderr");
  }
  // Tests read the outbox; the human line would only clutter their output.
  return createOutboxMailer(ctx, ctx.config.env === "test" ? () => {} : undefined);
}

function transportMailer(kind: "smtp" | "gmail", transport: nodemailer.Transporter, from: string): Mailer {
  return {
    kind,
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
  };
}

/**
 * Without a transport, messages go to an outbox kept in the context's cache (readable to tests and to
 * `GET /api/dev/outbox` outside production) and to one human-readable stderr line, never the JSON log.
 */
export function createOutboxMailer(
  ctx: Pick<AppContext, "cache" | "config">,
  write: (line: string) => void = (line) => {
    process.stderr.write(line);
  },
): Mailer {
  return {
    kind: "outbox",
    async send(message) {
      await appendToOutbox(ctx, message);
      write(`\n[mail outbox] to ${message.to}: ${message.subject}\n${message.text}\n\n`);
    },
  };
}
