-- The same GET for every request (the URL on wrk's command line).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

function init(args)
  bench_init(args)
end
