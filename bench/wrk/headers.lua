-- Extra request headers for wrk, from the environment (set by bench/run-gateway.sh):
--   BENCH_HEADERS  "Name: value" pairs separated by "|"
-- done() prints the same machine-readable line as request.lua.
local headers = os.getenv("BENCH_HEADERS")
if headers and headers ~= "" then
  for pair in string.gmatch(headers, "[^|]+") do
    local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
    if name then
      wrk.headers[name] = value
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
