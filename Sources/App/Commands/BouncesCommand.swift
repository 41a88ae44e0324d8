import ArgumentParser
import Bounces
import NIOCore
import NIOSSL
import SMTPServer
import SQLKit
import Verification

/// `meiduo bounces`: the inbound SMTP listener for bounce reports, until SIGTERM or SIGINT.
struct BouncesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounces",
        abstract: "Takes bounce reports by SMTP for the signed bounce addresses of BOUNCE_ADDRESS (anything else 550, no relaying).",
        discussion: """
        Records what they say; point your MTA's bounces for BOUNCE_ADDRESS's domain here.
        Environment: \(SettingsCatalog.names(readBy: .bounces)) (see `meiduo settings`).
        """)

    @OptionGroup var options: CommonOptions
    @Option(name: [.customLong("hostname"), .customShort("H")], help: "The address to listen on (default 127.0.0.1).")
    var hostname: String?
    @Option(name: [.customLong("port"), .customShort("p")], help: "The port to listen on (default 2525).")
    var port: Int?

    func run() async throws {
        try await Runtime.run(options) { runtime in try await listen(runtime) }
    }

    private func listen(_ runtime: Runtime) async throws {
        let services = runtime.services
        let settings = services.settings.bounces
        guard let addresses = services.bounceAddress, let base = settings.address else {
            throw UsageError("BOUNCE_ADDRESS is unset: set it to the plain bounce address (bounces@example.com) that mail is sent from")
        }
        let port = self.port ?? 2525
        guard (1...65_535).contains(port) else { throw UsageError("--port must be between 1 and 65535") }
        let database = try await runtime.migratedDatabase()
        let logger = runtime.logger
        let receiver = BounceReceiver(addresses: addresses, reports: BounceReports(table: services.tables.bounceReports),
                                      deliveries: services.deliveries, suppressions: services.suppressions, database: database,
                                      metrics: services.metrics, clock: services.clock, logger: logger)
        let configuration = SMTPServerConfiguration(
            host: hostname ?? "127.0.0.1", port: port, hostname: addresses.domain,
            limits: SMTPServerSession.Limits(maximumMessageSize: settings.maximumReportSize),
            maximumConnections: settings.maximumConnections, idleTimeout: .seconds(settings.timeoutSeconds),
            sessionLimit: .seconds(settings.timeoutSeconds * 10), tls: try tlsContext(settings))
        let server = try await SMTPServer.start(configuration, receiver: receiver, group: runtime.eventLoopGroup, logger: logger)
        logger.notice("bounce listener started", metadata: [
            "address": "\(configuration.host):\(server.port ?? port)", "bounce_address": "\(base)", "starttls": "\(configuration.tls != nil)",
        ])
        try await runtime.runUntilSignalled([StopsOnShutdown {
            logger.notice("stopping the bounce listener")
            try? await server.close()
        }])
    }

    private func tlsContext(_ settings: BounceSettings) throws -> NIOSSLContext? {
        guard let certificate = settings.tlsCertificate, let key = settings.tlsKey else { return nil }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw UsageError("BOUNCE_TLS_CERT/BOUNCE_TLS_KEY cannot be used: \(error)")
        }
    }
}
