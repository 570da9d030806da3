--[[
  Recovers jobs whose lease expired because their worker stopped renewing it (it crashed, hung
  or lost Redis): each goes back to pending, or fails once its attempts are used up. Safe to run
  from many processes at once, because each expired job is handled by exactly one call.

  KEYS[1] active sorted set (job id scored by lease expiry)

  ARGV[1] key base, such as "{conveyor}:" (job, pending, wake-up and event keys are named from
          it and share the hash tag of KEYS[1])
  ARGV[2] now, in ms
  ARGV[3] maximum number of jobs to recover in this call
  ARGV[4] pending-score step between two priorities
  ARGV[5] seconds to keep a failed job, 0 to keep it forever

  Returns a flat list of (job id, outcome, worker id, attempt) entries, where outcome is
  "pending" or "failed" and the worker id is the owner whose lease expired.
]]
-- #include common.lua

local now = tonumber(ARGV[2])
local expired = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
local recovered = {}

for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  local jobKey = ARGV[1] .. 'job:' .. id
  local eventsKey = ARGV[1] .. 'events:' .. id
  local job = redis.call('HMGET', jobKey, 'status', 'attempt', 'max_attempts', 'service', 'priority', 'sequence', 'worker_id')
  local status = job[1]

  if status == 'assigned' or status == 'in_progress' then
    local attempt, maxAttempts = tonumber(job[2]), tonumber(job[3])
    local error = cjson.encode({
      message = 'The lease of worker ' .. (job[7] or '?') .. ' expired on attempt ' .. attempt .. '.',
      kind = 'lease_expired',
      retryable = attempt < maxAttempts,
    })
    redis.call('HDEL', jobKey, 'lease_expires_at')

    if attempt < maxAttempts then
      redis.call('HSET', jobKey, 'status', 'pending', 'error', error, 'updated_at', now)
      redis.call('HDEL', jobKey, 'worker_id', 'started_at', 'assigned_at')
      redis.call('ZADD', ARGV[1] .. 'pending:' .. job[4], (100 - tonumber(job[5])) * tonumber(ARGV[4]) + tonumber(job[6]), id)
      redis.call('LPUSH', ARGV[1] .. 'wake:' .. job[4], '1')
      addEvent(eventsKey, 'status', '{"status":"pending","attempt":' .. attempt .. ',"error":' .. error .. '}')
      table.insert(recovered, id)
      table.insert(recovered, 'pending')
      table.insert(recovered, job[7] or '')
      table.insert(recovered, attempt)
    else
      redis.call('HSET', jobKey, 'status', 'failed', 'error', error, 'finished_at', now, 'updated_at', now)
      addEvent(eventsKey, 'status', '{"status":"failed","attempt":' .. attempt .. ',"error":' .. error .. '}')
      expireFinished(jobKey, eventsKey, tonumber(ARGV[5]))
      table.insert(recovered, id)
      table.insert(recovered, 'failed')
      table.insert(recovered, job[7] or '')
      table.insert(recovered, attempt)
    end
  end
end

return recovered
