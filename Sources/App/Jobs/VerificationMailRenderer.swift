import Leaf
import LeafKit
import Vapor

/// Renders the verification mail's two bodies from the Leaf templates in `TEMPLATES_DIR/mail/`.
/// The HTML template escapes the address and link; the text one writes them as they are.
struct VerificationMailRenderer: Sendable {
    struct Context: Encodable {
        var siteName: String
        var email: String
        var link: String
        var expiresHours: Int64
    }

    private let renderer: SharedRenderer

    /// Builds one renderer for the life of the worker: `app.leaf.renderer` makes a new one on every access.
    init(app: Application) {
        renderer = SharedRenderer(app.leaf.renderer)
    }

    func render(_ context: Context) async throws -> (text: String, html: String) {
        // One after the other: with the parsed templates cached a render does not wait, so two child tasks
        // would cost more in scheduling than they save.
        (try await body("mail/verify_email_text", context), try await body("mail/verify_email_html", context))
    }

    private func body(_ template: String, _ context: Context) async throws -> String {
        let view = try await renderer.leaf.render(path: template, context: context).get()
        return String(buffer: view)
    }
}

/// LeafKit's renderer holds only constants and a lock-guarded cache, so one may serve every thread; it is not
/// marked Sendable upstream.
private final class SharedRenderer: @unchecked Sendable {
    let leaf: LeafRenderer

    init(_ leaf: LeafRenderer) {
        self.leaf = leaf
    }
}
