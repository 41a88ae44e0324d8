import Foundation
import NIOConcurrencyHelpers

/// A hash of a random password in the accounts' scheme, to compare against when the username is unknown.
/// Made on first need (it takes a quarter second) and then kept.
package final class UnknownUserPasswordHash: Sendable {
    private let hash = NIOLockedValueBox<String?>(nil)
    let passwords: any PasswordScheme

    package init(passwords: any PasswordScheme) {
        self.passwords = passwords
    }

    package func value() async throws -> String {
        if let hash = hash.withLockedValue({ $0 }) { return hash }
        let made = try await passwords.hashOffLoop(Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
        return hash.withLockedValue { stored in
            if stored == nil { stored = made }
            return stored!
        }
    }
}
