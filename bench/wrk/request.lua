-- One request shape for wrk, from the environment (set by `Gatehouse.Bench server-bench`):
--   BENCH_BODY_FILE  a JSON body: the request becomes a POST with Content-Type application/json
--   BENCH_TOKEN      a bearer token for the Authorization header
-- done() prints one machine-readable line; latencies in microseconds.
local body_file = os.getenv("BENCH_BODY_FILE")
local token = os.getenv("BENCH_TOKEN")

if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
