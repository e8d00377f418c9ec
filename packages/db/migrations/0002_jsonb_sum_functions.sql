-- Adds two JSON objects of numbers key by key: {"a":1} + {"a":2,"b":3} = {"a":3,"b":3}.
-- Used by ingest to keep per-tool and per-model breakdowns exact in one set-based statement.
CREATE OR REPLACE FUNCTION modu_jsonb_sum(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, coalesce((a ->> k)::numeric, 0) + coalesce((b ->> k)::numeric, 0)), '{}'::jsonb)
  FROM (
    SELECT jsonb_object_keys(coalesce(a, '{}'::jsonb))
    UNION
    SELECT jsonb_object_keys(coalesce(b, '{}'::jsonb))
  ) AS keys(k)
$$;
--> statement-breakpoint
-- The same one level down: {"tool": {"tokens": 1, "sessions": 1}} objects.
CREATE OR REPLACE FUNCTION modu_jsonb_sum_nested(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, modu_jsonb_sum(a -> k, b -> k)), '{}'::jsonb)
  FROM (
    SELECT jsonb_object_keys(coalesce(a, '{}'::jsonb))
    UNION
    SELECT jsonb_object_keys(coalesce(b, '{}'::jsonb))
  ) AS keys(k)
$$;
--> statement-breakpoint
-- Aggregate form: the key-by-key sum of every object in a group (e.g. all tool_usage of a user).
CREATE OR REPLACE AGGREGATE modu_jsonb_agg_sum(jsonb) (
  SFUNC = modu_jsonb_sum,
  STYPE = jsonb,
  INITCOND = '{}'
);
