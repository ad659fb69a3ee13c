-- wrk script for bench/overview.sh: GET /v1/overview (BENCH_PATH), each
-- request with the key of one of the bench tenants (BENCH_KEYS), at random.
local path = os.getenv("BENCH_PATH") or "/v1/overview"
local keys = {}
for k in string.gmatch(os.getenv("BENCH_KEYS") or "", "%S+") do
  keys[#keys + 1] = k
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (tid or 0))
end

function request()
  local k = keys[math.random(1, #keys)]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. k })
end
