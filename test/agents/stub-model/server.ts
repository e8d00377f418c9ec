import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerCountTokens, answerMessages } from "./anthropic";
import { answerGemini, answerGeminiCountTokens } from "./gemini";
import { answerChat, answerResponses } from "./openai";
import { decodeBody, type OtlpExport, type OtlpSignal, receiveOtlp } from "./otlp-sink";
import { Ledger } from "./script";

export interface StubModel {
  url: string;
  port: number;
  ledger: Ledger;
  /** Every OTLP/HTTP export received, in order. */
  otlp: OtlpExport[];
  /** Bodies an agent posted to its vendor's analytics endpoints (Codex's `…/analytics/codex/turn-costs`). */
  analytics: { path: string; body: unknown }[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const GEMINI_PATH = /\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;
const OTLP_PATH = /^\/v1\/(metrics|logs|traces)$/;

async function handle(
  stub: Omit<StubModel, "close" | "url" | "port">,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (request.method === "HEAD" || (request.method === "GET" && path === "/")) {
    response.writeHead(200);
    response.end();
    return;
  }
  const raw = decodeBody(await readBody(request), request.headers["content-encoding"]);
  const otlp = OTLP_PATH.exec(path);
  if (request.method === "POST" && otlp) {
    const contentType = request.headers["content-type"] ?? "";
    stub.otlp.push(receiveOtlp(otlp[1] as OtlpSignal, raw, contentType));
    if (contentType.includes("json")) sendJson(response, 200, {});
    else {
      response.writeHead(200, { "content-type": "application/x-protobuf" });
      response.end();
    }
    return;
  }
  if (request.method === "GET" && /\/models$/.test(path)) {
    sendJson(response, 200, { object: "list", data: [], models: [] });
    return;
  }
  if (request.method !== "POST") {
    stub.ledger.unknown.push(`${request.method} ${path}`);
    sendJson(response, 404, { error: { message: `stub: no ${request.method} ${path}` } });
    return;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString("utf8") || "{}");
  } catch {
    sendJson(response, 400, { error: { message: "stub: the body is not JSON" } });
    return;
  }
  if (path.includes("/analytics/")) {
    stub.analytics.push({ path, body });
    sendJson(response, 200, {});
    return;
  }
  const gemini = GEMINI_PATH.exec(path);
  if (path.endsWith("/messages/count_tokens")) answerCountTokens(body, response);
  else if (path.endsWith("/messages")) answerMessages(stub.ledger, body, response);
  else if (path.endsWith("/responses")) answerResponses(stub.ledger, body, response);
  else if (path.endsWith("/chat/completions")) answerChat(stub.ledger, body, response);
  else if (gemini?.[2] === "countTokens") answerGeminiCountTokens(body, response);
  else if (gemini) answerGemini(stub.ledger, gemini[1]!, gemini[2] === "streamGenerateContent", body, response);
  else {
    stub.ledger.unknown.push(`POST ${path}`);
    sendJson(response, 404, { error: { message: `stub: no POST ${path}` } });
  }
}

/** Starts the stub model on 127.0.0.1 at a free port. */
export async function startStubModel(): Promise<StubModel> {
  const state = { ledger: new Ledger(), otlp: [] as OtlpExport[], analytics: [] as StubModel["analytics"] };
  const server: Server = createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      state.ledger.unknown.push(`error ${request.url}: ${String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
      else response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ...state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
