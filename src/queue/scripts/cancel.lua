--[[
  Cancels a job. A pending job leaves its queue; a running job is marked cancelled at once and
  its worker is told through the cancel channel, so any later write from that worker is rejected.

  KEYS[1] job hash
  KEYS[2] pending sorted set of the job's service
  KEYS[3] delayed sorted set of the job's service
  KEYS[4] active sorted set
  KEYS[5] job event stream

  ARGV[1] job id
  ARGV[2] now, in ms
  ARGV[3] cancel channel
  ARGV[4] seconds to keep the finished job, 0 to keep it forever

  Returns 1 when a pending job was cancelled, 2 when a running one was,
  or -1 (JOB_NOT_FOUND), -4 (JOB_FINISHED).
]]
-- #include common.lua

local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return -1
end
if status == 'completed' or status == 'failed' or status == 'cancelled' then
  return -4
end

redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finished_at', ARGV[2], 'updated_at', ARGV[2])
redis.call('HDEL', KEYS[1], 'lease_expires_at')
addEvent(KEYS[5], 'status', cjson.encode({ status = 'cancelled' }))
expireFinished(KEYS[1], KEYS[5], tonumber(ARGV[4]))

if status == 'pending' then
  return 1
end
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 2
