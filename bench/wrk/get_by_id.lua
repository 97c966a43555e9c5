-- GET /api/tickets/{id}/ for a random id in 1..N (every one exists).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  bench_init(args)
end

function request()
  return wrk.format("GET", "/api/tickets/" .. math.random(N) .. "/")
end
