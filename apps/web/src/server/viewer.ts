import { cookies } from "next/headers";
import { cache } from "react";

export interface Viewer {
  userId: string;
  username: string;
}

export const SESSION_COOKIE = "modu_session";

/** The signed-in user of this request, or null. Cached per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return null;
});
