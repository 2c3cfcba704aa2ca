-- Parks a call unless one is parked under the key already.
-- KEYS[1] the call's key; ARGV[1] time to live (ms); ARGV[2..] field, value, ...
-- Returns 1 when parked, 0 when the key was taken.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'round', '0', 'head', '0', 'tail', '0', unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
