-- Shared by claim.lua and complete.lua through "#include claim-next.lua"; needs common.lua.
-- claimNext claims the first pending job among a worker's services: highest priority first,
-- then oldest. Retries whose backoff is over move from the delayed set back to the pending set
-- first. Only the head of each pending set is read, so the cost does not grow with the backlog.
--
-- activeKey is the active sorted set, and KEYS[firstServiceKey], KEYS[firstServiceKey + 1], ...
-- are each service's pending and delayed sorted sets. base is the key base, such as
-- "{conveyor}:", from which job hashes and event streams are named.
--
-- Returns { 1, job hash as field, value pairs } when a job was claimed,
-- or { 0, ms until the next retry is due } when none was, with -1 when no retry is waiting.
local function claimNext(activeKey, firstServiceKey, base, workerId, now, leaseMs, step, promoteLimit)
  local bestId, bestScore, bestPending
  local nextDue = -1

  for k = firstServiceKey, #KEYS, 2 do
    local pendingKey, delayedKey = KEYS[k], KEYS[k + 1]

    local due = redis.call('ZRANGE', delayedKey, '-inf', now, 'BYSCORE', 'LIMIT', 0, promoteLimit)
    for _, id in ipairs(due) do
      local fields = redis.call('HMGET', base .. 'job:' .. id, 'priority', 'sequence', 'status')
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

  local jobKey = base .. 'job:' .. bestId
  local leaseExpiresAt = now + leaseMs
  redis.call('ZREM', bestPending, bestId)
  local attempt = redis.call('HINCRBY', jobKey, 'attempt', 1)
  redis.call('HSET', jobKey, 'status', 'assigned', 'worker_id', workerId, 'assigned_at', now,
    'updated_at', now, 'lease_expires_at', leaseExpiresAt)
  redis.call('ZADD', activeKey, leaseExpiresAt, bestId)

  addEvent(base .. 'events:' .. bestId, 'status',
    cjson.encode({ status = 'assigned', attempt = attempt, worker_id = workerId }))
  return { 1, redis.call('HGETALL', jobKey) }
end
