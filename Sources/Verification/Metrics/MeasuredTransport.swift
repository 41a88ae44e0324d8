import Mail
import SMTPClient

/// Times each send through the real transport and counts failures by class (transient or permanent).
package struct MeasuredTransport: MailTransport {
    package let base: any MailTransport
    package let backend: String
    package let metrics: ServiceMetrics

    package func send(envelope: Envelope, raw: [UInt8]) async throws -> String {
        let started = ContinuousClock.now
        do {
            let receipt = try await base.send(envelope: envelope, raw: raw)
            metrics.mailSend(backend: backend, duration: started.duration(to: .now), failure: nil)
            return receipt
        } catch {
            let permanent = (error as? SMTPError).map { !$0.isTransient } ?? false
            metrics.mailSend(backend: backend, duration: started.duration(to: .now), failure: permanent ? "permanent" : "transient")
            throw error
        }
    }

    package init(base: any MailTransport, backend: String, metrics: ServiceMetrics) {
        self.base = base
        self.backend = backend
        self.metrics = metrics
    }
}
