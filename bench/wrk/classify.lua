-- POST /api/tickets/classify/ with a random description (the offline classifier answers: run.sh
-- starts the server without OPENAI_* settings and with the classify rate limit out of reach).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local HEADERS = { ["Content-Type"] = "application/json" }
local OPENERS = { "Hi, ", "Hello team, ", "Urgent: ", "", "Good morning, " }
local PROBLEMS = { "I was charged twice for my subscription", "the app crashes when I open the dashboard",
  "I cannot log in since the password reset", "please update the billing address on my invoice",
  "the export to CSV times out", "how do I add a new user to my team", "my refund has not arrived yet",
  "the API returns error 500 on every call", "I want to close my account", "the site is down for everyone",
  "two factor codes are never accepted", "where can I download last month's receipt" }
local ENDINGS = { ".", " and it blocks our whole team.", ". Thanks!", " since yesterday.",
  ". This is critical for us.", " - any idea?" }

function init(args)
  bench_init(args)
end

function request()
  local body = '{"description":"' .. pick(OPENERS) .. pick(PROBLEMS) .. pick(ENDINGS) .. '"}'
  return wrk.format("POST", "/api/tickets/classify/", HEADERS, body)
end
