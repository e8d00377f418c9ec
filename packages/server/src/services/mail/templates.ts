import type { MailMessage } from "./mailer";

export const MAIL_LOCALES = ["en", "ko", "ja", "zh"] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

interface Copy {
  codeSubject: string;
  codeBody: (code: string, minutes: number) => string;
  takenSubject: string;
  takenBody: string;
  resetSubject: string;
  resetBody: (code: string, minutes: number) => string;
  noAccountSubject: string;
  noAccountBody: string;
}

const COPY: Record<MailLocale, Copy> = {
  en: {
    codeSubject: "Your Modu-Arena verification code",
    codeBody: (code, minutes) =>
      `Your verification code is ${code}\n\nIt expires in ${minutes} minutes. If you did not request it, ignore this email.`,
    takenSubject: "Sign-up attempt on Modu-Arena",
    takenBody:
      "Someone tried to create a Modu-Arena account with this email address, but it already has one.\n\nSign in instead, or ignore this email if it was not you.",
    resetSubject: "Reset your Modu-Arena password",
    resetBody: (code, minutes) =>
      `Your password reset code is ${code}\n\nIt expires in ${minutes} minutes. If you did not ask to reset your password, ignore this email: nothing changes.`,
    noAccountSubject: "Modu-Arena password reset",
    noAccountBody:
      "Someone asked to reset the Modu-Arena password of this email address, but no account uses it.\n\nIf it was you, sign up instead; otherwise ignore this email.",
  },
  ko: {
    codeSubject: "Modu-Arena 인증 코드",
    codeBody: (code, minutes) =>
      `인증 코드는 ${code} 입니다\n\n${minutes}분 후에 만료됩니다. 요청하지 않으셨다면 이 메일을 무시하세요.`,
    takenSubject: "Modu-Arena 가입 시도 알림",
    takenBody:
      "누군가 이 이메일 주소로 Modu-Arena 계정을 만들려고 했지만 이미 계정이 있습니다.\n\n로그인하시거나, 본인이 아니라면 이 메일을 무시하세요.",
    resetSubject: "Modu-Arena 비밀번호 재설정",
    resetBody: (code, minutes) =>
      `비밀번호 재설정 코드는 ${code} 입니다\n\n${minutes}분 후에 만료됩니다. 요청하지 않으셨다면 이 메일을 무시하세요. 아무것도 변경되지 않습니다.`,
    noAccountSubject: "Modu-Arena 비밀번호 재설정",
    noAccountBody:
      "누군가 이 이메일 주소의 Modu-Arena 비밀번호 재설정을 요청했지만, 이 주소를 사용하는 계정이 없습니다.\n\n본인이라면 회원가입을 해 주세요. 아니라면 이 메일을 무시하세요.",
  },
  ja: {
    codeSubject: "Modu-Arena 認証コード",
    codeBody: (code, minutes) =>
      `認証コードは ${code} です\n\n${minutes}分で有効期限が切れます。心当たりがない場合は、このメールを無視してください。`,
    takenSubject: "Modu-Arena への登録試行",
    takenBody:
      "このメールアドレスで Modu-Arena のアカウント作成が試みられましたが、すでにアカウントが存在します。\n\nログインしてください。心当たりがない場合は、このメールを無視してください。",
    resetSubject: "Modu-Arena パスワードの再設定",
    resetBody: (code, minutes) =>
      `パスワード再設定コードは ${code} です\n\n${minutes}分で有効期限が切れます。心当たりがない場合は、このメールを無視してください。何も変更されません。`,
    noAccountSubject: "Modu-Arena パスワードの再設定",
    noAccountBody:
      "このメールアドレスで Modu-Arena のパスワード再設定が要求されましたが、このアドレスを使うアカウントはありません。\n\nご本人の場合は新規登録してください。心当たりがない場合は、このメールを無視してください。",
  },
  zh: {
    codeSubject: "您的 Modu-Arena 验证码",
    codeBody: (code, minutes) =>
      `您的验证码是 ${code}\n\n${minutes} 分钟后过期。如果这不是您本人的请求，请忽略此邮件。`,
    takenSubject: "Modu-Arena 注册尝试",
    takenBody:
      "有人尝试使用此邮箱地址创建 Modu-Arena 账户，但该邮箱已有账户。\n\n请直接登录；如果不是您本人，请忽略此邮件。",
    resetSubject: "重置您的 Modu-Arena 密码",
    resetBody: (code, minutes) =>
      `您的密码重置验证码是 ${code}\n\n${minutes} 分钟后过期。如果您没有请求重置密码，请忽略此邮件，您的账户不会有任何变化。`,
    noAccountSubject: "Modu-Arena 密码重置",
    noAccountBody:
      "有人请求重置此邮箱地址的 Modu-Arena 密码，但没有账户使用该邮箱。\n\n如果是您本人，请直接注册；否则请忽略此邮件。",
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

export function buildResetCodeMessage(
  to: string,
  code: string,
  ttlSeconds: number,
  locale: MailLocale = "en",
): MailMessage {
  const copy = COPY[locale];
  const text = copy.resetBody(code, Math.round(ttlSeconds / 60));
  return { to, subject: copy.resetSubject, text, html: `<p style="font-family:sans-serif">${escapeHtml(text)}</p>` };
}

/** Sent instead of a reset code when no account has the address, so the API answer does not reveal it. */
export function buildNoAccountMessage(to: string, locale: MailLocale = "en"): MailMessage {
  const copy = COPY[locale];
  return {
    to,
    subject: copy.noAccountSubject,
    text: copy.noAccountBody,
    html: `<p>${escapeHtml(copy.noAccountBody)}</p>`,
  };
}
