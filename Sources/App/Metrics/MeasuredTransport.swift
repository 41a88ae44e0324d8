import Mail
import SMTPClient

/// Times each send through the real transport and counts failures by class (transient or permanent).
struct MeasuredTransport: MailTransport {
    let base: any MailTransport
    let backend: String
    let metrics: ServiceMetrics

    func send(envelope: Envelope, raw: [UInt8]) async throws -> String {
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
}
