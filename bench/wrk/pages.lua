-- Walks 10 pages of the unfiltered list (limit=20) the way a client does: each next page is the
-- URL of the previous response's Link rel="next" header; after page 10 a walk starts over at
-- page 1. A walk's page number rides along in an extra query parameter, `walk`, which the server
-- ignores and copies into the Link URL, so any connection of the thread can continue any walk.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local PAGES = 10
local FIRST = "/api/tickets/?limit=20&walk=1"
local pending = {} -- next pages, at most one per walk in progress
followed = 0 -- requests that followed a Link (read by done() in common.lua)

function init(args)
  bench_init(args)
end

function request()
  local path = table.remove(pending)
  if path then
    followed = followed + 1
  end
  return wrk.format("GET", path or FIRST)
end

function response(status, headers, body)
  local link = headers["link"] or headers["Link"]
  if status ~= 200 or not link then
    return
  end
  local path = link:match('<%a+://[^/]+(/[^>]*)>%s*;%s*rel="next"')
  local page = path and tonumber(path:match("[?&]walk=(%d+)"))
  if page and page < PAGES then
    table.insert(pending, (path:gsub("([?&]walk=)%d+", "%1" .. (page + 1))))
  end
end
