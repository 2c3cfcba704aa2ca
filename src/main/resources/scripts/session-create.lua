-- Stores a new session record only if the key is free (SET NX semantics), and beside it
-- the note its expiry is told with, when there is one: a key of its own that outlives the
-- record (until its absolute expiry and a grace), since an expired key's value is gone
-- when Redis tells of its expiry.
-- KEYS[1] session key, KEYS[2] its expiry note key
-- ARGV: state, version, expiresAt, record, lastAccess, ttl (ms), owner, note (or ''), note ttl (ms)
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'version', ARGV[2], 'expiresAt', ARGV[3],
  'record', ARGV[4], 'lastAccess', ARGV[5], 'owner', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[2], ARGV[8], 'PX', ARGV[9])
end
return 1
