-- UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, variant bits, random rest; built on the core
-- gen_random_uuid(), so it needs no extension (and runs on PGlite). Used as the default id of the tables
-- every ingest appends to, so their primary-key inserts go to the index's right edge.
CREATE OR REPLACE FUNCTION modu_uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    set_bit(
      set_bit(
        overlay(uuid_send(gen_random_uuid())
          PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6),
        52, 1),
      53, 1),
    'hex')::uuid
$$;
--> statement-breakpoint
ALTER TABLE "security_audit_log" ALTER COLUMN "id" SET DEFAULT modu_uuid_v7();--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "id" SET DEFAULT modu_uuid_v7();--> statement-breakpoint
ALTER TABLE "token_usage" ALTER COLUMN "id" SET DEFAULT modu_uuid_v7();