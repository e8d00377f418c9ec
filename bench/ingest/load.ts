import autocannon from "autocannon";
import type { SignedRequest } from "./signed-requests";
import type { LoadResult } from "./wrk";

/**
 * A paced run (wrk has no constant-rate mode): autocannon at a fixed overall rate, replaying pre-signed
 * requests so the client does no signing work while it measures.
 */
export async function runPaced(options: {
  url: string;
  requests: SignedRequest[];
  connections: number;
  seconds: number;
  overallRate: number;
}): Promise<LoadResult> {
  let next = 0;
  let reused = 0;
  const template = {
    method: "POST" as const,
    setupRequest: (request: autocannon.Request) => {
      if (next >= options.requests.length) reused++;
      const signed = options.requests[next++ % options.requests.length]!;
      return {
        ...request,
        path: signed.path,
        body: signed.body,
        headers: {
          "content-type": "application/json",
          "x-api-key": signed.apiKey,
          "x-timestamp": String(signed.timestamp),
          "x-signature": signed.signature,
        },
      };
    },
  };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.overallRate,
    requests: [template as autocannon.Request],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
    reused,
  };
}
