import { headers } from "next/headers";
import { getAppContext } from "./context";

/** This server's own URL as users reach it: PUBLIC_URL when set, else the request's host. */
export async function getPublicUrl(): Promise<string> {
  const { config } = getAppContext();
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, "");
  const list = await headers();
  const forwardedHost = config.trustProxy ? list.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const forwardedProto = config.trustProxy ? list.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  const host = forwardedHost ?? list.get("host") ?? `localhost:${config.port}`;
  return `${forwardedProto ?? "http"}://${host}`;
}
