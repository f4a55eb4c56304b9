-- Printed by wrk after a run: one JSON line that bench/lib/wrk-load.ts reads (latency in µs).
-- Only `done` is defined: a per-response Lua callback would slow wrk down.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationMicros":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"statusErrors":%d,"p50Micros":%d,"p99Micros":%d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write,
    errors.timeout, errors.status, latency:percentile(50), latency:percentile(99)))
end
