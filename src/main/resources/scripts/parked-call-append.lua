-- Queues a message for whoever resumes a parked call; nothing when it is gone.
-- KEYS[1] the call's key; ARGV[1] the message. Returns 1 when queued, 0 when gone.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local tail = redis.call('HINCRBY', KEYS[1], 'tail', 1)
redis.call('HSET', KEYS[1], 'm:' .. tail, ARGV[1])
return 1
