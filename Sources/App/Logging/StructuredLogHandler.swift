import Foundation
import Logging
import NIOConcurrencyHelpers
import PythonJSON
import Verification

/// One line per event, as JSON or logfmt (`LOG_FORMAT`), for log shippers: time, level, logger, message, then the
/// metadata (a request's lines carry its `request-id`).
public struct StructuredLogHandler: LogHandler {
    public enum Format: String, Sendable {
        case json, logfmt
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let write: @Sendable (String) -> Void

    public init(label: String, format: Format, level: Logger.Level, write: @escaping @Sendable (String) -> Void = StructuredLogHandler.standardOutput) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata(for: event)
        let fields = [("time", Self.timestamp(Date())), ("level", event.level.rawValue), ("logger", label),
                      ("msg", event.message.description)]
            + merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value.description) }
        switch format {
        case .json: write(CompactJSON.value(.object(fields.map { ($0.0, .string($0.1)) })) + "\n")
        case .logfmt: write(fields.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ") + "\n")
        }
    }

    static func logfmtValue(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value != 0x7F }
        if plain { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// `2026-11-25T07:44:04.123Z`.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, milliseconds)
    }

    private static let outputLock = NIOLock()

    /// Whole lines to standard output, one writer at a time.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        outputLock.withLock {
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}

extension StructuredLogHandler.Format {
    /// Bootstraps swift-log from `LOG_FORMAT` (json, logfmt) and `LOG_LEVEL`; false when LOG_FORMAT is unset or
    /// `text`, leaving Vapor's console format.
    public static func bootstrapFromEnvironment(_ variables: [String: String] = ProcessInfo.processInfo.environment) throws -> Bool {
        guard let name = variables["LOG_FORMAT"]?.lowercased(), name != "text", !name.isEmpty else { return false }
        guard let format = Self(rawValue: name) else {
            throw SettingsError(variable: "LOG_FORMAT", problem: "must be text, json or logfmt")
        }
        let level = variables["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in SafeLogHandler(StructuredLogHandler(label: label, format: format, level: level)) }
        return true
    }
}
