-- wrk script for bench/cycle.sh: the yearly cycle's hot requests.
--   BENCH_MODE=respond_get   GET /v1/respond/{token}           (tokens spread round robin)
--   BENCH_MODE=respond_put   PUT /v1/respond/{token}/answers   (10 answers; each token's
--                            answers_version is read back from the answer, so saves chain)
--   BENCH_MODE=path          GET BENCH_PATH with BENCH_KEY     (comparison, campaign progress)
local mode = os.getenv("BENCH_MODE") or "respond_get"
local key = os.getenv("BENCH_KEY") or ""
local path = os.getenv("BENCH_PATH") or "/"
local tokens = {}
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "%S+") do
  tokens[#tokens + 1] = t
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

-- Each wrk thread takes every other token, so two threads never share one.
local mine, next_i, versions, flip, last = {}, 1, {}, 0, {}
function init(args)
  for i = tid, #tokens, 2 do
    mine[#mine + 1] = tokens[i]
  end
end

local function pick()
  local t = mine[next_i]
  next_i = next_i % #mine + 1
  return t
end

function request()
  if mode == "path" then
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. key })
  end
  local t = pick()
  last[#last + 1] = t
  if mode == "respond_get" then
    return wrk.format("GET", "/v1/respond/" .. t)
  end
  flip = 1 - flip
  local word = flip == 1 and "yes" or "partially"
  local parts = {}
  for q = 1, 10 do
    parts[#parts + 1] = string.format('"S1-Q%02d":"%s"', q, word)
  end
  local body = string.format('{"answers":{%s},"answers_version":%d}', table.concat(parts, ","),
                             versions[t] or 0)
  return wrk.format("PUT", "/v1/respond/" .. t .. "/answers",
                    { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if mode ~= "respond_put" then
    return
  end
  local t = table.remove(last, 1)
  local v = string.match(body, '"answers_version":%s*(%d+)')
  if t and v then
    versions[t] = tonumber(v)
  end
end
