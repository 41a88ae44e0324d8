import Foundation
import Logging
import Verification

/// The most detailed level this service logs at is debug: at trace, the drivers would write each statement with its
/// bound values — password hashes, addresses, tokens — to the log, so `LOG_LEVEL=trace` and `--log trace` are
/// lowered to debug before logging starts. Unset, the level is info in every environment.
public enum LogLevelCeiling {
    public static let warning = "log level trace lowered to debug: trace would write raw requests, with passwords, session tokens and verification links, to the log"

    /// The level `--log` or else `LOG_LEVEL` names (info when neither does), with trace lowered to debug; `lowered`
    /// says it was. An unknown name is a settings error. `LOG_LEVEL` is set to the result, which every log handler
    /// reads.
    public static func level(flag: String?, variable: String? = ProcessInfo.processInfo.environment["LOG_LEVEL"])
        throws(SettingsError) -> (level: Logger.Level, lowered: Bool) {
        let (name, source) = flag.map { ($0, "--log") } ?? (variable ?? "info", "LOG_LEVEL")
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            throw SettingsError(variable: source, problem: "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let result = level == .trace ? Logger.Level.debug : level
        setenv("LOG_LEVEL", result.rawValue, 1)
        return (result, level == .trace)
    }
}
