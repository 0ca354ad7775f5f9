-- Mixed traffic for wrk (scripts/loadtest.py writes the paths and the CSRF pair into the environment):
-- 30 % home page, 35 % listings with searches and filters, 30 % case pages, 5 % tip posts;
-- LOADTEST_PROFILE=spike: 90 % on one case page, the rest as above without tip posts.
local slugs, searches = {}, {}
for s in string.gmatch(os.getenv("LOADTEST_SLUGS") or "", "[^,]+") do slugs[#slugs + 1] = s end
for s in string.gmatch(os.getenv("LOADTEST_SEARCHES") or "", "[^|]+") do searches[#searches + 1] = s end
local origin = os.getenv("LOADTEST_ORIGIN")
local cookie = "csrftoken=" .. os.getenv("LOADTEST_CSRF_COOKIE")
local token = os.getenv("LOADTEST_CSRF_TOKEN")
local profile = os.getenv("LOADTEST_PROFILE") or "mixed"

local threads = {}
local counter = 0
-- As phones and browsers ask: a compressed answer if the server has one.
local accept = { ["Accept-Encoding"] = "gzip, deflate, br" }

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + id * 7919)
  status_2xx, status_3xx, status_4xx, status_5xx, tips = 0, 0, 0, 0, 0
end

function request()
  local roll = math.random(100)
  if profile == "spike" then
    -- One case shared widely: 90 % on its page, the rest spread as usual, no tips.
    if roll <= 90 then return wrk.format("GET", "/listings/" .. slugs[1] .. "/", accept) end
    roll = math.random(95)
  end
  if roll <= 30 then
    return wrk.format("GET", "/", accept)
  elseif roll <= 65 then
    return wrk.format("GET", "/listings/" .. searches[math.random(#searches)], accept)
  elseif roll <= 95 then
    return wrk.format("GET", "/listings/" .. slugs[math.random(#slugs)] .. "/", accept)
  end
  local slug = slugs[math.random(#slugs)]
  tips = tips + 1
  local body = "csrfmiddlewaretoken=" .. token ..
    "&message=Load+test+tip%3A+I+may+have+seen+this+person+near+the+harbour&name=&email=&phone=&website="
  return wrk.format("POST", "/listings/" .. slug .. "/tip/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["Origin"] = origin,
    ["Referer"] = origin .. "/listings/" .. slug .. "/tip/",
  }, body)
end

function response(status, headers, body)
  if status >= 500 then status_5xx = status_5xx + 1
  elseif status >= 400 then status_4xx = status_4xx + 1
  elseif status >= 300 then status_3xx = status_3xx + 1
  else status_2xx = status_2xx + 1 end
end

function done(summary, latency, requests)
  local totals = { s2 = 0, s3 = 0, s4 = 0, s5 = 0, tips = 0 }
  for _, thread in ipairs(threads) do
    totals.s2 = totals.s2 + thread:get("status_2xx")
    totals.s3 = totals.s3 + thread:get("status_3xx")
    totals.s4 = totals.s4 + thread:get("status_4xx")
    totals.s5 = totals.s5 + thread:get("status_5xx")
    totals.tips = totals.tips + thread:get("tips")
  end
  local errors = summary.errors
  io.write(string.format(
    'LOADTEST_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "status_2xx": %d, "status_3xx": %d, "status_4xx": %d, "status_5xx": %d, "tip_posts": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, totals.s2, totals.s3, totals.s4, totals.s5, totals.tips,
    errors.connect, errors.read, errors.write, errors.timeout))
end
