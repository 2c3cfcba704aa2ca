-- Replaces a session record by a tombstone so that every later update fails, and drops its
-- expiry note: a terminated session has its own event, and its tombstone's expiry none.
-- Idempotent.
-- KEYS[1] session key, KEYS[2] its expiry note key; ARGV: owner, tombstone TTL (ms), now (ms)
-- Returns the replaced live record, or nil when there was none.
local f = redis.call('HMGET', KEYS[1], 'state', 'record', 'expiresAt')
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'state', 'terminated', 'owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if f[1] and f[1] ~= 'terminated' and tonumber(f[3]) > tonumber(ARGV[3]) then
  return f[2]
end
return nil
