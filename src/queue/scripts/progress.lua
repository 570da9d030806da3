--[[
  Records a running job's progress.

  KEYS[1] job hash
  KEYS[2] job event stream

  ARGV[1] worker id
  ARGV[2] attempt the worker claimed
  ARGV[3] now, in ms
  ARGV[4] progress, 0 to 100
  ARGV[5] progress message, or an empty string

  Returns 1, or -1 (JOB_NOT_FOUND), -2 (NOT_OWNER), -3 (JOB_CANCELLED).
]]
-- #include common.lua

local owner = checkOwner(KEYS[1], ARGV[1], ARGV[2])
if owner ~= 0 then
  return owner
end

redis.call('HSET', KEYS[1], 'progress', ARGV[4], 'progress_message', ARGV[5], 'updated_at', ARGV[3])
addEvent(KEYS[2], 'progress', cjson.encode({ progress = tonumber(ARGV[4]), message = ARGV[5] }))
return 1
