-- The same key-by-key sums as 0002, in PL/pgSQL: a SQL-language function that cannot be inlined is
-- planned again in every statement that calls it (measured: ~0.5 ms of the one-statement ingest went
-- there), while PL/pgSQL keeps its plans for the life of the connection. Same results, same signatures,
-- so the modu_jsonb_agg_sum aggregate built on modu_jsonb_sum keeps working unchanged.
CREATE OR REPLACE FUNCTION modu_jsonb_sum(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  result jsonb := coalesce(a, '{}'::jsonb);
  entry record;
BEGIN
  FOR entry IN SELECT key, value FROM jsonb_each(coalesce(b, '{}'::jsonb)) LOOP
    result := result || jsonb_build_object(
      entry.key, coalesce((result ->> entry.key)::numeric, 0) + coalesce((entry.value #>> '{}')::numeric, 0));
  END LOOP;
  RETURN result;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION modu_jsonb_sum_nested(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  result jsonb := coalesce(a, '{}'::jsonb);
  entry record;
BEGIN
  FOR entry IN SELECT key, value FROM jsonb_each(coalesce(b, '{}'::jsonb)) LOOP
    result := result || jsonb_build_object(entry.key, modu_jsonb_sum(result -> entry.key, entry.value));
  END LOOP;
  RETURN result;
END
$$;
