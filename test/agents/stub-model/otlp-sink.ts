import { gunzipSync, inflateSync } from "node:zlib";

export type OtlpSignal = "metrics" | "logs" | "traces";

export interface OtlpExport {
  signal: OtlpSignal;
  /** The decoded request when it was JSON; protobuf bodies are kept as base64 (`protobufBase64`). */
  json?: unknown;
  protobufBase64?: string;
}

export function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === "gzip") return gunzipSync(body);
  if (encoding === "deflate") return inflateSync(body);
  return body;
}

/** Stores one OTLP/HTTP export as the sink received it. */
export function receiveOtlp(signal: OtlpSignal, body: Buffer, contentType: string): OtlpExport {
  if (contentType.includes("json")) {
    try {
      return { signal, json: JSON.parse(body.toString("utf8")) };
    } catch {
      return { signal, protobufBase64: body.toString("base64") };
    }
  }
  return { signal, protobufBase64: body.toString("base64") };
}

interface OtlpAttribute {
  key?: string;
  value?: Record<string, unknown>;
}

/** The plain value of an OTLP `AnyValue` (`{intValue: "12"}` → 12). */
export function readAnyValue(value: Record<string, unknown> | undefined): unknown {
  if (!value) return undefined;
  if ("stringValue" in value) return value.stringValue;
  if ("intValue" in value) return Number(value.intValue);
  if ("doubleValue" in value) return Number(value.doubleValue);
  if ("boolValue" in value) return value.boolValue;
  return value;
}

export function readAttributes(attributes: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map((attribute) => [attribute.key, readAnyValue(attribute.value)]));
}

/** Every JSON log record received, with its event name and attributes flattened. */
export function listLogRecords(exports: OtlpExport[]): { body: unknown; attributes: Record<string, unknown> }[] {
  const records: { body: unknown; attributes: Record<string, unknown> }[] = [];
  for (const item of exports) {
    if (item.signal !== "logs" || !item.json) continue;
    const resourceLogs = (item.json as { resourceLogs?: { scopeLogs?: { logRecords?: unknown[] }[] }[] }).resourceLogs;
    for (const resource of resourceLogs ?? [])
      for (const scope of resource.scopeLogs ?? [])
        for (const record of (scope.logRecords ?? []) as {
          body?: Record<string, unknown>;
          attributes?: OtlpAttribute[];
        }[])
          records.push({ body: readAnyValue(record.body), attributes: readAttributes(record.attributes) });
  }
  return records;
}

interface OtlpScopes<Item> {
  scopeLogs?: { logRecords?: Item[] }[];
  scopeMetrics?: { metrics?: Item[] }[];
}

const USAGE_NAME = /token|cost/i;
/** Gemini CLI's GenAI records repeat its api_response usage beside 30 KB of system prompt: left out. */
const MAX_ATTRIBUTE_CHARS = 2000;

type OtlpRecord = { attributes?: OtlpAttribute[] };

function isUsageRecord(record: OtlpRecord): boolean {
  const attributes = record.attributes ?? [];
  return (
    attributes.some((attribute) => USAGE_NAME.test(attribute.key ?? "")) &&
    attributes.every((attribute) => JSON.stringify(attribute.value ?? null).length <= MAX_ATTRIBUTE_CHARS)
  );
}

/** The part of a JSON export that carries usage (see `saveOtelFixture`); null when nothing does. */
export function trimOtlpExport(item: OtlpExport): OtlpExport | null {
  if (item.signal === "traces" || !item.json) return null;
  const json = item.json as { resourceLogs?: OtlpScopes<unknown>[]; resourceMetrics?: OtlpScopes<unknown>[] };
  if (item.signal === "logs") {
    const resourceLogs = (json.resourceLogs ?? [])
      .map((resource) => ({
        ...resource,
        scopeLogs: (resource.scopeLogs ?? [])
          .map((scope) => ({
            ...scope,
            logRecords: (scope.logRecords ?? []).filter((record) => isUsageRecord(record as OtlpRecord)),
          }))
          .filter((scope) => scope.logRecords.length > 0),
      }))
      .filter((resource) => resource.scopeLogs.length > 0);
    return resourceLogs.length > 0 ? { signal: "logs", json: { resourceLogs } } : null;
  }
  const resourceMetrics = (json.resourceMetrics ?? [])
    .map((resource) => ({
      ...resource,
      scopeMetrics: (resource.scopeMetrics ?? [])
        .map((scope) => ({
          ...scope,
          metrics: (scope.metrics ?? []).filter((metric) => USAGE_NAME.test((metric as { name?: string }).name ?? "")),
        }))
        .filter((scope) => scope.metrics.length > 0),
    }))
    .filter((resource) => resource.scopeMetrics.length > 0);
  return resourceMetrics.length > 0 ? { signal: "metrics", json: { resourceMetrics } } : null;
}
