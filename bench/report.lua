-- wrk script for bench/run.py: prints one parseable line when the run ends.
--
--   BENCH {"requests":…, "duration_s":…, "rps":…, "p50_ms":…, "p90_ms":…, "p99_ms":…,
--          "max_ms":…, "bytes":…, "status_errors":…, "connect":…, "read":…, "write":…,
--          "timeout":…}
--
-- status_errors counts responses with a status of 400 or more (wrk's own definition of a
-- non-2xx/3xx answer); connect/read/write/timeout are socket errors. No response() hook:
-- defining one makes wrk hand every response to Lua, which slows the load generator down.

-- Request headers (Accept-Encoding) are set by run.py with wrk's -H flag.

function done(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,'
      .. '"p99_ms":%.3f,"max_ms":%.3f,"bytes":%d,"status_errors":%d,"connect":%d,'
      .. '"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.bytes, errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
