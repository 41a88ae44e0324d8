import Foundation
import Logging
import SMTPClient

/// Whether the relay takes addresses beyond ASCII (SMTPUTF8), asked of its EHLO through the SMTP pool and kept for
/// `lifetime`; false without a relay (the file and console backends) or when it cannot be asked now.
package actor RelayCapabilities {
    private let pool: SMTPConnectionPool?
    private let lifetime: TimeInterval
    private var known: (offers: Bool, at: Date)?

    package init(pool: SMTPConnectionPool?, lifetime: TimeInterval = 600) {
        self.pool = pool
        self.lifetime = lifetime
    }

    package func offersSMTPUTF8(logger: Logger) async -> Bool {
        guard let pool else { return false }
        if let known, Date().timeIntervalSince(known.at) < lifetime { return known.offers }
        do {
            let offers = try await pool.capabilities().smtpUTF8
            known = (offers, Date())
            return offers
        } catch {
            logger.warning("cannot ask the relay whether it offers SMTPUTF8", metadata: ["error": "\(error)"])
            return false
        }
    }
}
