import Logging
import NIOCore
import NIOPosix

/// Keeps up to `maxConnections` sessions open and lends each to one sender at a time; a session is reused (RSET
/// after a refused message) until it has been idle for `idleTimeout`, and closed with QUIT.
public actor SMTPConnectionPool {
    private let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private var idle: [(connection: SMTPConnection, since: ContinuousClock.Instant)] = []
    private var open = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    public init(configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
    }

    public var openConnections: Int { open }

    /// Sends one message, returning the server's acceptance (`250 2.0.0 Ok: queued as 4Xyz`).
    @discardableResult
    public func send(from: String, recipients: [String], data: [UInt8]) async throws(SMTPError) -> SMTPReply {
        let connection = try await lease()
        // A cancelled sender (a job past its time limit) ends the session at once: a message whose end the server
        // has not received yet is dropped by it, rather than delivered after the sender has given up.
        let sent: Result<SMTPReply, SMTPError> = await withTaskCancellationHandler {
            do throws(SMTPError) {
                return .success(try await connection.send(from: from, recipients: recipients, data: data))
            } catch {
                return .failure(error)
            }
        } onCancel: {
            connection.abort()
        }
        switch sent {
        case .success(let accepted):
            giveBack(connection, reusable: true)
            return accepted
        case .failure(let error):
            // A refused message leaves the session usable once reset; anything else ends it.
            var reusable = false
            if error.reply != nil && connection.isOpen {
                reusable = (try? await connection.reset()) != nil
            }
            giveBack(connection, reusable: reusable)
            throw error
        }
    }

    /// What the server offers, from a pooled session's EHLO (one is opened if none is idle).
    public func capabilities() async throws(SMTPError) -> SMTPCapabilities {
        let connection = try await lease()
        let capabilities = connection.capabilities
        giveBack(connection, reusable: true)
        return capabilities
    }

    /// QUITs the idle sessions; sessions in use are closed when given back.
    public func shutdown() async {
        closed = true
        let connections = idle.map(\.connection)
        idle = []
        open -= connections.count
        for connection in connections { await connection.quit() }
        waiters.forEach { $0.resume() }
        waiters = []
    }

    private func lease() async throws(SMTPError) -> SMTPConnection {
        while true {
            if closed { throw SMTPError(step: "connect", message: "the connection pool is shut down", isTransient: true) }
            if Task.isCancelled { throw SMTPError(step: "connect", message: "the send was cancelled", isTransient: true) }
            while let entry = idle.popLast() {
                if entry.since.duration(to: .now) < .milliseconds(Int64(configuration.idleTimeout * 1000)) && entry.connection.isOpen {
                    return entry.connection
                }
                open -= 1
                Task { await entry.connection.quit() }
            }
            if open < configuration.maxConnections {
                open += 1
                do {
                    let connection = try await SMTPConnection.connect(configuration, group: group)
                    logger.debug("SMTP connection opened", metadata: ["server": "\(configuration.host):\(configuration.port)", "open": "\(open)"])
                    return connection
                } catch {
                    open -= 1
                    wakeOne()
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func giveBack(_ connection: SMTPConnection, reusable: Bool) {
        if reusable && !closed && connection.isOpen {
            idle.append((connection, .now))
        } else {
            open -= 1
            Task { await connection.quit() }
        }
        wakeOne()
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
