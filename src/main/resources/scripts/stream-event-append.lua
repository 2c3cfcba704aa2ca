-- Adds one event at the end of a client's stream, drops the oldest beyond the most kept,
-- and keeps the stream for the replay window after this event.
-- KEYS[1] stream key; ARGV[1] most events kept; ARGV[2] entry id ('1-<sequence>');
-- ARGV[3] replay window (ms); ARGV[4] the event's data; ARGV[5] '1' when it ends the stream
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], ARGV[2], 'data', ARGV[4], 'last', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
