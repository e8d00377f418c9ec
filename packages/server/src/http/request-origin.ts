import type { Context } from "hono";
import type { RequestOrigin } from "../context";

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/** Client address: the socket's, or the first X-Forwarded-For hop when behind a trusted proxy. */
export function getClientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? "unknown";
}

export function getRequestOrigin(c: Context, trustProxy: boolean): RequestOrigin {
  return { ipAddress: getClientIp(c, trustProxy), userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null };
}
