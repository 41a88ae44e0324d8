import SMTPClient

/// Sends through an SMTP server, reusing connections from a pool.
public struct SMTPTransport: MailTransport {
    public let pool: SMTPConnectionPool

    public init(pool: SMTPConnectionPool) {
        self.pool = pool
    }

    public func send(envelope: Envelope, raw: [UInt8]) async throws -> String {
        try await pool.send(from: envelope.from, recipients: envelope.recipients, data: raw).description
    }
}
