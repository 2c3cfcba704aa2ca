-- wrk script of bench/hot-path.sh: the same GET on every connection, with a bearer token
-- when BEARER is set; prints one machine-readable line per wrk run (one run = one slice).
local token = os.getenv("BEARER")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("slice %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout + e.status))
end
