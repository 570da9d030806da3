--[[
  Claims the first pending job among the worker's services: highest priority first, then oldest.
  Retries whose backoff is over move from the delayed set back to the pending set first.
  Only the head of each pending set is read, so the cost does not grow with the backlog.

  KEYS[1] active sorted set (job id scored by lease expiry)
  KEYS[2k], KEYS[2k+1] for each service k = 1..n: its pending and its delayed sorted sets

  ARGV[1] key base, such as "{conveyor}:" (job hashes and event streams are named from it and
          share the hash tag of the declared keys)
  ARGV[2] worker id
  ARGV[3] now, in ms
  ARGV[4] lease duration, in ms
  ARGV[5] pending-score step between two priorities
  ARGV[6] maximum number of due retries to promote per service

  Returns { 1, job hash as field, value pairs } when a job was claimed,
  or { 0, ms until the next retry is due } when none was, with -1 when no retry is waiting.
]]
-- #include common.lua

local now = tonumber(ARGV[3])
local step = tonumber(ARGV[5])
local promoteLimit = tonumber(ARGV[6])

local bestId, bestScore, bestPending
local nextDue = -1

for k = 2, #KEYS, 2 do
  local pendingKey, delayedKey = KEYS[k], KEYS[k + 1]

  local due = redis.call('ZRANGE', delayedKey, '-inf', now, 'BYSCORE', 'LIMIT', 0, promoteLimit)
  for _, id in ipairs(due) do
    local fields = redis.call('HMGET', ARGV[1] .. 'job:' .. id, 'priority', 'sequence', 'status')
    redis.call('ZREM', delayedKey, id)
    if fields[3] == 'pending' then
      redis.call('ZADD', pendingKey, (100 - tonumber(fields[1])) * step + tonumber(fields[2]), id)
    end
  end

  local head = redis.call('ZRANGE', pendingKey, 0, 0, 'WITHSCORES')
  if head[1] and (not bestScore or tonumber(head[2]) < bestScore) then
    bestId, bestScore, bestPending = head[1], tonumber(head[2]), pendingKey
  end

  local waiting = redis.call('ZRANGE', delayedKey, 0, 0, 'WITHSCORES')
  if waiting[1] then
    local wait = math.max(0, tonumber(waiting[2]) - now)
    if nextDue < 0 or wait < nextDue then
      nextDue = wait
    end
  end
end

if not bestId then
  return { 0, nextDue }
end

local jobKey = ARGV[1] .. 'job:' .. bestId
local leaseExpiresAt = now + tonumber(ARGV[4])
redis.call('ZREM', bestPending, bestId)
local attempt = redis.call('HINCRBY', jobKey, 'attempt', 1)
redis.call('HSET', jobKey, 'status', 'assigned', 'worker_id', ARGV[2], 'assigned_at', now,
  'updated_at', now, 'lease_expires_at', leaseExpiresAt)
redis.call('ZADD', KEYS[1], leaseExpiresAt, bestId)

addEvent(ARGV[1] .. 'events:' .. bestId, 'status',
  cjson.encode({ status = 'assigned', attempt = attempt, worker_id = ARGV[2] }))
return { 1, redis.call('HGETALL', jobKey) }
