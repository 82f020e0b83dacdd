/// A placeholder in a message template (`{name}`), filled with a fresh random value per event.
enum Slot: String, Sendable {
    case literal
    // Identifiers
    case rid, rid32, trace, span, uuid, uid, session, order, sku, item, txn, email, hex8, sha, conid
    // Money and commerce
    case cents, cur, provider, carrier, warehouse, coupon
    // Network and HTTP
    case ip, podip, selfip, probeip, promip, samestatus, port, host, svc, upstream, node, method, path, page, status, bytes, ua, referer
    // DNS queries as CoreDNS logs them: `"A IN name. udp 54 false 512" NOERROR qr,aa,rd 106`
    case dnsquery, dnsmiss
    // Numbers
    case ms, msf, sec, dur, usec, fastdur, tput, n, n100, n1k, big, pct, mib, loss, lr, float, gpu, batch, tokens, step, epoch
    // Words
    case err, table, queue, model, word, region, flag, tenant
    // The pod itself
    case pod, app, ver, ns, container, rs, build
    // The event time in a format of its own (access logs, banners)
    case clf, isots, nginxts, pyts
    // Multi-line and long bodies
    case jtrace, pytrace, gopanic, cudaoom, payload

    /// Whether the value is a bare number (JSON and klog print it unquoted).
    var isNumeric: Bool {
        switch self {
        case .uid, .item, .cents, .port, .status, .bytes, .ms, .msf, .sec, .n, .n100, .n1k, .big, .pct, .mib,
             .loss, .float, .gpu, .batch, .tokens, .step, .epoch:
            return true
        default:
            return false
        }
    }
}

/// The pod and container a generator writes for, as the slots print them.
struct PodIdentity: Sendable {
    var namespace: String
    var pod: String
    var app: String
    var container: String
    var version: String
    var replicaSet: String
    var podIP: String
    var node: String
}

/// Per-file state the slots draw from: the random stream, the event time and the pod.
struct SlotContext {
    var rng: SplitMix64
    var time: Int64 = 0
    var trainingStep = 0
    let stepsPerEpoch: Int
    private let pod: [UInt8]
    private let app: [UInt8]
    private let version: [UInt8]
    private let namespace: [UInt8]
    private let container: [UInt8]
    private let replicaSet: [UInt8]
    private let podIP: [UInt8]
    private let node: [UInt8]
    /// The pod network gateway on the node: where kubelet probes come from.
    private let gatewayIP: [UInt8]
    /// The hash in static asset names of the running version.
    private let buildHash: UInt64
    private var lastStatus = 200
    private var recentIDs: [UInt64]
    private var recentIndex = 0

    init(seed: UInt64, pod identity: PodIdentity) {
        var rng = SplitMix64(seed: seed)
        recentIDs = (0..<8).map { _ in rng.next() }
        self.rng = rng
        pod = Array(identity.pod.utf8)
        app = Array(identity.app.utf8)
        version = Array(identity.version.utf8)
        namespace = Array(identity.namespace.utf8)
        container = Array(identity.container.utf8)
        replicaSet = Array(identity.replicaSet.utf8)
        podIP = Array(identity.podIP.utf8)
        node = Array(identity.node.utf8)
        gatewayIP = Array((identity.podIP.split(separator: ".").dropLast() + ["1"]).joined(separator: ".").utf8)
        buildHash = stableHash(identity.version)
        stepsPerEpoch = 15_000
    }

    /// A request id: often one seen in the last few events (a request logs more than one line).
    private mutating func requestID() -> UInt64 {
        if rng.percent(40) { return recentIDs[rng.below(recentIDs.count)] }
        let id = rng.next()
        recentIndex = (recentIndex + 1) & 7
        recentIDs[recentIndex] = id
        return id
    }

    /// A latency in milliseconds with a long tail.
    mutating func latencyMillis() -> Int {
        let r = rng.below(100)
        if r < 60 { return rng.int(1...25) }
        if r < 90 { return rng.int(25...200) }
        if r < 98 { return rng.int(200...1500) }
        return rng.int(1500...12000)
    }

    mutating func httpStatus() -> Int {
        let r = rng.below(1000)
        switch r {
        case 0..<820: return 200
        case 820..<850: return 201
        case 850..<875: return 204
        case 875..<915: return 304
        case 915..<925: return 301
        case 925..<940: return 400
        case 940..<950: return 401
        case 950..<955: return 403
        case 955..<980: return 404
        case 980..<985: return 429
        case 985..<992: return 500
        case 992..<995: return 502
        case 995..<998: return 503
        default: return 504
        }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func render(_ slot: Slot, into out: ByteSink) {
        switch slot {
        case .literal: preconditionFailure("BUG: literal pieces are copied by the template")
        case .rid: out.appendHex(requestID(), digits: 16)
        case .rid32:
            let id = requestID()
            out.appendHex(id, digits: 16)
            out.appendHex(id &* 0x9E37_79B9_7F4A_7C15, digits: 16)
        case .trace: out.appendRandomHex(32, &rng)
        case .span: out.appendRandomHex(16, &rng)
        case .uuid: out.appendUUID(&rng)
        case .uid: out.appendDecimal(1 + rng.skewed(2_000_000))
        case .session: out.append("sess_"); out.appendRandomHex(24, &rng)
        case .order: out.append("ORD-"); out.appendPadded(rng.int(10_000_000...99_999_999), width: 8)
        case .sku: out.append("SKU-"); out.appendPadded(rng.skewed(20000), width: 5)
        case .item: out.appendDecimal(1 + rng.skewed(500_000))
        case .txn: out.append("pi_3Q"); out.appendRandomHex(20, &rng)
        case .email: out.append(rng.pick(Vocabulary.emails))
        case .hex8: out.appendHex(rng.next(), digits: 8)
        case .sha: out.appendRandomHex(40, &rng)
        case .conid: out.appendHex(rng.next(), digits: 12)
        case .cents: out.appendDecimal(rng.int(199...49999))
        case .cur: out.append(rng.pick(Vocabulary.currencies))
        case .provider: out.append(rng.pick(Vocabulary.providers))
        case .carrier: out.append(rng.pick(Vocabulary.carriers))
        case .warehouse: out.append(rng.pick(Vocabulary.warehouses))
        case .coupon: out.append("WELCOME"); out.appendDecimal(rng.below(40))
        case .ip: appendClientIP(out)
        case .podip:
            // The cluster runs a few dozen pods: their addresses recur.
            let pod = UInt64(rng.below(48)) &* 0x9E37_79B9_7F4A_7C15
            out.append("10.244."); out.appendDecimal(pod % 6); out.append(UInt8(ascii: "."))
            out.appendDecimal(2 + (pod >> 8) % 250)
        case .selfip: out.append(podIP)
        case .probeip: out.append(gatewayIP)
        case .promip: out.append("10.244.3.41")
        case .samestatus: out.appendDecimal(lastStatus)
        case .port: out.appendDecimal(rng.int(32768...60999))
        case .host: out.append(rng.pick(Vocabulary.hosts))
        case .svc: out.append(rng.pick(Vocabulary.k8sServices))
        case .upstream: out.append(rng.pick(Vocabulary.upstreams))
        case .node: out.append(node)
        case .method:
            let r = rng.below(100)
            let method: StaticString = r < 72 ? "GET" : r < 92 ? "POST" : r < 96 ? "PUT" : r < 98 ? "DELETE" : "PATCH"
            out.append(method)
        case .path: appendPattern(rng.pick(Vocabulary.apiPaths), out)
        case .page: appendPattern(rng.pick(Vocabulary.pagePaths), out)
        case .status:
            lastStatus = httpStatus()
            out.appendDecimal(lastStatus)
        case .bytes: out.appendDecimal(rng.skewed(60000) + rng.below(400))
        case .ua: out.append(rng.pick(Vocabulary.userAgents))
        case .referer: out.append(rng.pick(Vocabulary.referers))
        case .dnsquery, .dnsmiss: appendDNSQuery(out, miss: slot == .dnsmiss)
        case .ms: out.appendDecimal(latencyMillis())
        case .msf: out.appendMilli(latencyMillis() * 1000 + rng.below(1000), decimals: 1)
        case .sec: out.appendMilli(latencyMillis())
        case .dur:
            let ms = latencyMillis()
            if ms < 1000 {
                out.appendMilli(ms * 1000 + rng.below(1000)); out.append("ms")
            } else {
                out.appendMilli(ms); out.append(UInt8(ascii: "s"))
            }
        case .usec:
            out.append("0.00"); out.appendPadded(rng.int(20...3000) + (rng.oneIn(50) ? rng.below(6000) : 0), width: 4)
        case .fastdur:
            let micros = rng.int(40...2500)
            if micros < 1000 {
                out.appendMilli(micros * 1000 + rng.below(1000)); out.append("\u{00B5}s")
            } else {
                out.appendMilli(micros); out.append("ms")
            }
        case .tput: out.appendDecimal(rng.int(395...425)); out.append(UInt8(ascii: ".")); out.appendDecimal(rng.below(10))
        case .n: out.appendDecimal(rng.int(1...20))
        case .n100: out.appendDecimal(rng.int(1...100))
        case .n1k: out.appendDecimal(rng.int(1...1000))
        case .big: out.appendDecimal(rng.int(1...10_000_000))
        case .pct: out.appendMilli(rng.below(100_000), decimals: 1)
        case .mib: out.appendDecimal(rng.int(64...16384))
        case .loss:
            let decay = 2_000_000 / (trainingStep / 50 + 1000)
            out.appendMilli(decay + rng.below(300)); out.appendPadded(rng.below(10), width: 1)
        case .lr: out.append(UInt8(ascii: "0") + UInt8(1 + rng.below(9))); out.append(".0e-04")
        case .float: out.append("0."); out.appendPadded(rng.below(10000), width: 4)
        case .gpu: out.appendDecimal(rng.below(8))
        case .batch: out.appendDecimal(1 << rng.below(6))
        case .tokens: out.appendDecimal(rng.int(12...4096))
        case .step:
            // About one optimizer step per second since the job started, a day before the window.
            trainingStep = max(trainingStep + 1, Int((time - WorkloadPlan.start) / 1_000_000_000) + 86_400)
            out.appendDecimal(trainingStep)
        case .epoch: out.appendDecimal(1 + trainingStep / stepsPerEpoch)
        case .err: out.append(rng.pick(Vocabulary.goErrors))
        case .table: out.append(rng.pick(Vocabulary.tables))
        case .queue: out.append(rng.pick(Vocabulary.queues))
        case .model: out.append(rng.pick(Vocabulary.models))
        case .word: out.append(rng.pick(Vocabulary.words))
        case .region: out.append(rng.pick(Vocabulary.regions))
        case .flag: out.append(rng.pick(Vocabulary.flags))
        case .tenant: out.append(rng.pick(Vocabulary.tenants))
        case .pod: out.append(pod)
        case .app: out.append(app)
        case .ver: out.append(version)
        case .ns: out.append(namespace)
        case .container: out.append(container)
        case .rs: out.append(replicaSet)
        case .build: out.appendHex(buildHash, digits: 8)
        case .clf: out.appendTime(time, .commonLog)
        case .isots: out.appendTime(time, .isoMillis)
        case .nginxts: out.appendTime(time, .nginxError)
        case .pyts: out.appendTime(time, .python)
        case .jtrace: StackTrace.java(into: out, &rng)
        case .pytrace: StackTrace.python(into: out, &rng)
        case .gopanic: StackTrace.goPanic(into: out, &rng)
        case .cudaoom: StackTrace.cudaOutOfMemory(into: out, &rng)
        case .payload: StackTrace.largePayload(into: out, &rng)
        }
    }

    /// A query with sizes that follow from the name, as a real resolver's are; a miss is a search
    /// path expansion (ndots:5) answered NXDOMAIN.
    private mutating func appendDNSQuery(_ out: ByteSink, miss: Bool) {
        let name = rng.pick(Vocabulary.dnsNames)
        let aaaa = rng.percent(35)
        let tcp = !miss && rng.oneIn(30)
        out.append(aaaa ? "\"AAAA IN " : "\"A IN ")
        out.append(name)
        var length = name.count
        if miss {
            out.append("shop.svc.cluster.local.")
            length += 23
        }
        out.append(tcp ? " tcp " : " udp ")
        out.appendDecimal(length + 28)
        out.append(tcp ? " false 65535\" " : " false 512\" ")
        if miss {
            out.append("NXDOMAIN qr,aa,rd ")
            out.appendDecimal(length + 104)
        } else {
            let external = !name.suffix(14).elementsEqual("cluster.local.".utf8)
            out.append(external ? "NOERROR qr,rd,ra " : "NOERROR qr,aa,rd ")
            out.appendDecimal(length + 28 + (aaaa ? 28 : 16) * (external ? 1 + length % 3 : 1))
        }
    }

    /// Clients come from a skewed pool of addresses, so some IPs recur a lot.
    private mutating func appendClientIP(_ out: ByteSink) {
        var h = UInt64(rng.skewed(60000)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        let first = [UInt64(81), 92, 145, 176, 185, 203, 212, 31, 46, 78, 88, 94][Int(h % 12)]
        out.appendDecimal(first); out.append(UInt8(ascii: "."))
        out.appendDecimal((h >> 8) & 255); out.append(UInt8(ascii: "."))
        out.appendDecimal((h >> 16) & 255); out.append(UInt8(ascii: "."))
        out.appendDecimal(1 + (h >> 24) % 254)
    }

    private mutating func appendPattern(_ pattern: [UInt8], _ out: ByteSink) {
        for byte in pattern {
            switch byte {
            case UInt8(ascii: "#"): out.appendDecimal(1 + rng.skewed(500_000))
            case UInt8(ascii: "$"): out.appendDecimal(1 + rng.skewed(2_000_000))
            case UInt8(ascii: "%"): out.appendHex(rng.next(), digits: 8)
            case UInt8(ascii: "^"): out.appendHex(buildHash, digits: 8)
            case UInt8(ascii: "~"): out.append(rng.pick(Vocabulary.words))
            case UInt8(ascii: "@"): out.appendUUID(&rng)
            default: out.append(byte)
            }
        }
    }
}
