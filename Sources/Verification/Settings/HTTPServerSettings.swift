import Foundation

/// What a client may hold of the HTTP port: `HTTP_HEADER_TIMEOUT`, `HTTP_KEEPALIVE_TIMEOUT`, `HTTP_SEND_TIMEOUT`,
/// `HTTP_MAX_CONNECTIONS`, `HTTP_LISTEN_BACKLOG`.
public struct HTTPServerSettings: Sendable {
    /// Seconds a request has, from its first byte, to arrive in full; 408 and closed otherwise.
    public var headerTimeout: Int64 = 10
    /// Seconds an idle keep-alive connection is kept.
    public var keepAliveTimeout: Int64 = 30
    /// Seconds a client has to take a response once it has begun; closed otherwise (a client that pipelines and
    /// never reads holds no more than a few answers).
    public var sendTimeout: Int64 = 30
    /// Open connections at most; nil: the open-files limit less `reservedFileDescriptors`.
    public var maximumConnections: Int?
    /// Connections the kernel queues before they are accepted (`listen`'s backlog), as nginx's default.
    public var listenBacklog = 511
    /// Seconds a process has, after SIGTERM or SIGINT, to finish its requests, its jobs and its sessions; what is
    /// still running then is cancelled.
    public var shutdownTimeout: Int64 = 45

    /// Kept for the database, SMTP sessions, files and the listeners.
    package static let reservedFileDescriptors = 64

    public init() {}

    package static func load(from reader: VariableReader) throws(SettingsError) -> HTTPServerSettings {
        var settings = HTTPServerSettings()
        settings.headerTimeout = try reader.integer("HTTP_HEADER_TIMEOUT", default: settings.headerTimeout, minimum: 1, maximum: 600)
        settings.keepAliveTimeout = try reader.integer("HTTP_KEEPALIVE_TIMEOUT", default: settings.keepAliveTimeout, minimum: 1, maximum: 3600)
        settings.sendTimeout = try reader.integer("HTTP_SEND_TIMEOUT", default: settings.sendTimeout, minimum: 1, maximum: 3600)
        settings.listenBacklog = Int(try reader.integer("HTTP_LISTEN_BACKLOG", default: Int64(settings.listenBacklog), minimum: 1, maximum: 65_535))
        if reader.string("HTTP_MAX_CONNECTIONS") != nil {
            settings.maximumConnections = Int(try reader.integer("HTTP_MAX_CONNECTIONS", default: 0, minimum: 1, maximum: 1_000_000))
        }
        settings.shutdownTimeout = try reader.integer("SHUTDOWN_TIMEOUT", default: settings.shutdownTimeout, minimum: 1, maximum: 3600)
        return settings
    }

    /// The cap in force: the setting, or what the process's open-files limit leaves after the reserve (at least 16).
    package var connectionCap: Int {
        if let maximumConnections { return maximumConnections }
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int32.max) else { return 10_000 }
        return max(16, min(100_000, Int(limit.rlim_cur) - Self.reservedFileDescriptors))
    }
}
