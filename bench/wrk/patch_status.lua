-- PATCH /api/tickets/{id}/ {"status": ...} for a random id in 1..N.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local HEADERS = { ["Content-Type"] = "application/json", ["Authorization"] = wrk.headers["Authorization"] }
local STATUSES = { "open", "in_progress", "resolved", "closed" }

function init(args)
  bench_init(args)
end

function request()
  local body = '{"status":"' .. pick(STATUSES) .. '"}'
  return wrk.format("PATCH", "/api/tickets/" .. math.random(N) .. "/", HEADERS, body)
end
