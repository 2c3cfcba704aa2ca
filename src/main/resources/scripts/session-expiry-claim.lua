-- Takes a session's expiry note: the first pod to ask gets it and deletes it, every other
-- pod told of the same expiry gets nil. (GETDEL, for Redis before 6.2 too.)
-- KEYS[1] expiry note key
local note = redis.call('GET', KEYS[1])
if note then
  redis.call('DEL', KEYS[1])
end
return note
