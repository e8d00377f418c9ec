-- Replays pre-signed requests (one a line: path, key, timestamp, signature, body; tab-separated),
-- each exactly once (a run that needs more reuses them: counted as "reused");
-- thread n takes every n-th line. Prints one JSON line of results at the end.
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
  table.insert(threads, thread)
end

local requests = {}
local next_request = 0
local mean_gap_ms = nil

function init(args)
  local file = assert(io.open(args[1], "r"))
  local total = tonumber(args[2])
  -- Optional: random (exponential) gaps of this mean between a connection's requests, so that many
  -- connections together arrive like independent clients at a chosen rate, not all at once.
  mean_gap_ms = tonumber(args[3])
  math.randomseed(os.time() + thread_index)
  local line_number = 0
  for line in file:lines() do
    if line_number % total == thread_index - 1 then
      local path, key, timestamp, signature, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["X-API-Key"] = key,
        ["X-Timestamp"] = timestamp,
        ["X-Signature"] = signature,
      }, body)
    end
    line_number = line_number + 1
  end
  file:close()
end

function delay()
  if mean_gap_ms == nil then return 0 end
  return math.floor(-mean_gap_ms * math.log(1 - math.random()) + 0.5)
end

function request()
  next_request = next_request + 1
  if next_request > #requests then
    exhausted = (exhausted or 0) + 1
    next_request = 1
  end
  return requests[next_request]
end

function done(summary, latency, requests_)
  local non2xx = summary.errors.status
  local reused = 0
  for _, thread in ipairs(threads) do reused = reused + (thread:get("exhausted") or 0) end
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"reused":%d}\n',
    summary.requests, summary.duration, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, reused))
end
