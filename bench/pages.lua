-- wrk script: rotates through the paths of one target with the persona's cookie, and prints
-- the run's figures as one JSON line (p50/p95/p99 in microseconds) for bench/run to read.
-- Usage: wrk -s bench/pages.lua <base url> -- <file>   (file: cookie line, then one path a line)

local paths = {}
local cookie = ""
local auth = ""
local counter = 0

function init(args)
  local file = assert(io.open(args[1], "r"))
  cookie = file:read("*l")
  auth = file:read("*l")
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  counter = math.random(#paths) - 1
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = {}
  if cookie ~= "" then headers["Cookie"] = cookie end
  if auth ~= "" then headers["Authorization"] = auth end
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non2xx": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, errors.status, errors.connect, errors.read,
    errors.write, errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
