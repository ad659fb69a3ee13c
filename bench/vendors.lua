-- wrk script for bench/vendors.sh. Spreads requests over the ten bench
-- tenants (one API key each, BENCH_KEYS) and their 10,000 seeded vendors,
-- whose ids follow the pattern the seed gives them.
--   BENCH_MODE=get     GET /v1/vendors/{id}
--   BENCH_MODE=list    GET /v1/vendors?limit=50   (first page, sort=name)
--   BENCH_MODE=create  POST /v1/vendors           (unique external_ref)
local mode = os.getenv("BENCH_MODE") or "get"
local run = os.getenv("BENCH_RUN") or "0"
local keys = {}
for k in string.gmatch(os.getenv("BENCH_KEYS") or "", "%S+") do
  keys[#keys + 1] = k
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
function init(args)
  math.randomseed(os.time() * 100 + (tid or 0))
end

local function auth(t)
  return "Bearer " .. keys[t + 1]
end

function request()
  local t = math.random(0, #keys - 1)
  local headers = { ["Authorization"] = auth(t) }
  if mode == "get" then
    local n = math.random(1, 10000)
    local id = string.format("a0000000-0000-4000-8000-%012d", t * 100000 + n)
    return wrk.format("GET", "/v1/vendors/" .. id, headers)
  elseif mode == "list" then
    return wrk.format("GET", "/v1/vendors?limit=50", headers)
  end
  counter = counter + 1
  headers["Content-Type"] = "application/json"
  local body = string.format(
    '{"external_ref":"W%s-%d-%d","name":"ベンチ新規株式会社 %d","name_kana":"ベンチシンキ",' ..
    '"department":"購買部","tags":["bench"],"status":"active"}',
    run, tid or 0, counter, counter)
  return wrk.format("POST", "/v1/vendors", headers, body)
end
