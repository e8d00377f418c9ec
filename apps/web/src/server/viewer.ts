import { getSessionUser, SESSION_COOKIE_NAME, type SessionUser } from "@modu-arena/server";
import { cookies } from "next/headers";
import { cache } from "react";
import { redirect } from "@/i18n/navigation";
import { getAppContext } from "./context";

export interface Viewer {
  userId: string;
  username: string;
  privacyMode: boolean;
  timezone: string;
  user: SessionUser;
}

/** The signed-in user of this request (session cookie checked by the auth service), or null. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = (await cookies()).get(SESSION_COOKIE_NAME)?.value;
  if (!token) return null;
  const user = await getSessionUser(getAppContext(), token);
  if (!user) return null;
  return { userId: user.id, username: user.username, privacyMode: user.privacyMode, timezone: user.timezone, user };
});

/** For pages behind sign-in: the viewer, or a redirect to the sign-in page that comes back here. */
export async function requireViewer(locale: string, returnTo: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect({ href: { pathname: "/sign-in", query: { next: returnTo } }, locale });
  return viewer!;
}
