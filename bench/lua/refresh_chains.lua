-- wrk script: rotates many independent refresh-token chains at once.
--
-- Each wrk thread takes its own share of the refresh tokens in BENCH_TOKENS_FILE (one a line;
-- BENCH_THREADS_TOTAL threads share them round-robin) as a queue. Every request spends the
-- token at the head of its thread's queue; every 200 answer appends the new refresh token to
-- the tail. With more chains per thread than connections per thread, no token is ever sent
-- twice (a replay would be reuse, which revokes the chain and is answered 4xx, so wrk's
-- non-2xx count shows any mistake).
--
-- At the end, the tokens still queued are written back to BENCH_TOKENS_FILE for the next run:
-- only the chains whose request was in flight when wrk stopped are lost (the caller tops the
-- file up before each run).
--
-- BENCH_REFRESH_MODE: "session" POSTs {"refresh_token": ...} as JSON (POST /api/v1/auth/refresh);
-- "oauth" POSTs the refresh_token grant's form (POST /oauth/token) with the header in
-- BENCH_AUTH_HEADER (the client's HTTP Basic credentials). BENCH_DEBUG=1 prints every non-200 answer.

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("index", #threads)
end

function init(args)
  local total = tonumber(os.getenv("BENCH_THREADS_TOTAL"))
  pool, head, tail = {}, 1, 0
  local n = 0
  for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
    if line ~= "" then
      if n % total == index - 1 then tail = tail + 1; pool[tail] = line end
      n = n + 1
    end
  end
  mode = os.getenv("BENCH_REFRESH_MODE")
  auth = os.getenv("BENCH_AUTH_HEADER")
  debug_answers = os.getenv("BENCH_DEBUG") == "1"
end

function request()
  local token = pool[head]
  if token == nil then
    token = "exhausted" -- every chain of this thread broke; answered 4xx and counted by wrk
  else
    pool[head] = nil
    head = head + 1
  end
  if mode == "session" then
    return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
      '{"refresh_token":"' .. token .. '"}')
  end
  return wrk.format("POST", nil,
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["Authorization"] = auth },
    "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  if status == 200 then
    local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if token then tail = tail + 1; pool[tail] = token end
  elseif debug_answers then
    io.stderr:write("refresh answered ", status, ": ", body:sub(1, 300), "\n")
  end
end

function done(summary, latency, requests)
  local file = assert(io.open(os.getenv("BENCH_TOKENS_FILE"), "w"))
  for _, thread in ipairs(threads) do
    local queue, first, last = thread:get("pool"), thread:get("head"), thread:get("tail")
    for i = first, last do
      if queue[i] then file:write(queue[i], "\n") end
    end
  end
  file:close()
end
