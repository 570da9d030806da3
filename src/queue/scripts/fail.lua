--[[
  Records a failed attempt. A retryable failure with attempts left returns the job to pending
  after an exponential backoff (or the service's Retry-After, when longer); any other failure
  fails the job.

  KEYS[1] job hash
  KEYS[2] active sorted set
  KEYS[3] delayed sorted set of the job's service
  KEYS[4] job event stream
  KEYS[5] wake-up list of the job's service
  KEYS[6] worker registration hash

  ARGV[1] worker id
  ARGV[2] attempt the worker claimed
  ARGV[3] now, in ms
  ARGV[4] error, as JSON
  ARGV[5] 1 when the failure is retryable, else 0
  ARGV[6] backoff of the first retry, in ms; each later retry doubles it
  ARGV[7] maximum backoff, in ms
  ARGV[8] minimum delay the service asked for (Retry-After), in ms, or 0
  ARGV[9] seconds to keep the finished job, 0 to keep it forever

  Returns { 1, time the retry is due in ms } when a retry was scheduled, { 2 } when the job
  failed, or { -1 (JOB_NOT_FOUND) | -2 (NOT_OWNER) | -3 (JOB_CANCELLED) }. A call repeated by
  the same worker and attempt, while the job is still as that failure left it, returns the same
  reply and changes nothing, because a client resends a command whose reply a dropped connection
  lost. The field failure_recorded_by ("worker id:attempt") tells such a call from a late one.
]]
-- #include common.lua

local recorded = redis.call('HMGET', KEYS[1], 'failure_recorded_by', 'status', 'run_at')
if recorded[1] == ARGV[1] .. ':' .. ARGV[2] then
  if recorded[2] == 'failed' then
    return { 2 }
  end
  if recorded[2] == 'pending' then
    return { 1, tonumber(recorded[3]) }
  end
end

local owner = checkOwner(KEYS[1], ARGV[1], ARGV[2])
if owner ~= 0 then
  return { owner }
end

local now = tonumber(ARGV[3])
local attempt = tonumber(ARGV[2])
local fields = redis.call('HMGET', KEYS[1], 'id', 'max_attempts')
local jobId, maxAttempts = fields[1], tonumber(fields[2])
redis.call('ZREM', KEYS[2], jobId)
redis.call('HDEL', KEYS[1], 'lease_expires_at')
redis.call('HSET', KEYS[1], 'failure_recorded_by', ARGV[1] .. ':' .. ARGV[2])
setWorkerState(KEYS[6], 'idle', '', now)

if ARGV[5] == '1' and attempt < maxAttempts then
  local backoff = math.min(tonumber(ARGV[6]) * 2 ^ (attempt - 1), tonumber(ARGV[7]))
  local runAt = now + math.max(backoff, tonumber(ARGV[8]))
  redis.call('HSET', KEYS[1], 'status', 'pending', 'error', ARGV[4], 'run_at', runAt, 'updated_at', now)
  redis.call('ZADD', KEYS[3], runAt, jobId)
  redis.call('LPUSH', KEYS[5], '1')
  addEvent(KEYS[4], 'status',
    '{"status":"pending","attempt":' .. attempt .. ',"run_at":' .. runAt .. ',"error":' .. ARGV[4] .. '}')
  return { 1, runAt }
end

redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[4], 'finished_at', now, 'updated_at', now)
addEvent(KEYS[4], 'status', '{"status":"failed","attempt":' .. attempt .. ',"error":' .. ARGV[4] .. '}')
expireFinished(KEYS[1], KEYS[4], tonumber(ARGV[9]))
return { 2 }
