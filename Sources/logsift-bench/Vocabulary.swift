/// Word lists the slots draw from. Paths use `#` for an item id, `$` for a user id, `%` for
/// 8 random hex digits, `^` for the build hash of the running version, `~` for a search word and
/// `@` for a UUID.
enum Vocabulary {
    static let userAgents = bytes([
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
        "ShopApp/4.12.1 (iOS 18.1; iPhone15,2)", "ShopApp/4.12.0 (Android 14; SM-S918B)", "okhttp/4.12.0",
        "curl/8.5.0", "python-requests/2.32.3", "Go-http-client/2.0", "axios/1.7.7",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    ])
    static let apiPaths = bytes([
        "/api/v1/items/#", "/api/v1/items/#/reviews", "/api/v1/items?category=shoes&page=#", "/api/v1/search?q=~&limit=24",
        "/api/v1/cart", "/api/v1/cart/items", "/api/v1/cart/items/#", "/api/v1/checkout", "/api/v1/checkout/@/confirm",
        "/api/v1/users/$", "/api/v1/users/$/orders", "/api/v1/users/$/addresses", "/api/v1/orders/@", "/api/v1/orders/@/status",
        "/api/v1/payments/@/capture", "/api/v1/recommendations?user=$", "/api/v2/inventory/#", "/api/v2/prices?ids=#,#,#",
        "/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/sessions/%", "/graphql", "/api/v1/wishlist/$",
        "/api/v1/coupons/validate", "/api/v1/shipping/quote?zip=#", "/api/v1/events", "/api/v1/feature-flags",
    ])
    static let pagePaths = bytes([
        "/", "/cart", "/checkout", "/product/#", "/category/shoes?page=#", "/search?q=~", "/account/orders",
        "/static/js/main.^.js", "/static/js/vendor.^.js", "/static/css/app.^.css", "/assets/img/products/#.webp",
        "/assets/img/products/#-thumb.webp", "/favicon.ico", "/manifest.json", "/robots.txt", "/sitemap.xml",
        "/fonts/inter-var.woff2", "/sw.js",
    ])
    static let goErrors = bytes([
        "context deadline exceeded", "context canceled", "connection reset by peer", "i/o timeout",
        "dial tcp 10.96.0.12:5432: connect: connection refused", "EOF", "broken pipe",
        "rpc error: code = Unavailable desc = connection error", "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        "redis: connection pool timeout", "pq: canceling statement due to statement timeout",
        "sql: no rows in result set", "json: cannot unmarshal string into Go value of type int64",
        "invalid token: token is expired", "upstream returned 503 Service Unavailable", "too many open files",
        "kafka: client has run out of available brokers to talk to", "tls: handshake timeout",
        "http2: server sent GOAWAY and closed the connection", "quota exceeded for tenant",
    ])
    static let hosts = bytes([
        "cart-service.shop.svc.cluster.local:8080", "checkout-api.shop.svc.cluster.local:8080",
        "payment-gateway.shop.svc.cluster.local:8443", "orders-worker.shop.svc.cluster.local:8000",
        "inference-server.ml.svc.cluster.local:8000", "postgres-primary.data.svc.cluster.local:5432",
        "redis-master.data.svc.cluster.local:6379", "kafka-0.kafka-headless.data.svc.cluster.local:9092",
        "api.stripe.com:443", "api.adyen.com:443", "inventory.shop.svc.cluster.local:8080", "search.shop.svc.cluster.local:9200",
    ])
    static let tables = bytes([
        "orders", "order_items", "carts", "cart_items", "users", "addresses", "payments", "refunds",
        "inventory", "prices", "coupons", "shipments", "outbox_events", "sessions",
    ])
    static let queues = bytes([
        "orders.created", "orders.paid", "orders.shipped", "payments.captured", "payments.refunded",
        "inventory.reserved", "emails.transactional", "search.reindex", "recommendations.refresh", "invoices.render",
    ])
    static let models = bytes([
        "resnet50-v3", "bert-base-uncased-ft-reviews", "recsys-twotower-v12", "llama-3.1-8b-instruct-q4",
        "fraud-xgb-2026-11", "clip-vit-b32", "ranker-lgbm-v7", "embed-e5-small-v2",
    ])
    static let words = bytes([
        "catalog", "pricing", "promo", "banner", "homepage", "category", "session", "stock", "shipping",
        "tax", "currency", "locale", "profile", "wishlist", "reviews", "ratings", "segments", "experiments",
    ])
    static let currencies = bytes(["USD", "EUR", "GBP", "EUR", "USD", "USD", "CHF", "SEK", "PLN"])
    static let providers = bytes(["stripe", "adyen", "paypal", "klarna", "stripe", "stripe"])
    static let carriers = bytes(["dhl", "ups", "fedex", "dpd", "gls", "usps"])
    static let warehouses = bytes(["fra-1", "fra-2", "ams-1", "lhr-1", "waw-1", "iad-1"])
    static let regions = bytes(["eu-west-1", "eu-central-1", "us-east-1", "us-west-2"])
    static let flags = bytes([
        "new-checkout-flow", "one-click-buy", "recs-v2", "dark-mode", "express-shipping", "bnpl-klarna", "search-v3",
    ])
    static let tenants = bytes(["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"])
    static let emails = bytes([
        "j***@gmail.com", "m***@outlook.com", "a***@yahoo.com", "s***@icloud.com", "k***@gmx.de", "t***@proton.me",
        "r***@example.com", "l***@web.de",
    ])
    static let referers = bytes([
        "-", "-", "-", "https://shop.example.com/", "https://shop.example.com/cart", "https://www.google.com/",
        "https://shop.example.com/category/shoes", "https://shop.example.com/checkout", "android-app://com.google.android.gm/",
    ])
    static let dnsNames = bytes([
        "checkout-api.shop.svc.cluster.local.", "cart-service.shop.svc.cluster.local.", "payment-gateway.shop.svc.cluster.local.",
        "redis-master.data.svc.cluster.local.", "postgres-primary.data.svc.cluster.local.", "kubernetes.default.svc.cluster.local.",
        "inference-server.ml.svc.cluster.local.", "kafka-0.kafka-headless.data.svc.cluster.local.", "api.stripe.com.",
        "sentry.io.", "otel-collector.monitoring.svc.cluster.local.",
        "prometheus-server.monitoring.svc.cluster.local.", "www.googleapis.com.", "s3.eu-west-1.amazonaws.com.",
    ])
    static let nodes = bytes([
        "ip-10-0-12-34.eu-west-1.compute.internal", "ip-10-0-13-101.eu-west-1.compute.internal",
        "ip-10-0-14-7.eu-west-1.compute.internal", "ip-10-0-21-88.eu-west-1.compute.internal",
        "ip-10-0-22-190.eu-west-1.compute.internal", "ip-10-0-23-45.eu-west-1.compute.internal",
    ])
    static let k8sServices = bytes([
        "shop/checkout-api", "shop/cart-service", "shop/payment-gateway", "shop/web-frontend", "shop/orders-worker",
        "ml/inference-server", "ingress-nginx/ingress-nginx-controller", "kube-system/kube-dns", "data/postgres-primary",
        "data/redis-master", "monitoring/prometheus-server", "default/kubernetes",
    ])
    static let upstreams = bytes([
        "shop-web-frontend-80", "shop-web-frontend-80", "shop-checkout-api-8080", "shop-cart-service-8080",
        "shop-checkout-api-8080", "shop-payment-gateway-8443", "ml-inference-server-8000",
    ])

    private static func bytes(_ list: [String]) -> [[UInt8]] {
        list.map { Array($0.utf8) }
    }
}
