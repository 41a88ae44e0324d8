import Foundation
import Vapor
import Verification

/// The most detailed level this service logs at is debug. At trace, Vapor writes each raw request to the log —
/// passwords, `Authorization` headers and verification links included — so `LOG_LEVEL=trace` and `--log trace`
/// are lowered to debug before logging starts. Unset, the level is info in every environment (Vapor's own default
/// in production is notice, which would leave out the request lines).
public enum LogLevelCeiling {
    public static let warning = "log level trace lowered to debug: trace would write raw requests, with passwords, session tokens and verification links, to the log"

    /// Lowers a trace level in the process environment and in `environment`'s arguments; true when it did.
    public static func apply(to environment: inout Environment) -> Bool {
        var lowered = false
        if ProcessInfo.processInfo.environment["LOG_LEVEL"]?.lowercased() == "trace" {
            setenv("LOG_LEVEL", "debug", 1)
            lowered = true
        }
        var arguments = environment.arguments
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil && !arguments.contains(where: { $0 == "--log" || $0.hasPrefix("--log=") }) {
            setenv("LOG_LEVEL", "info", 1)
        }
        for index in arguments.indices {
            if arguments[index].lowercased() == "--log=trace" {
                arguments[index] = "--log=debug"
                lowered = true
            } else if arguments[index] == "--log", index + 1 < arguments.count, arguments[index + 1].lowercased() == "trace" {
                arguments[index + 1] = "debug"
                lowered = true
            }
        }
        environment.arguments = arguments
        return lowered
    }
}
