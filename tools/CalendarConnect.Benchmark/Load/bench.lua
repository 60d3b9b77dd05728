-- The benchmark's load script for wrk (one thread). The lines above this one, written by Wrk.cs, define:
--   bench_method, bench_path, bench_headers (sent with every request), bench_mode ("cycle" or "book"),
--   cycle: bench_items = { {customer_id or "", body or ""}, ... } sent in turn, over and over;
--   book:  bench_customers, bench_starts, bench_base, bench_run: request g books bench_starts[g / #customers] for
--          bench_customers[g % #customers], with idempotency key bench_run-g, so no two requests ask for the same slot.
-- Counts tool results with "isError":true by their calendarconnect/error_code and prints one JSON line at the end.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local prepared = {}
issued_count = 0
tool_errors = 0
codes = {}

local function headers_for(customer)
  local headers = {}
  for k, v in pairs(bench_headers) do headers[k] = v end
  if customer ~= "" then headers["X-Customer-Id"] = customer end
  return headers
end

function init(args)
  if bench_mode == "cycle" then
    for i, item in ipairs(bench_items) do
      local body = item[2]
      if body == "" then body = nil end
      prepared[i] = wrk.format(bench_method, bench_path, headers_for(item[1]), body)
    end
  end
end

function request()
  issued_count = issued_count + 1
  if bench_mode == "cycle" then
    return prepared[(issued_count - 1) % #prepared + 1]
  end
  local g = bench_base + issued_count - 1
  local c = #bench_customers
  local customer = bench_customers[g % c + 1]
  local start = bench_starts[math.floor(g / c) % #bench_starts + 1]
  local body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"book_appointment","arguments":{"start_iso":"'
    .. start .. '","customer_name":"Cliente ' .. g .. '","idempotency_key":"' .. bench_run .. '-' .. g .. '"}}}'
  return wrk.format("POST", bench_path, headers_for(customer), body)
end

function response(status, headers, body)
  if body and body:find('"isError":true', 1, true) then
    tool_errors = tool_errors + 1
    local code = body:match('"calendarconnect/error_code":"([%w_]+)"') or "other"
    codes[code] = (codes[code] or 0) + 1
  end
end

function done(summary, latency, requests)
  local errors, issued, all = 0, 0, {}
  for _, t in ipairs(threads) do
    errors = errors + (t:get("tool_errors") or 0)
    issued = issued + (t:get("issued_count") or 0)
    for k, v in pairs(t:get("codes") or {}) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do table.insert(parts, string.format('"%s":%d', k, v)) end
  io.write(string.format(
    'BENCHMARK-RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"status_errors":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"tool_errors":%d,"issued":%d,"codes":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    errors, issued, table.concat(parts, ",")))
end
