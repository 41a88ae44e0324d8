import Foundation

/// Maps each job kind to the code that runs it.
public struct JobRegistry: Sendable {
    typealias Handler = @Sendable (_ payload: String, _ context: JobContext) async throws -> Void

    private var handlers: [String: Handler] = [:]

    public init() {}

    public mutating func register<J: Job>(_ job: J) {
        handlers[J.kind] = { payload, context in
            let decoded: J.Payload
            do { decoded = try JSONDecoder().decode(J.Payload.self, from: Data(payload.utf8)) } catch {
                throw PermanentJobError("the payload does not decode as \(J.Payload.self): \(error)")
            }
            try await job.perform(decoded, context: context)
        }
    }

    public var kinds: [String] { handlers.keys.sorted() }

    func perform(_ job: JobRecord, context: JobContext) async throws {
        guard let handler = handlers[job.kind] else {
            throw PermanentJobError("no handler is registered for job kind \(job.kind)")
        }
        try await handler(job.payload, context)
    }
}
