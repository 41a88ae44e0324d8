-- wrk: PUT /email/ as the users whose session JWTs are in the file named by BENCH_TOKENS, in turn, each time
-- with a new address.
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local counter = 0
-- Each wrk thread has a Lua state of its own: numbered here, so no two threads send the same address.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
function init(args)
  counter = (number or 0) * 10000000
end

function request()
  counter = counter + 1
  local token = tokens[counter % #tokens + 1]
  local body = string.format('{"email":"bench%d.%d@example.com"}', counter % #tokens, counter)
  return wrk.format("PUT", "/email/", { ["Content-Type"] = "application/json", ["Authorization"] = "JWT " .. token }, body)
end
