-- wrk script: POSTs the form in BENCH_FORM (application/x-www-form-urlencoded) on every request.
-- Client authentication, if any, comes from wrk's -H (e.g. an HTTP Basic header).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_FORM") or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
