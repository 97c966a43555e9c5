-- Loaded by every wrk script of the benchmark (dofile, next to it). Gives each thread its own
-- random seed and prints one machine-readable summary line that bench/report.py reads:
--   BENCH_JSON {"requests":..., "duration_us":..., "p50_us":..., "p99_us":..., errors...}
-- Script arguments (after `--` on wrk's command line): N (tickets seeded), SALT (run number).

local threads = {}

-- Every request is signed in with the token bench/run.sh made (BENCH_TOKEN).
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

-- Called from each script's init(args): N and a per-thread, per-run random seed.
function bench_init(args)
  N = tonumber(args[1]) or 1000
  local salt = tonumber(args[2]) or 0
  math.randomseed(thread_number * 1000003 + salt * 7919)
  for _ = 1, 10 do math.random() end
end

function pick(list)
  return list[math.random(#list)]
end

-- Sum of a per-thread counter (0 when the script keeps none).
local function total(name)
  local sum = 0
  for _, thread in ipairs(threads) do
    sum = sum + (tonumber(thread:get(name)) or 0)
  end
  return sum
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d,"followed":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max, total("followed")))
end
