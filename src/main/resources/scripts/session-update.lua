-- Replaces a session record if it exists, is not terminated, is not expired and is at
-- the expected version of the same session: a record of another session of the id (a
-- derived id used again once its record expired) has another absolute expiry, the
-- creation time plus the maximum lifetime. Never creates the key.
-- KEYS[1] session key; ARGV: now (ms), expected version, state, new version, record, ttl (ms),
-- absolute expiry of the session written (ms)
local f = redis.call('HMGET', KEYS[1], 'state', 'version', 'expiresAt')
if not f[1] then
  return 'ABSENT'
end
if f[1] == 'terminated' then
  return 'TERMINATED'
end
if tonumber(f[3]) <= tonumber(ARGV[1]) then
  return 'ABSENT'
end
if f[2] ~= ARGV[2] or f[3] ~= ARGV[7] then
  return 'CONFLICT'
end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'version', ARGV[4], 'record', ARGV[5], 'lastAccess', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 'UPDATED'
