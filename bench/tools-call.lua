-- wrk script of bench/tools-call.sh: the same tools/call of a trivial tool on every connection,
-- in the client revision MCP_PROTOCOL (default 2025-06-18):
--
--   2025-06-18 (or 2025-03-26): in one MCP session (MCP_SESSION_ID), opened by the script;
--   2026-07-28: stateless, no session; the body carries params._meta (the script builds it) and
--               the request mirrors its method and tool name in Mcp-Method and Mcp-Name.
--
-- MCP_BODY is the JSON-RPC request (the script builds it, and checks it with one call first);
-- MCP_TOOL the tool's name (echo).
--
-- RATE_PER_THREAD (requests per second, optional) paces each wrk thread: request k of a thread
-- is sent no earlier than its slot, start + k / rate. wrk delays in whole milliseconds, so
-- requests go out in bursts of up to a millisecond, at the set rate on average. Latency is
-- measured from the actual send, as wrk always does (a target that falls behind its slots is
-- seen in its achieved rate, not in its latency).
local protocol = os.getenv("MCP_PROTOCOL") or "2025-06-18"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = protocol
if protocol >= "2026" then
  -- MCP_METHOD (bench/policy.sh) sends another method: tools/list, which names nothing
  wrk.headers["Mcp-Method"] = os.getenv("MCP_METHOD") or "tools/call"
  if wrk.headers["Mcp-Method"] == "tools/call" then
    wrk.headers["Mcp-Name"] = os.getenv("MCP_TOOL") or "echo"
  end
else
  wrk.headers["Mcp-Session-Id"] = os.getenv("MCP_SESSION_ID")
end
wrk.body = os.getenv("MCP_BODY") or
  '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}'

local rate = tonumber(os.getenv("RATE_PER_THREAD") or "")
if rate and rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *now);
  ]]
  local clock = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
    return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
  end
  local interval = 1000 / rate
  local slot = nil

  function delay()
    local now = now_ms()
    -- A target a whole second behind its slots is not sent a burst to catch up
    if slot == nil or slot < now - 1000 then
      slot = now
    end
    local wait = slot - now
    slot = slot + interval
    return math.max(0, math.floor(wait))
  end
end
