-- Takes a slot of a caller's live-session quota for a new session, atomically: the id joins
-- the caller's index only while the index holds fewer ids than the limit.
-- The index is a sorted set of session ids, each scored with the time (epoch ms) after which
-- its session may have ended by itself and must be checked. Before counting, the ids the
-- caller has just found ended are dropped and those found live are scored anew (only if
-- still there: a terminate may have removed them meanwhile).
-- KEYS[1] caller index; ARGV: limit, session id, its check time (ms), index TTL (ms), now (ms),
-- number of ended ids n, n ended ids, then pairs of (live id, its new check time)
-- Returns {'reserved'}, or {'full', earliest check time, ids whose check time has passed...}
local limit = tonumber(ARGV[1])
local ended = tonumber(ARGV[6])
for i = 7, 6 + ended do
  redis.call('ZREM', KEYS[1], ARGV[i])
end
for i = 7 + ended, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[i + 1], ARGV[i])
end
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
  -- The index lives as long as the longest-lived session in it may.
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
  end
  return { 'reserved' }
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
-- At most 1000 at once: what one reply can unpack; later creations check the rest.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[5], 'LIMIT', 0, math.min(limit, 1000))
return { 'full', first[2], unpack(due) }
