-- Takes the oldest queued message of a parked call: each is taken once.
-- KEYS[1] the call's key. Returns the message, or nil when none is queued (or it is gone).
local head = tonumber(redis.call('HGET', KEYS[1], 'head') or '0')
local tail = tonumber(redis.call('HGET', KEYS[1], 'tail') or '0')
if head >= tail then
  return false
end
head = head + 1
local message = redis.call('HGET', KEYS[1], 'm:' .. head)
redis.call('HDEL', KEYS[1], 'm:' .. head)
redis.call('HSET', KEYS[1], 'head', head)
return message
