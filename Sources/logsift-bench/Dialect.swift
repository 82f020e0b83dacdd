/// How one kind of service logs: its layout, message templates, health-check chatter and the
/// lines it prints when it starts, stops or crashes.
struct Dialect: Sendable {
    var name: String
    var layout: Layout
    var stream: LogStream
    var pid: Int
    /// Share of events that are probe, scrape or keepalive chatter, in percent.
    var probePercent: Int
    var app: TemplateSet
    var probes: TemplateSet
    /// Printed in order when a container starts.
    var startup: TemplateSet
    /// Printed in order when a container is stopped (rollout, scale-down).
    var shutdown: TemplateSet
    /// Printed last when a container dies (OOM and the like); may be empty.
    var crash: TemplateSet
    /// Events with a body over 16 KiB, drawn about once per 20,000 events.
    var long: TemplateSet

    init(name: String, layout: Layout, stream: LogStream = .stdout, pid: Int = 1, loggers: [String],
         probePercent: Int, startup: [TemplateSpec], shutdown: [TemplateSpec], crash: [TemplateSpec] = [],
         long: [TemplateSpec], probes: [TemplateSpec], app: [TemplateSpec]) {
        self.name = name
        self.layout = layout
        self.stream = stream
        self.pid = pid
        self.probePercent = probePercent
        self.app = TemplateSet(app, loggers: loggers)
        self.probes = TemplateSet(probes, loggers: loggers)
        self.startup = TemplateSet(startup, loggers: loggers)
        self.shutdown = TemplateSet(shutdown, loggers: loggers)
        self.crash = TemplateSet(crash, loggers: loggers)
        self.long = TemplateSet(long, loggers: loggers)
    }

    /// Number of distinct message templates.
    var templateCount: Int {
        app.count + probes.count + startup.count + shutdown.count + crash.count + long.count
    }
}

/// Shorthands for writing templates in dialect tables: `.info(40, "cart updated || items={n}")`.
extension TemplateSpec {
    static func debug(_ weight: Int, _ text: String, layout: Layout? = nil, stream: LogStream? = nil, logger: String? = nil) -> TemplateSpec {
        TemplateSpec(.debug, weight, text, layout: layout, stream: stream, logger: logger)
    }

    static func info(_ weight: Int, _ text: String, layout: Layout? = nil, stream: LogStream? = nil, logger: String? = nil) -> TemplateSpec {
        TemplateSpec(.info, weight, text, layout: layout, stream: stream, logger: logger)
    }

    static func warn(_ weight: Int, _ text: String, layout: Layout? = nil, stream: LogStream? = nil, logger: String? = nil) -> TemplateSpec {
        TemplateSpec(.warn, weight, text, layout: layout, stream: stream, logger: logger)
    }

    static func error(_ weight: Int, _ text: String, layout: Layout? = nil, stream: LogStream? = nil, logger: String? = nil) -> TemplateSpec {
        TemplateSpec(.error, weight, text, layout: layout, stream: stream, logger: logger)
    }

    static func fatal(_ weight: Int, _ text: String, layout: Layout? = nil, stream: LogStream? = nil, logger: String? = nil) -> TemplateSpec {
        TemplateSpec(.fatal, weight, text, layout: layout, stream: stream, logger: logger)
    }
}
