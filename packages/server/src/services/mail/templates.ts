import type { MailMessage } from "./mailer";

export const MAIL_LOCALES = ["en", "ko", "ja", "zh"] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

interface Copy {
  codeSubject: string;
  codeBody: (code: string, minutes: number) => string;
  takenSubject: string;
  takenBody: string;
}

const COPY: Record<MailLocale, Copy> = {
  en: {
    codeSubject: "Your Modu-Arena verification code",
    codeBody: (code, minutes) =>
      `Your verification code is ${code}\n\nIt expires in ${minutes} minutes. If you did not request it, ignore this email.`,
    takenSubject: "Sign-up attempt on Modu-Arena",
    takenBody:
      "Someone tried to create a Modu-Arena account with this email address, but it already has one.\n\nSign in instead, or ignore this email if it was not you.",
  },
  ko: {
    codeSubject: "Modu-Arena 인증 코드",
    codeBody: (code, minutes) =>
      `인증 코드는 ${code} 입니다\n\n${minutes}분 후에 만료됩니다. 요청하지 않으셨다면 이 메일을 무시하세요.`,
    takenSubject: "Modu-Arena 가입 시도 알림",
    takenBody:
      "누군가 이 이메일 주소로 Modu-Arena 계정을 만들려고 했지만 이미 계정이 있습니다.\n\n로그인하시거나, 본인이 아니라면 이 메일을 무시하세요.",
  },
  ja: {
    codeSubject: "Modu-Arena 認証コード",
    codeBody: (code, minutes) =>
      `認証コードは ${code} です\n\n${minutes}分で有効期限が切れます。心当たりがない場合は、このメールを無視してください。`,
    takenSubject: "Modu-Arena への登録試行",
    takenBody:
      "このメールアドレスで Modu-Arena のアカウント作成が試みられましたが、すでにアカウントが存在します。\n\nログインしてください。心当たりがない場合は、このメールを無視してください。",
  },
  zh: {
    codeSubject: "您的 Modu-Arena 验证码",
    codeBody: (code, minutes) =>
      `您的验证码是 ${code}\n\n${minutes} 分钟后过期。如果这不是您本人的请求，请忽略此邮件。`,
    takenSubject: "Modu-Arena 注册尝试",
    takenBody:
      "有人尝试使用此邮箱地址创建 Modu-Arena 账户，但该邮箱已有账户。\n\n请直接登录；如果不是您本人，请忽略此邮件。",
  },
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`).replace(/\n/g, "<br>");

export function buildCodeMessage(to: string, code: string, ttlSeconds: number, locale: MailLocale = "en"): MailMessage {
  const copy = COPY[locale];
  const text = copy.codeBody(code, Math.round(ttlSeconds / 60));
  return { to, subject: copy.codeSubject, text, html: `<p style="font-family:sans-serif">${escapeHtml(text)}</p>` };
}

/** Sent instead of a code when the address is already registered, so the API answer does not reveal it. */
export function buildAlreadyRegisteredMessage(to: string, locale: MailLocale = "en"): MailMessage {
  const copy = COPY[locale];
  return { to, subject: copy.takenSubject, text: copy.takenBody, html: `<p>${escapeHtml(copy.takenBody)}</p>` };
}
