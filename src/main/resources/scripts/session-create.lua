-- Stores a new session record only if the key is free (SET NX semantics).
-- KEYS[1] session key; ARGV: state, version, expiresAt, record, lastAccess, ttl (ms), owner
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'version', ARGV[2], 'expiresAt', ARGV[3],
  'record', ARGV[4], 'lastAccess', ARGV[5], 'owner', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
