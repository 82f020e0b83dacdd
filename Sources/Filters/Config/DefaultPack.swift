/// The embedded copy of `config/default-rules.yaml`, so the binary works without the config directory.
/// Keep it equal to the file (a test checks); regenerate by pasting the file between the delimiters.
enum DefaultPack {
    static let yaml = #"""
# logsift default noise rules.
#
# Loaded unless turned off; a user's rule file (--config, $LOGSIFT_CONFIG) runs before these, so its `keep`
# rules win, and it can turn any of these off with `disable: [name, ...]`.
#
# A rule: name, match (every condition must hold; a list is a set of alternatives), action, optional scope
# (deployment / namespace / source / pod / container, globs) and order (default: position in the file).
# Without `level:` a rule only applies below warn, so none of these ever drops a warning or an error, and
# no rule ever drops a failure (exceptions, OOMKilled, CrashLoopBackOff, probe failures, ...).
# Successful requests only: a health check that returned 500 is not noise.
# The binary embeds a copy of this file (Sources/Filters/Config/DefaultPack.swift); a test keeps them equal.
version: 1
rules:
  # Kubernetes liveness/readiness/startup probes seen in access logs.
  - name: kube-probe
    match:
      user_agent: "kube-probe/*"
      status: [2xx, 3xx]
    action: drop

  - name: health-endpoints
    match:
      path: [/healthz, /healthz/*, /readyz, /readyz/*, /livez, /livez/*, /health, /health/*, /healthcheck,
             /health-check, /health_check, /healthy, /ready, /ping, /actuator/health, /actuator/health/*,
             /api/health, /api/healthz, /_health, /status/health]
      status: [2xx, 3xx]
    action: drop

  # Cloud and router load-balancer checkers.
  - name: load-balancer-health-checks
    match:
      user_agent: ["ELB-HealthChecker/*", "GoogleHC/*", "*HAProxy*", "*haproxy*", "Amazon-Route53-Health-Check-Service*",
                   "Consul Health Check", "kube-router*"]
      status: [2xx, 3xx]
    action: drop

  # HAProxy (OpenShift router) `option httpchk`: OPTIONS / from the router, and its own check log lines.
  - name: haproxy-httpchk
    match:
      method: OPTIONS
      path: /
      status: [2xx, 3xx]
    action: drop

  - name: haproxy-check-succeeded
    match:
      contains: ["Health check for server", "Health check for backup server"]
      contains_all: [succeeded]
    action: drop

  # Prometheus and other scrapers.
  - name: metrics-scrapes
    match:
      path: [/metrics, /metrics/*, /actuator/prometheus, /federate, /stats/prometheus]
      status: [2xx, 3xx]
    action: drop

  # kubelet (klog) lines about probes that passed.
  - name: kubelet-probe-succeeded
    match:
      contains: ["\"Probe succeeded\"", "Probe succeeded"]
    action: drop

  - name: kubelet-syncloop-probe-ready
    match:
      contains: ["\"SyncLoop (probe)\""]
      contains_all: ["status=\"ready\""]
    action: drop

  - name: kubelet-syncloop-probe-started
    match:
      contains: ["\"SyncLoop (probe)\""]
      contains_all: ["status=\"started\""]
    action: drop

  # gRPC health checking protocol.
  - name: grpc-health-check
    match:
      contains: ["grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch"]
      not_contains: [NOT_SERVING, SERVICE_UNKNOWN, Unavailable, DeadlineExceeded, "code = Unknown", Internal]
    action: drop

  # Websocket and protocol ping/pong frames and keepalives (not /ping requests, not timeouts).
  - name: keepalive
    match:
      regex: '(?i)\bkeep-?alive\b'
      not_contains: [timeout, "timed out", fail, error, missed, lost, unreachable, refused, closed, exceeded, expired]
      ignore_case: true
    action: drop

  - name: websocket-ping-pong
    match:
      regex: '(?i)(^|[^/\w.-])(ping|pong)([^\w.-]|$)'
      not_contains: [timeout, "timed out", fail, error, missed, lost, unreachable, "no pong", refused, closed, exceeded]
      ignore_case: true
    action: drop

  # Argo CD application controller reconcile loops.
  - name: argocd-reconcile-loop
    match:
      contains: ["Reconciliation completed", "No status changes. Skipping patch", "Refreshing app status",
                 "Comparing app state", "Skipping auto-sync: application status is Synced",
                 "Start Update application operation state", "Update application operation state"]
      not_contains: [failed, error, Degraded, OutOfSync]
    action: drop

  # Secrets: replaced before anything is stored (applies at every level).
  - name: redact-private-keys
    match:
      regex: '-----BEGIN [A-Z ]*PRIVATE KEY-----[^-]*(-----END [A-Z ]*PRIVATE KEY-----)?'
    action: redact
    replacement: "[REDACTED PRIVATE KEY]"

  - name: redact-cloud-access-keys
    match:
      regex: ['\b(AKIA|ASIA)[0-9A-Z]{16}\b', '\bAIza[0-9A-Za-z_-]{35}']
    action: redact

  - name: redact-bearer-tokens
    match:
      regex: ['(?i)\bbearer\s+\K[A-Za-z0-9._~+/=-]{8,}', 'eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*']
    action: redact

  - name: redact-secret-pairs
    match:
      regex: '(?i)(password|passwd|secret|token|apikey|api_key|access_key)[a-z_]*["'']?\s*[=:]\s*["'']?\K[^\s"''&,;]+'
    action: redact

"""#
}
