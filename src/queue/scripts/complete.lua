--[[
  Completes a running job with its result and, when the worker lists its services, claims its
  next job in the same call, as claim.lua would, so that a busy worker needs no separate claim.

  KEYS[1] job hash
  KEYS[2] active sorted set
  KEYS[3] job event stream
  KEYS[4] worker registration hash
  KEYS[5k], KEYS[5k+1] optional, for each service k = 1..n of the worker: its pending and its
          delayed sorted sets; without them nothing is claimed

  ARGV[1] worker id
  ARGV[2] attempt the worker claimed
  ARGV[3] now, in ms
  ARGV[4] result, as JSON
  ARGV[5] seconds to keep the finished job, 0 to keep it forever
  ARGV[6..9] with service keys only: key base, lease duration in ms, pending-score step between
          two priorities, maximum number of due retries to promote per service (as in claim.lua)

  Returns 1, or with service keys { 1, claim reply } where the claim reply is that of claim.lua,
  or -1 (JOB_NOT_FOUND), -2 (NOT_OWNER), -3 (JOB_CANCELLED), and then nothing was claimed. A call
  repeated by the same worker and attempt after the job completed returns 1 again, claims nothing
  and changes nothing, because a client resends a command whose reply a dropped connection lost.
]]
-- #include common.lua
-- #include claim-next.lua

local done = redis.call('HMGET', KEYS[1], 'status', 'worker_id', 'attempt')
if done[1] == 'completed' and done[2] == ARGV[1] and done[3] == ARGV[2] then
  return 1
end

local owner = checkOwner(KEYS[1], ARGV[1], ARGV[2])
if owner ~= 0 then
  return owner
end

local jobId = redis.call('HGET', KEYS[1], 'id')
redis.call('HSET', KEYS[1], 'status', 'completed', 'progress', 100, 'result', ARGV[4],
  'finished_at', ARGV[3], 'updated_at', ARGV[3])
redis.call('HDEL', KEYS[1], 'lease_expires_at')
redis.call('ZREM', KEYS[2], jobId)

setWorkerState(KEYS[4], 'idle', '', ARGV[3])
addEvent(KEYS[3], 'status', '{"status":"completed","attempt":' .. ARGV[2] .. ',"result":' .. ARGV[4] .. '}')
expireFinished(KEYS[1], KEYS[3], tonumber(ARGV[5]))

if #KEYS == 4 then
  return 1
end
return { 1, claimNext(KEYS[2], 5, ARGV[6], ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[7]),
  tonumber(ARGV[8]), tonumber(ARGV[9])) }
