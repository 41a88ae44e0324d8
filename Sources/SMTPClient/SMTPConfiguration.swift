import NIOSSL

public struct SMTPConfiguration: Sendable {
    public enum Security: Sendable, Equatable {
        /// Plain SMTP (only for a relay on a trusted network or loopback).
        case none
        /// STARTTLS required (Django's EMAIL_USE_TLS): the session is refused if the server does not offer it.
        case startTLS
        /// TLS from the first byte (Django's EMAIL_USE_SSL), usually port 465.
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: SMTPCredentials?
    /// Seconds allowed for connecting and for each reply (Django's EMAIL_TIMEOUT).
    public var timeout: Double
    public var heloName: String
    /// A PEM file of an extra certificate authority to trust, besides the system's.
    public var extraTrustedCAFile: String?
    public var maxConnections: Int
    /// Idle connections older than this are closed instead of reused.
    public var idleTimeout: Double

    public init(host: String, port: Int, security: Security = .none, credentials: SMTPCredentials? = nil,
                timeout: Double = 30, heloName: String = "localhost", extraTrustedCAFile: String? = nil,
                maxConnections: Int = 4, idleTimeout: Double = 30) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.timeout = timeout
        self.heloName = heloName
        self.extraTrustedCAFile = extraTrustedCAFile
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    /// Certificate chain and host name are always verified.
    func makeTLSContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let extraTrustedCAFile { tls.additionalTrustRoots = [.file(extraTrustedCAFile)] }
        return try NIOSSLContext(configuration: tls)
    }

    /// SNI and host-name checks take a name; an IP address is checked against the certificate's IP entries instead.
    var serverHostname: String? {
        host.allSatisfy { $0.isNumber || $0 == "." } || host.contains(":") ? nil : host
    }
}
