-- Shared by the scripts through "#include common.lua". checkOwner returns 0 when the worker
-- still owns the job at the given attempt, or a negative code from error-codes.ts.
local function checkOwner(jobKey, workerId, attempt)
  local state = redis.call('HMGET', jobKey, 'status', 'worker_id', 'attempt')
  if not state[1] then
    return -1 -- JOB_NOT_FOUND
  end
  if state[2] ~= workerId or state[3] ~= attempt then
    return -2 -- NOT_OWNER
  end
  if state[1] == 'cancelled' then
    return -3 -- JOB_CANCELLED
  end
  if state[1] ~= 'assigned' and state[1] ~= 'in_progress' then
    return -2 -- NOT_OWNER
  end
  return 0
end

local function addEvent(eventsKey, eventType, data)
  redis.call('XADD', eventsKey, 'MAXLEN', '~', 1000, '*', 'type', eventType, 'data', data)
end

local function expireFinished(jobKey, eventsKey, retentionSeconds)
  if retentionSeconds > 0 then
    redis.call('EXPIRE', jobKey, retentionSeconds)
    redis.call('EXPIRE', eventsKey, retentionSeconds)
  end
end

-- Updates the worker's registration, unless it expired: a write would recreate it without a TTL.
local function setWorkerState(workerKey, status, jobId, now)
  if redis.call('EXISTS', workerKey) == 1 then
    redis.call('HSET', workerKey, 'status', status, 'current_job_id', jobId, 'heartbeat_at', now)
  end
end
