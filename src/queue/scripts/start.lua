--[[
  Marks a claimed job as in progress.

  KEYS[1] job hash
  KEYS[2] job event stream
  KEYS[3] worker registration hash

  ARGV[1] worker id
  ARGV[2] attempt the worker claimed
  ARGV[3] now, in ms
  ARGV[4] type of the connector that runs the job

  Returns 1, or -1 (JOB_NOT_FOUND), -2 (NOT_OWNER), -3 (JOB_CANCELLED). A call repeated by the
  same worker and attempt after the job started returns 1 and changes nothing, because a client
  resends a command whose reply a dropped connection lost.
]]
-- #include common.lua

local owner = checkOwner(KEYS[1], ARGV[1], ARGV[2])
if owner ~= 0 then
  return owner
end
if redis.call('HGET', KEYS[1], 'status') == 'in_progress' then
  return 1
end

redis.call('HSET', KEYS[1], 'status', 'in_progress', 'connector', ARGV[4], 'started_at', ARGV[3],
  'updated_at', ARGV[3])
setWorkerState(KEYS[3], 'busy', redis.call('HGET', KEYS[1], 'id'), ARGV[3])
addEvent(KEYS[2], 'status', cjson.encode({ status = 'in_progress', attempt = tonumber(ARGV[2]) }))
return 1
