-- POST /api/tickets/ with a varied ticket.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local HEADERS = { ["Content-Type"] = "application/json", ["Authorization"] = wrk.headers["Authorization"] }
local PROBLEMS = { "Cannot access", "Charged twice for", "Error when opening", "Question about",
  "Unable to update", "Slow loading of", "Refund request for", "Lost access to" }
local THINGS = { "my invoice", "the dashboard", "account settings", "the mobile app", "my password",
  "the API key", "the CSV export", "team permissions", "the payment method" }
local DETAILS = { "The page shows an error 500.", "It keeps loading forever.",
  "I was charged twice this month.", "The reset link has expired.", "Nothing happens when I click save.",
  "The numbers do not match our records." }
local CATEGORIES = { "technical", "technical", "billing", "billing", "account", "general" }
local PRIORITIES = { "low", "medium", "medium", "high", "critical" }

function init(args)
  bench_init(args)
end

function request()
  local thing = pick(THINGS)
  local body = string.format(
    '{"title":"%s %s","description":"Hello, since yesterday I have trouble with %s. %s Reference #%d",' ..
    '"category":"%s","priority":"%s"}',
    pick(PROBLEMS), thing, thing, pick(DETAILS), math.random(100000, 999999), pick(CATEGORIES), pick(PRIORITIES))
  return wrk.format("POST", "/api/tickets/", HEADERS, body)
end
