import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Fetches what an SNS message points at — its signing certificate, a subscription's confirmation URL — over HTTPS,
/// trusting `SES_SNS_CA_FILE`'s authorities or the system's, and keeps each certificate once fetched. The URLs
/// reach here only after `SNSMessage` checked their host.
package actor SNSCertificates {
    private let caFile: String?
    private var certificates: [URL: String] = [:]
    static let maximumSize = 64 * 1024

    package init(caFile: String?) {
        self.caFile = caFile
    }

    package func certificate(at url: URL) async throws -> String {
        if let known = certificates[url] { return known }
        let pem = String(buffer: try await get(url))
        // SNS signs with a handful of certificates at a time; a full cache is emptied rather than grown.
        if certificates.count >= 64 { certificates.removeAll() }
        certificates[url] = pem
        return pem
    }

    /// GETs a subscription's `SubscribeURL`, which confirms it.
    package func confirmSubscription(at url: URL) async throws {
        _ = try await get(url)
    }

    private func get(_ url: URL) async throws -> ByteBuffer {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .file(caFile) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10))))
        do {
            let response = try await client.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(15))
            guard response.status == .ok else { throw FetchFailed(url: url, status: response.status.code) }
            let body = try await response.body.collect(upTo: Self.maximumSize)
            try await client.shutdown()
            return body
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    package struct FetchFailed: Error, CustomStringConvertible {
        let url: URL
        let status: UInt

        package var description: String { "\(url.host ?? "") answered \(status)" }
    }
}
