/// Go services of the shop: a zap JSON API, a logfmt service and the Istio sidecar next to the API.
extension Dialect {
    static let checkoutAPI = Dialect(
        name: "checkout-api", layout: .zapJSON,
        loggers: ["handler/checkout.go", "handler/cart.go", "service/pricing.go", "service/order.go", "client/payment.go",
                  "store/postgres.go", "cache/redis.go", "events/publisher.go"],
        probePercent: 38,
        startup: [
            .info(1, "starting checkout-api || version={ver} go_version=go1.23.3 commit={build} pid=1", logger: "cmd/server/main.go"),
            .info(1, "loaded configuration || env=production region=eu-west-1 config_path=/etc/checkout/config.yaml", logger: "cmd/server/main.go"),
            .info(1, "connected to postgres || host=postgres-primary.data.svc.cluster.local db=checkout pool_max=50"),
            .info(1, "connected to redis || addr=redis-master.data.svc.cluster.local:6379 db=0"),
            .info(1, "kafka producer ready || brokers=kafka-0.kafka-headless.data.svc.cluster.local:9092 acks=all"),
            .info(1, "http server listening || addr=:8080 read_timeout=15s write_timeout=30s", logger: "cmd/server/main.go"),
            .info(1, "grpc server listening || addr=:9090", logger: "cmd/server/main.go"),
        ],
        shutdown: [
            .info(1, "received signal, shutting down || signal=terminated grace_period=30s", logger: "cmd/server/main.go"),
            .info(1, "draining in-flight requests || in_flight={n}", logger: "cmd/server/main.go"),
            .info(1, "kafka producer flushed || pending=0"),
            .info(1, "shutdown complete", logger: "cmd/server/main.go"),
        ],
        long: [
            .debug(1, "upstream response body || request_id={rid} host={host} status=200 body={payload}"),
        ],
        probes: [
            .debug(50, "request completed || method=GET path=/healthz status=200 latency_ms=0 remote_addr={probeip}:{port} user_agent=kube-probe/1.29", logger: "middleware/logging.go"),
            .debug(40, "request completed || method=GET path=/readyz status=200 latency_ms=0 remote_addr={probeip}:{port} user_agent=kube-probe/1.29", logger: "middleware/logging.go"),
            .debug(20, "request completed || method=GET path=/metrics status=200 latency_ms={n} remote_addr={promip}:{port} user_agent=Prometheus/2.54.1 bytes={bytes}", logger: "middleware/logging.go"),
            .debug(8, "grpc health check || service=checkout.v1.Checkout status=SERVING peer={podip}:{port}", logger: "grpc/health.go"),
            .debug(5, "redis keepalive ping ok || addr=redis-master.data.svc.cluster.local:6379 rtt_ms={n}"),
        ],
        app: [
            .info(120, "request completed || request_id={rid} method={method} path={path} status={status} latency_ms={ms} user_id={uid} remote_addr={ip} user_agent={ua}", logger: "middleware/logging.go"),
            .info(60, "checkout started || request_id={rid} user_id={uid} cart_id={uuid} items={n} total_cents={cents} currency={cur}"),
            .info(40, "price computed || request_id={rid} sku={sku} base_cents={cents} discount_cents={n100} rule=promo-{word}"),
            .info(35, "order created || request_id={rid} order_id={order} user_id={uid} total_cents={cents} currency={cur} latency_ms={ms}"),
            .debug(80, "cache hit || request_id={rid} key=cart:{uid} ttl_s={n1k}"),
            .debug(40, "cache miss || request_id={rid} key=price:{sku} latency_ms={ms}"),
            .debug(50, "sql query || request_id={rid} table={table} rows={n100} latency_ms={ms} query='SELECT id, status, total_cents FROM {table} WHERE id = $1'"),
            .info(30, "payment authorized || request_id={rid} order_id={order} provider={provider} amount_cents={cents} currency={cur} latency_ms={ms}"),
            .info(25, "event published || topic={queue} partition={n} offset={big} key={order}"),
            .info(20, "coupon applied || request_id={rid} user_id={uid} coupon={coupon} discount_cents={cents}"),
            .debug(30, "feature flag evaluated || flag={flag} user_id={uid} variant=treatment"),
            .info(15, "shipping quote received || request_id={rid} carrier={carrier} warehouse={warehouse} cost_cents={cents} latency_ms={ms}"),
            .info(15, "inventory reserved || request_id={rid} order_id={order} sku={sku} qty={n} warehouse={warehouse}"),
            .warn(12, "slow request || request_id={rid} method={method} path={path} latency_ms={ms} threshold_ms=1000", logger: "middleware/logging.go"),
            .warn(8, "retrying downstream call || request_id={rid} host={host} attempt={n} error={err}"),
            .warn(6, "cart total mismatch, recalculating || request_id={rid} cart_id={uuid} expected_cents={cents} actual_cents={cents}"),
            .warn(5, "rate limit approaching || user_id={uid} remaining={n} window=1m"),
            .error(9, "payment authorization failed || request_id={rid} order_id={order} provider={provider} error={err} latency_ms={ms}"),
            .error(6, "failed to publish event || topic={queue} error={err} attempt={n}"),
            .error(4, "request failed || request_id={rid} method={method} path={path} status=500 error={err} trace_id={trace}", logger: "middleware/logging.go"),
            .error(1, "http: panic serving {podip}:{port}: runtime error: invalid memory address or nil pointer dereference{gopanic}", layout: .raw, stream: .stderr),
        ])

    static let cartService = Dialect(
        name: "cart-service", layout: .logfmt, loggers: [],
        probePercent: 40,
        startup: [
            .info(1, "starting cart-service || version={ver} commit={build} go=go1.22.9"),
            .info(1, "connected || backend=redis addr=redis-master.data.svc.cluster.local:6379 pool_size=64"),
            .info(1, "connected || backend=postgres dsn='host=postgres-primary.data.svc.cluster.local dbname=carts sslmode=require'"),
            .info(1, "listening || addr=:8080 metrics_addr=:9102"),
        ],
        shutdown: [
            .info(1, "shutting down || signal=SIGTERM"),
            .info(1, "server stopped || open_connections=0"),
        ],
        long: [
            .debug(1, "cart snapshot || cart_id={uuid} user_id={uid} snapshot={payload}"),
        ],
        probes: [
            .debug(50, "http request || method=GET path=/healthz status=200 duration={fastdur} remote={probeip}:{port} ua=kube-probe/1.29"),
            .debug(40, "http request || method=GET path=/readyz status=200 duration={fastdur} remote={probeip}:{port} ua=kube-probe/1.29"),
            .debug(20, "http request || method=GET path=/metrics status=200 duration={dur} remote={promip}:{port} ua=Prometheus/2.54.1"),
            .debug(10, "redis ping || addr=redis-master.data.svc.cluster.local:6379 duration={fastdur} pool_idle={n}"),
        ],
        app: [
            .info(100, "http request || method={method} path={path} status={status} duration={dur} request_id={rid} user_id={uid}"),
            .info(60, "cart updated || request_id={rid} cart_id={uuid} user_id={uid} items={n} total_cents={cents}"),
            .info(40, "item added || request_id={rid} cart_id={uuid} sku={sku} qty={n}"),
            .info(25, "item removed || request_id={rid} cart_id={uuid} sku={sku}"),
            .debug(60, "cart loaded from cache || cart_id={uuid} user_id={uid} duration={dur}"),
            .debug(30, "cart persisted || cart_id={uuid} table=carts duration={dur}"),
            .info(15, "cart merged after login || user_id={uid} anonymous_cart={uuid} items={n}"),
            .info(12, "abandoned carts swept || expired={n1k} duration={dur}"),
            .debug(20, "price lookup || sku={sku} price_cents={cents} source=cache"),
            .warn(8, "price lookup fallback to database || sku={sku} err={err}"),
            .warn(6, "cart size limit reached || cart_id={uuid} items=100 user_id={uid}"),
            .error(8, "failed to persist cart || cart_id={uuid} err={err}"),
            .error(5, "redis command failed || cmd=HGETALL key=cart:{uid} err={err}"),
        ])

    static let istioProxy = Dialect(
        name: "istio-proxy", layout: .raw, loggers: [],
        probePercent: 20,
        startup: [
            .info(1, "{isots}\tinfo\tFLAG: --concurrency=\"2\""),
            .info(1, "{isots}\tinfo\tVersion 1.23.2-ebb1a2a4ccb5ed4ea8bd0a4b4b7d8c3c9f1d2e0a-Clean"),
            .info(1, "{isots}\tinfo\txdsproxy\tInitializing with upstream address \"istiod.istio-system.svc:15012\" and cluster \"Kubernetes\""),
            .info(1, "{isots}\tinfo\tsds\tSDS server for workload certificates started, listening on \"var/run/secrets/workload-spiffe-uds/socket\""),
            .info(1, "{isots}\tinfo\tcache\tgenerated new workload certificate\tlatency={dur} ttl=23h59m59.{n1k}s"),
            .info(1, "{isots}\tinfo\tReadiness succeeded in {sec}s"),
            .info(1, "{isots}\tinfo\tEnvoy proxy is ready"),
        ],
        shutdown: [
            .info(1, "{isots}\tinfo\tStatus server has successfully terminated"),
            .info(1, "{isots}\tinfo\tAgent draining Proxy for termination"),
            .info(1, "{isots}\tinfo\tGraceful termination period is 5s, starting..."),
            .info(1, "{isots}\tinfo\tGraceful termination period complete, terminating remaining proxies."),
        ],
        long: [
            .info(1, "[{isots}] \"POST /api/v1/checkout HTTP/1.1\" 413 - via_upstream - \"{payload}\" 0 0 1 1 \"-\" \"{ua}\" \"{uuid}\" \"checkout-api.shop.svc.cluster.local\" \"{selfip}:8080\" inbound|8080|| - - - - default"),
        ],
        probes: [
            .info(60, "[{isots}] \"GET /healthz/ready HTTP/1.1\" 200 - direct_response - \"-\" 0 0 0 - \"-\" \"kube-probe/1.29\" \"{uuid}\" \"{selfip}:15021\" \"-\" - - {selfip}:15021 {probeip}:{port} - -"),
            .info(20, "{isots}\tinfo\txdsproxy\tconnected to delta upstream XDS server: istiod.istio-system.svc:15012\tid={n1k}"),
            .info(10, "{isots}\tinfo\tads\tADS: \"{podip}:{port}\" {pod}.shop-{n1k} terminated"),
        ],
        app: [
            .info(100, "[{isots}] \"{method} {path} HTTP/1.1\" {status} - via_upstream - \"-\" {n1k} {bytes} {ms} {ms} \"{ip}\" \"{ua}\" \"{uuid}\" \"checkout-api.shop.svc.cluster.local\" \"{selfip}:8080\" inbound|8080|| 127.0.0.6:{port} {selfip}:8080 {podip}:{port} outbound_.8080_._.checkout-api.shop.svc.cluster.local default"),
            .info(40, "[{isots}] \"POST /v1/payment_intents HTTP/1.1\" 200 - via_upstream - \"-\" {n1k} {bytes} {ms} {ms} \"-\" \"Go-http-client/2.0\" \"{uuid}\" \"api.stripe.com\" \"54.187.{n100}.{n100}:443\" PassthroughCluster {selfip}:{port} 54.187.{n100}.{n100}:443 {selfip}:{port} - allow_any"),
            .info(30, "[{isots}] \"GET /api/v1/cart HTTP/1.1\" 200 - via_upstream - \"-\" 0 {bytes} {ms} {ms} \"-\" \"Go-http-client/1.1\" \"{uuid}\" \"cart-service.shop.svc.cluster.local:8080\" \"{podip}:8080\" outbound|8080||cart-service.shop.svc.cluster.local {selfip}:{port} 10.96.{n100}.{n100}:8080 {selfip}:{port} - default"),
            .warn(3, "[{isots}] \"POST /api/v1/payments/{uuid}/capture HTTP/1.1\" 503 UF upstream_reset_before_response_started{connection_failure} - \"-\" {n1k} 91 {ms} - \"-\" \"Go-http-client/1.1\" \"{uuid}\" \"payment-gateway.shop.svc.cluster.local:8443\" \"{podip}:8443\" outbound|8443||payment-gateway.shop.svc.cluster.local - 10.96.{n100}.{n100}:8443 {selfip}:{port} - default"),
            .warn(2, "{isots}\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:155\tStreamAggregatedResources gRPC config stream to xds-grpc closed since {n1k}s ago: 14, connection error: desc = \"transport: Connection reset by peer\"\tthread=15"),
        ])
}
