import { type AddressInfo, createServer } from "node:net";

/** A loopback URL on which nothing listens any more: a real refused connection, not a stub. */
export async function getClosedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}
