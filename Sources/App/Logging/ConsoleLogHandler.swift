import Foundation
import Logging

/// The console format: `[ LEVEL ] message [key: value, …]`, metadata sorted by key, then `(file:line)` when the level
/// is debug or trace, and the logger's label first at trace — the lines operators and the scripts read. The level is
/// coloured only on a terminal.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let colours: Bool
    private let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, colours: Bool = isatty(STDOUT_FILENO) == 1,
                write: @escaping @Sendable (String) -> Void = StructuredLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.colours = colours
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var parts: [String] = []
        if logLevel <= .trace { parts.append("[ \(label) ]") }
        parts.append(styled("[ \(event.level.rawValue.uppercased()) ]", event.level))
        parts.append(event.message.description)
        let merged = metadata(for: event)
        if !merged.isEmpty {
            parts.append("[" + merged.sorted { $0.key < $1.key }.map { "\($0.key): \(Self.text($0.value))" }.joined(separator: ", ") + "]")
        }
        if logLevel <= .debug { parts.append("(\(event.file):\(event.line))") }
        write(parts.joined(separator: " ") + "\n")
    }

    static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): "\(convertible)"
        case .array(let array): "[" + array.map(text).joined(separator: ", ") + "]"
        case .dictionary(let dictionary): "[" + dictionary.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ") + "]"
        }
    }

    private func styled(_ tag: String, _ level: Logger.Level) -> String {
        let colour: String? = switch level {
        case .trace, .debug: nil
        case .info, .notice: "36"
        case .warning: "33"
        case .error: "31"
        case .critical: "91"
        }
        guard colours, let colour else { return tag }
        return "\u{1B}[\(colour)m\(tag)\u{1B}[0m"
    }
}
