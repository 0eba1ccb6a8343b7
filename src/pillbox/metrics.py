"""Prometheus metrics: what a server and its worker count, for the `/_metrics` endpoint.

Counters live in the process (one registry each). Under `pillbox serve --workers N`, set
`PROMETHEUS_MULTIPROC_DIR` to an empty directory before starting, and the endpoint adds up every
process's figures (prometheus-client's multiprocess mode). Gauges of shared state (job queue,
REST hook deliveries, database pool) are read when scraped, so every process reports the same.
No label ever holds a record's data: routes are templates (`/api/v2/parties/{ids}`).
"""

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "pillbox_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "pillbox_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template and method.",
    ["route", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RATE_LIMITED = Counter("pillbox_rate_limit_refusals", "Requests refused with 429.")
SIGN_IN_FAILURES = Counter("pillbox_sign_in_failures", "Passwords that did not match at a sign-in.")
JOBS = Counter("pillbox_jobs_finished", "Jobs the worker ended, by outcome.", ["outcome"])
DELIVERIES = Counter(
    "pillbox_hook_delivery_attempts",
    "REST hook delivery attempts, by outcome (delivered, retry, failed).",
    ["outcome"],
)
