import { isIP } from "node:net";
import type { Context } from "hono";
import type { Config } from "../config/config";
import type { RequestOrigin } from "../context";

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export type ProxyTrust = Pick<Config, "trustProxy" | "trustProxyHops">;

/**
 * Client address: the socket's, or behind trusted proxies the X-Forwarded-For entry `trustProxyHops`
 * from the right. Each proxy appends what it saw, so entries further left are whatever the client sent.
 */
export function getClientIp(c: Context, proxy: ProxyTrust): string {
  const socket = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress ?? "unknown";
  if (!proxy.trustProxy) return socket;
  const hops = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (hops.length === 0) return socket;
  const client = hops[Math.max(0, hops.length - proxy.trustProxyHops)]!;
  return isIP(client) ? client : socket;
}

export function getRequestOrigin(c: Context, proxy: ProxyTrust): RequestOrigin {
  return { ipAddress: getClientIp(c, proxy), userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null };
}
