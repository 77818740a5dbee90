-- Requests that rotate through a file, for wrk (set by `Gatehouse.Bench scale-bench`):
--   BENCH_BODY_FILE  one request per line: PATH<TAB>JSON body (sent as a POST)
--   BENCH_TOKEN      a bearer token for the Authorization header of every request
-- Each request is the next line, round and round, so a run spreads over every app in the file.
-- done() prints the same machine-readable line as request.lua; latencies in microseconds.
local file = os.getenv("BENCH_BODY_FILE")
local token = os.getenv("BENCH_TOKEN")
local requests = {}
local next_index = 0

-- Formatted in init, once wrk has set the Host header from the URL.
function init(args)
  local headers = { ["Host"] = wrk.headers["Host"], ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  for line in io.lines(file) do
    local path, body = string.match(line, "^([^\t]+)\t(.*)$")
    if path then
      requests[#requests + 1] = wrk.format("POST", path, headers, body)
    end
  end

  assert(#requests > 0, "no requests in " .. file)
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
local shown = false
function response(status, headers, body)
  if status >= 300 and not shown then
    shown = true
    io.stderr:write("first failure: " .. status .. " " .. body .. "\n")
  end
end
