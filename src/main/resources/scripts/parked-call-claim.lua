-- Resumes one round of a parked call, once.
-- KEYS[1] the call's key; ARGV[1] the round resumed; ARGV[2] time to live from now (ms).
-- Returns {'gone'}, {'taken'}, or {'claimed', field, value, ...} (every field of the key).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'gone'}
end
if redis.call('HGET', KEYS[1], 'round') ~= ARGV[1] then
  return {'taken'}
end
redis.call('HINCRBY', KEYS[1], 'round', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local reply = redis.call('HGETALL', KEYS[1])
table.insert(reply, 1, 'claimed')
return reply
