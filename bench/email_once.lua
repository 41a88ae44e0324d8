-- wrk: each user whose session JWT is in the file named by BENCH_TOKENS changes their address once; the users are
-- split among wrk's BENCH_WRK_THREADS threads, and a thread stops once its share is answered 200. Connections that
-- find the share handed out ask GET /emails/verification/ without a token (400, no side effect) meanwhile.
local made = 0
function setup(thread)
  thread:set("id", made)
  made = made + 1
end

function init(args)
  local step = tonumber(os.getenv("BENCH_WRK_THREADS"))
  tokens = {}
  local index = 0
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if index % step == id then tokens[#tokens + 1] = line end
    index = index + 1
  end
  sent, answered = 0, 0
  -- wrk calls the first thread's request() once before connecting, to check it, and sends nothing for it.
  checked = id ~= 0
end

function request()
  if not checked then
    checked = true
    return wrk.format("GET", "/emails/verification/")
  end
  if sent >= #tokens then return wrk.format("GET", "/emails/verification/") end
  sent = sent + 1
  local body = string.format('{"email":"once%d.%d@example.com"}', id, sent)
  return wrk.format("PUT", "/email/", { ["Content-Type"] = "application/json", ["Authorization"] = "JWT " .. tokens[sent] }, body)
end

function response(status, headers, body)
  if status == 200 then answered = answered + 1 elseif status ~= 400 then io.stderr:write("PUT /email/ answered " .. status .. "\n") end
  if answered >= #tokens then wrk.thread:stop() end
end
