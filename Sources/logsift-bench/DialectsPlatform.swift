/// Web tier and cluster services: the nginx storefront, the ingress controller, CoreDNS and kube-proxy.
extension Dialect {
    static let webFrontend = Dialect(
        name: "web-frontend", layout: .raw, loggers: [],
        probePercent: 40,
        startup: [
            .info(1, "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"),
            .info(1, "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/"),
            .info(1, "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh"),
            .info(1, "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf"),
            .info(1, "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh"),
            .info(1, "/docker-entrypoint.sh: Configuration complete; ready for start up"),
            .info(1, #"{nginxts} [notice] 1#1: using the "epoll" event method"#, stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: nginx/1.27.2", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14)", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: OS: Linux 6.1.112-124.190.amzn2023.x86_64", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: start worker processes", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: start worker process 29", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: start worker process 30", stream: .stderr),
        ],
        shutdown: [
            .info(1, "{nginxts} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down", stream: .stderr),
            .info(1, "{nginxts} [notice] 29#29: gracefully shutting down", stream: .stderr),
            .info(1, "{nginxts} [notice] 29#29: exiting", stream: .stderr),
            .info(1, "{nginxts} [notice] 29#29: exit", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: signal 17 (SIGCHLD) received from 29", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: worker process 29 exited with code 0", stream: .stderr),
            .info(1, "{nginxts} [notice] 1#1: exit", stream: .stderr),
        ],
        long: [
            .info(1, #"{podip} - - [{clf}] "GET /checkout/return?state={payload} HTTP/1.1" 414 0 "-" "{ua}" "{ip}""#),
        ],
        probes: [
            .info(50, #"{probeip} - - [{clf}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" "-""#),
            .info(40, #"{probeip} - - [{clf}] "GET /readyz HTTP/1.1" 200 2 "-" "kube-probe/1.29" "-""#),
            .info(15, #"{promip} - - [{clf}] "GET /stub_status HTTP/1.1" 200 {n100} "-" "NGINX-Prometheus-Exporter/v1.3.0" "-""#),
        ],
        app: [
            .info(300, #"{podip} - - [{clf}] "GET {page} HTTP/1.1" {status} {bytes} "{referer}" "{ua}" "{ip}""#),
            .info(20, #"{podip} - - [{clf}] "GET / HTTP/1.1" 200 1843 "-" "{ua}" "{ip}""#),
            .info(15, #"{podip} - - [{clf}] "HEAD /static/js/main.{build}.js HTTP/1.1" 304 0 "-" "{ua}" "{ip}""#),
            .error(5, #"{nginxts} [error] 29#29: *{big} open() "/usr/share/nginx/html/static/js/main.{build}.js.map" failed (2: No such file or directory), client: {podip}, server: localhost, request: "GET /static/js/main.{build}.js.map HTTP/1.1", host: "shop.example.com", referrer: "https://shop.example.com/""#, stream: .stderr),
            .warn(2, #"{nginxts} [warn] 30#30: *{big} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{n}/{n100}/00000{big} while reading upstream, client: {podip}, server: localhost, request: "GET {page} HTTP/1.1", host: "shop.example.com""#, stream: .stderr),
        ])

    static let ingressController = Dialect(
        name: "ingress-nginx-controller", layout: .raw, stream: .stdout, pid: 7,
        loggers: ["controller.go", "nginx.go", "status.go", "store.go", "main.go", "leaderelection.go"],
        probePercent: 30,
        startup: [
            .info(1, "-------------------------------------------------------------------------------\nNGINX Ingress controller\n  Release:       v1.11.3\n  Build:         0106de65cfccb74405a6dfa7d9daffc6f0a6ef1a\n  Repository:    https://github.com/kubernetes/ingress-nginx\n  nginx version: nginx/1.25.5\n\n-------------------------------------------------------------------------------\n"),
            .info(1, #""Creating API client" || host=https://10.96.0.1:443"#, layout: .klog, stream: .stderr, logger: "main.go"),
            .info(1, #""Running in Kubernetes cluster" || major=1 minor=29 git=v1.29.10-eks-7f9249a state=clean platform=linux/amd64"#, layout: .klog, stream: .stderr, logger: "main.go"),
            .info(1, #""Starting NGINX Ingress controller" || "#, layout: .klog, stream: .stderr, logger: "nginx.go"),
            .info(1, "attempting to acquire leader lease ingress-nginx/ingress-nginx-leader...", layout: .klog, stream: .stderr, logger: "leaderelection.go"),
            .info(1, #""Backend successfully reloaded" || "#, layout: .klog, stream: .stderr, logger: "controller.go"),
        ],
        shutdown: [
            .info(1, "Received SIGTERM, shutting down", layout: .klog, stream: .stderr, logger: "nginx.go"),
            .info(1, #""Shutting down controller queues" || "#, layout: .klog, stream: .stderr, logger: "nginx.go"),
            .info(1, #""NGINX process has stopped" || "#, layout: .klog, stream: .stderr, logger: "nginx.go"),
            .info(1, #""Handled quit, delaying controller exit for 10 seconds" || "#, layout: .klog, stream: .stderr, logger: "main.go"),
            .info(1, #""Exiting" || code=0"#, layout: .klog, stream: .stderr, logger: "main.go"),
        ],
        long: [
            .info(1, "Dumping ingress status || status={payload}", layout: .klog, stream: .stderr, logger: "status.go"),
        ],
        probes: [
            .info(50, #"{probeip} - - [{clf}] "GET /healthz HTTP/1.1" 200 0 "-" "ELB-HealthChecker/2.0" 123 0.000 [-] [] - - - - {rid32}"#),
            .info(20, #"{ip} - - [{clf}] "GET /api/v1/health HTTP/1.1" 200 15 "-" "UptimeRobot/2.0; http://www.uptimerobot.com/" 211 0.00{n} [shop-checkout-api-8080] [] {podip}:8080 15 0.00{n} 200 {rid32}"#),
            .info(10, #"{promip} - - [{clf}] "GET /nginx_status HTTP/1.1" 200 {n100} "-" "Prometheus/2.54.1" 230 0.000 [-] [] - - - - {rid32}"#),
        ],
        app: [
            .info(300, #"{ip} - - [{clf}] "{method} {path} HTTP/2.0" {status} {bytes} "{referer}" "{ua}" {n1k} {sec} [{upstream}] [] {podip}:8080 {bytes} {sec} {samestatus} {rid32}"#),
            .info(200, #"{ip} - - [{clf}] "GET {page} HTTP/1.1" {status} {bytes} "{referer}" "{ua}" {n1k} {sec} [shop-web-frontend-80] [] {podip}:80 {bytes} {sec} {samestatus} {rid32}"#),
            .info(30, #"{ip} - - [{clf}] "POST /api/v1/checkout HTTP/2.0" 201 {bytes} "https://shop.example.com/checkout" "{ua}" {n1k} {sec} [shop-checkout-api-8080] [] {podip}:8080 {bytes} {sec} 201 {rid32}"#),
            .info(3, #""Configuration changes detected, backend reload required" || "#, layout: .klog, stream: .stderr, logger: "controller.go"),
            .info(3, #""Backend successfully reloaded" || "#, layout: .klog, stream: .stderr, logger: "controller.go"),
            .info(2, #""Event occurred" || object=shop/storefront kind=Ingress apiVersion=networking.k8s.io/v1 type=Normal reason=Sync message='Scheduled for sync'"#, layout: .klog, stream: .stderr, logger: "event.go"),
            .warn(3, #""Service does not have any active Endpoint" || service={svc}"#, layout: .klog, stream: .stderr, logger: "controller.go"),
            .error(6, #"{nginxts} [error] {n}#{n}: *{big} upstream timed out (110: Operation timed out) while reading response header from upstream, client: {ip}, server: shop.example.com, request: "GET {path} HTTP/2.0", upstream: "http://{podip}:8080{path}", host: "shop.example.com""#, stream: .stderr),
            .warn(2, #"{nginxts} [warn] {n}#{n}: *{big} an upstream response is buffered to a temporary file /tmp/nginx/proxy-temp/{n}/{n100}/00000{big} while reading upstream, client: {ip}, server: shop.example.com, request: "GET {page} HTTP/1.1", upstream: "http://{podip}:80{page}", host: "shop.example.com""#, stream: .stderr),
        ])

    static let coreDNS = Dialect(
        name: "coredns", layout: .raw, loggers: [],
        probePercent: 0,
        startup: [
            .info(1, ".:53"),
            .info(1, "[INFO] plugin/reload: Running configuration SHA512 = {sha}{sha}"),
            .info(1, "CoreDNS-1.11.3"),
            .info(1, "linux/amd64, go1.21.11, a6338e9"),
        ],
        shutdown: [
            .info(1, "[INFO] SIGTERM: Shutting down servers then terminating"),
            .info(1, "[INFO] plugin/health: Going into lameduck mode for 5s"),
        ],
        long: [],
        probes: [],
        app: [
            .info(300, #"[INFO] {podip}:{port} - {n1k}{n} {dnsquery} {usec}s"#),
            .info(150, #"[INFO] {podip}:{port} - {n1k}{n} {dnsmiss} {usec}s"#),
            .error(3, "[ERROR] plugin/errors: 2 api.stripe.com. A: read udp {podip}:{port}->10.0.0.2:53: i/o timeout"),
            .warn(1, #"[WARNING] plugin/kubernetes: Kubernetes API connection failure: Get "https://10.96.0.1:443/version": dial tcp 10.96.0.1:443: i/o timeout"#),
        ])

    static let kubeProxy = Dialect(
        name: "kube-proxy", layout: .klog, stream: .stderr,
        loggers: ["proxier.go", "config.go", "endpointslicecache.go", "service.go", "reflector.go"],
        probePercent: 0,
        startup: [
            .info(1, #""Using iptables proxy" || "#, logger: "server_linux.go"),
            .info(1, #""kube-proxy running in dual-stack mode" || primary ipFamily=IPv4"#, logger: "server.go"),
            .info(1, #""Starting endpoint slice config controller" || "#, logger: "config.go"),
            .info(1, #""Caches are synced" || controller=service config"#, logger: "shared_informer.go"),
        ],
        shutdown: [],
        long: [
            .info(1, #""Setting endpoints for service port" || portName=shop/checkout-api:http endpoints={payload}"#, logger: "endpointslicecache.go"),
        ],
        probes: [],
        app: [
            .info(60, #""Syncing iptables rules" || "#, logger: "proxier.go"),
            .info(60, #""Reloading service iptables data" || numServices={n100} numEndpoints={n1k} numFilterChains=6 numFilterRules={n} numNATChains={n100} numNATRules={n1k}"#, logger: "proxier.go"),
            .info(60, #""SyncProxyRules complete" || elapsed={dur}"#, logger: "proxier.go"),
            .info(30, #""Setting endpoints for service port" || portName={svc}:http endpoints='["{podip}:8080","{podip}:8080"]'"#, logger: "endpointslicecache.go"),
            .info(20, #""Updating existing service port" || portName={svc}:http servicePort=10.96.{n100}.{n100}:8080/TCP"#, logger: "service.go"),
            .warn(3, "k8s.io/client-go/informers/factory.go:160: watch of *v1.EndpointSlice ended with: an error on the server (\"unable to decode an event from the watch stream: http2: client connection lost\") has prevented the request from succeeding", logger: "reflector.go"),
            .error(1, #""Failed to execute iptables-restore" || err='exit status 4: Another app is currently holding the xtables lock; still 4s 100000us time to wait'"#, logger: "proxier.go"),
        ])
}
