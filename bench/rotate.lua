-- wrk script for bench/run.py: each request asks for the next path of a list, then the
-- report of report.lua. The paths come after wrk's `--`:
--
--   wrk -s bench/rotate.lua http://127.0.0.1:8000 -- /en/search/?q=a /en/search/?q=b
--
-- Each wrk thread starts at its own offset, so threads do not ask in lockstep.

local here = debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "./"
dofile(here .. "report.lua")

local paths = {}
local next_index = 1

function setup(thread)
  setup_count = (setup_count or 0) + 1
  thread:set("offset", setup_count)
end

function init(args)
  for i, path in ipairs(args) do
    paths[i] = path
  end
  if #paths == 0 then
    error("rotate.lua: no paths given after --")
  end
  next_index = ((tonumber(offset) or 1) - 1) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format(nil, path)
end
