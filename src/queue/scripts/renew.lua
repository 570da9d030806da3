--[[
  Extends the lease of a running job.

  KEYS[1] job hash
  KEYS[2] active sorted set

  ARGV[1] worker id
  ARGV[2] attempt the worker claimed
  ARGV[3] now, in ms
  ARGV[4] lease duration, in ms

  Returns 1, or -1 (JOB_NOT_FOUND), -2 (NOT_OWNER), -3 (JOB_CANCELLED).
]]
-- #include common.lua

local owner = checkOwner(KEYS[1], ARGV[1], ARGV[2])
if owner ~= 0 then
  return owner
end

local leaseExpiresAt = tonumber(ARGV[3]) + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'lease_expires_at', leaseExpiresAt)
redis.call('ZADD', KEYS[2], leaseExpiresAt, redis.call('HGET', KEYS[1], 'id'))
return 1
