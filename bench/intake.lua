-- intake.lua - the wrk script of bench/intake-run.
--
-- INTAKE_MODE=reports (default): POST /api/v1/reports with the bodies of
--   INTAKE_BODIES (JSON, one a line: bench/gen-reports), cycled, each thread
--   starting at a different line; Authorization: Bearer INTAKE_TOKEN.
--   The expected status is 201.
-- INTAKE_MODE=healthz: GET /healthz (the HTTP layer without the store);
--   the expected status is 200.
--
-- Every response's status is counted (wrk's own error count only sees
-- statuses >= 400, so a 200 where 201 was expected would pass unnoticed).
-- done() prints one line that bench/intake-run reads:
--   intake: requests=N ok=N bad=N first_bad=S seconds=S p50_us=N p90_us=N
--           p99_us=N max_us=N connect=N read=N write=N timeout=N
local mode = os.getenv("INTAKE_MODE") or "reports"
local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
	table.insert(threads, thread)
end

local reqs = {}
local n_reqs = 0
local next_req = 0
local want = 201

function init(args)
	ok = 0
	bad = 0
	first_bad = 0
	if mode == "healthz" then
		want = 200
		reqs[1] = wrk.format("GET", "/healthz")
		n_reqs = 1
		return
	end
	local path = os.getenv("INTAKE_BODIES")
	local token = os.getenv("INTAKE_TOKEN")
	if path == nil or token == nil then
		error("intake.lua: set INTAKE_BODIES and INTAKE_TOKEN")
	end
	local headers = {
		["Authorization"] = "Bearer " .. token,
		["Content-Type"] = "application/json",
	}
	for line in io.lines(path) do
		if line ~= "" then
			n_reqs = n_reqs + 1
			reqs[n_reqs] = wrk.format("POST", "/api/v1/reports", headers, line)
		end
	end
	if n_reqs == 0 then
		error("intake.lua: " .. path .. " has no bodies")
	end
	-- Threads start at different bodies.
	next_req = ((tid or 1) - 1) * 7 % n_reqs
end

function request()
	next_req = next_req % n_reqs + 1
	return reqs[next_req]
end

function response(status, headers, body)
	if status == want then
		ok = ok + 1
	else
		bad = bad + 1
		if first_bad == 0 then
			first_bad = status
		end
	end
end

function done(summary, latency, requests)
	local n_ok, n_bad, fb = 0, 0, 0
	for _, t in ipairs(threads) do
		n_ok = n_ok + t:get("ok")
		n_bad = n_bad + t:get("bad")
		if fb == 0 then
			fb = t:get("first_bad")
		end
	end
	local e = summary.errors
	io.write(string.format(
		"intake: requests=%d ok=%d bad=%d first_bad=%d seconds=%.3f p50_us=%d p90_us=%d" ..
		" p99_us=%d max_us=%d connect=%d read=%d write=%d timeout=%d\n",
		summary.requests, n_ok, n_bad, fb, summary.duration / 1e6,
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
		e.connect, e.read, e.write, e.timeout))
end
