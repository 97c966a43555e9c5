-- PATCH /api/tickets/{id}/ {"priority": ...} with If-Match: the version this thread last saw of
-- the ticket (1, as seeded, until it has changed it). So that no two writers share a ticket, each
-- thread of each run (warm-up and measured) takes its own ids: those ≡ its slot modulo 16. A 412
-- (another connection of the thread changed the ticket first) counts as a status error.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local SLOTS = 16
local PRIORITIES = { "low", "medium", "high", "critical" }
local versions = {}
local slot, ids

function init(args)
  bench_init(args)
  local salt = tonumber(args[2]) or 0
  slot = ((salt % 2) * 8 + (thread_number - 1)) % SLOTS
  ids = math.floor((N - 1 - slot) / SLOTS) + 1
end

function request()
  local id = slot + 1 + SLOTS * (math.random(ids) - 1)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = wrk.headers["Authorization"],
    ["If-Match"] = versions[id] or '"1"',
  }
  return wrk.format("PATCH", "/api/tickets/" .. id .. "/", headers, '{"priority":"' .. pick(PRIORITIES) .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    local id = tonumber(body:match('"id":(%d+)'))
    if id then versions[id] = headers["ETag"] or headers["etag"] end
  end
end
