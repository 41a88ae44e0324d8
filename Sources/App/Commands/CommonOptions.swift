import ArgumentParser

/// The options every command takes: the environment, whose `.env.<environment>` file is read and which decides
/// production's checks, and the log level.
struct CommonOptions: ParsableArguments {
    @Option(name: [.customLong("env"), .customShort("e")], help: "The environment: development (the default), production or testing.")
    var env: String = "development"

    @Option(name: .customLong("log"), help: "The log level (default LOG_LEVEL, else info); trace is lowered to debug.")
    var log: String?

    /// The environment's full name (`prod` is `production`, as `dev` and `test` are theirs).
    var environment: String {
        switch env.lowercased() {
        case "prod", "production": "production"
        case "dev", "development": "development"
        case "test", "testing": "testing"
        default: env
        }
    }

    var production: Bool { environment == "production" }
}
