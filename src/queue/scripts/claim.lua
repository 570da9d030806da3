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
-- #include claim-next.lua

return claimNext(KEYS[1], 2, ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]),
  tonumber(ARGV[6]))
