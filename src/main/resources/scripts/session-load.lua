-- Reads a session record; for its owner (or '*': the service, an administrator) it also
-- records the access and slides the idle TTL, never past the absolute expiry. A stranger's
-- read changes nothing.
-- KEYS[1] session key; ARGV[1] now (epoch ms); ARGV[2] idle TTL (ms); ARGV[3] reader
-- Returns {'absent'}, {'terminated', owner} or {state, record, lastAccess}.
local f = redis.call('HMGET', KEYS[1], 'state', 'expiresAt', 'record', 'owner', 'lastAccess')
if not f[1] then
  return { 'absent' }
end
if f[1] == 'terminated' then
  return { f[1], f[4] }
end
local now = tonumber(ARGV[1])
local remaining = tonumber(f[2]) - now
if remaining <= 0 then
  -- Expires now rather than deleted: Redis tells of its expiry, as of any other.
  redis.call('PEXPIRE', KEYS[1], 1)
  return { 'absent' }
end
if ARGV[3] ~= '*' and f[4] ~= ARGV[3] then
  return { f[1], f[3], f[5] }
end
redis.call('HSET', KEYS[1], 'lastAccess', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[2]), remaining))
return { f[1], f[3], ARGV[1] }
