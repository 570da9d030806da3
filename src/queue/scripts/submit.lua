--[[
  Stores a new job and queues it as pending for its service.

  KEYS[1] job hash
  KEYS[2] pending sorted set of the job's service
  KEYS[3] sequence counter
  KEYS[4] wake-up list of the job's service
  KEYS[5] job event stream

  ARGV[1] job id
  ARGV[2] priority (0 to 100)
  ARGV[3] now, in ms
  ARGV[4] maximum length of the wake-up list
  ARGV[5] pending-score step between two priorities
  ARGV[6..] field, value pairs of the job hash

  Returns 1 when stored, -5 (JOB_EXISTS) when the id is taken.
]]
-- #include common.lua

if redis.call('EXISTS', KEYS[1]) == 1 then
  return -5
end

local sequence = redis.call('INCR', KEYS[3])
local priority = tonumber(ARGV[2])

redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('HSET', KEYS[1], 'sequence', sequence, 'created_at', ARGV[3], 'updated_at', ARGV[3])
redis.call('ZADD', KEYS[2], (100 - priority) * tonumber(ARGV[5]) + sequence, ARGV[1])

redis.call('LPUSH', KEYS[4], '1')
redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[4]) - 1)

addEvent(KEYS[5], 'status', cjson.encode({ status = 'pending', attempt = 0 }))
return 1
