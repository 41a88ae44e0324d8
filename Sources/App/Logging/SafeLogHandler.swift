import Logging
import Verification

/// What every log line passes through before the wrapped handler writes it:
/// - the values a database statement was given never reach a log, at any level: Fluent logs a query's `input` and
///   `filters` (password hashes, addresses, job payloads) and SQLKit its `binds` at debug; those are redacted;
/// - control characters in messages and metadata are escaped, so that nothing a client sends — a path, a header,
///   an address — can start a line of its own in the log or drive a terminal.
/// - a line that repeats per request while the database is down (`RepeatedLineFilter`) is written once per 10 s,
///   with how many were left out.
/// Metadata is kept here, not in the wrapped handler, so that all of it passes through.
public struct SafeLogHandler: LogHandler {
    /// Metadata keys whose values are a statement's bound values.
    static let redactedKeys: Set<String> = ["input", "filters", "binds"]

    private var wrapped: any LogHandler
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(_ wrapped: any LogHandler) {
        self.wrapped = wrapped
        self.metadata = wrapped.metadata
        self.metadataProvider = wrapped.metadataProvider
        self.wrapped.metadata = [:]
        self.wrapped.metadataProvider = nil
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata(for: event)
        let message = event.message.description
        if event.level >= .warning, RepeatedLineFilter.repeats(message) {
            guard let dropped = RepeatedLineFilter.shared.admit(message) else { return }
            if dropped > 0 { merged["repeated"] = "\(dropped) more since the last line" }
        }
        var escaped = event
        escaped.message = Logger.Message(stringLiteral: Self.escape(message))
        escaped.metadata = merged.isEmpty ? nil : Dictionary(uniqueKeysWithValues: merged.map { key, value in
            (key, .string(Self.redactedKeys.contains(key) ? "<redacted>" : Self.escape(value.description)))
        })
        wrapped.log(event: escaped)
    }

    /// `\n`, `\r`, `\t` as such, any other control character (C0, DEL, C1) as `\u{XX}`.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.properties.generalCategory == .control:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension LogHandler {
    /// The handler's own metadata, then its provider's, then the event's, later ones winning.
    func metadata(for event: LogEvent) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        return merged
    }
}
