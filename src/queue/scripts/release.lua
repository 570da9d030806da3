--[[
  Hands a running job back to pending without spending an attempt, for a worker that is
  shutting down before the job finished.

  KEYS[1] job hash
  KEYS[2] active sorted set
  KEYS[3] pending sorted set of the job's service
  KEYS[4] job event stream
  KEYS[5] wake-up list of the job's service
  KEYS[6] worker registration hash

  ARGV[1] worker id
  ARGV[2] attempt the worker claimed
  ARGV[3] now, in ms
  ARGV[4] pending-score step between two priorities

  Returns 1, or -1 (JOB_NOT_FOUND), -2 (NOT_OWNER), -3 (JOB_CANCELLED). A call repeated by the
  same worker and attempt while the job is still pending returns 1 and changes nothing, because
  a client resends a command whose reply a dropped connection lost. The field released_by
  ("worker id:attempt") tells such a call from a late one.
]]
-- #include common.lua

local released = redis.call('HMGET', KEYS[1], 'released_by', 'status')
if released[1] == ARGV[1] .. ':' .. ARGV[2] and released[2] == 'pending' then
  return 1
end

local owner = checkOwner(KEYS[1], ARGV[1], ARGV[2])
if owner ~= 0 then
  return owner
end

local fields = redis.call('HMGET', KEYS[1], 'id', 'priority', 'sequence')
redis.call('ZREM', KEYS[2], fields[1])
redis.call('HINCRBY', KEYS[1], 'attempt', -1)
redis.call('HSET', KEYS[1], 'status', 'pending', 'released_by', ARGV[1] .. ':' .. ARGV[2], 'updated_at', ARGV[3])
redis.call('HDEL', KEYS[1], 'lease_expires_at', 'worker_id', 'started_at', 'assigned_at')
redis.call('ZADD', KEYS[3], (100 - tonumber(fields[2])) * tonumber(ARGV[4]) + tonumber(fields[3]), fields[1])
redis.call('LPUSH', KEYS[5], '1')
setWorkerState(KEYS[6], 'stopping', '', ARGV[3])
addEvent(KEYS[4], 'status', cjson.encode({ status = 'pending', attempt = tonumber(ARGV[2]) - 1 }))
return 1
