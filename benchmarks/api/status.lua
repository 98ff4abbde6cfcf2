-- wrk reporter for the API: throughput, latency percentiles (ms), errors, and how many answers
-- were 304 Not Modified (conditional requests), counted per thread and summed at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_modified = 0
  answered = 0
end

function response(status, headers, body)
  answered = answered + 1
  if status == 304 then
    not_modified = not_modified + 1
  end
end

done = function(summary, latency, requests)
  local nm, total = 0, 0
  for _, thread in ipairs(threads) do
    nm = nm + thread:get("not_modified")
    total = total + thread:get("answered")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "non_2xx": %d, "socket_errors": %d, "not_modified": %d, "answered": %d}\n',
    summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    nm, total))
end
