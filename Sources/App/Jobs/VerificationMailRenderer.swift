import Leaf
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

    let app: Application

    func render(_ context: Context) async throws -> (text: String, html: String) {
        async let html = body("mail/verify_email_html", context)
        async let text = body("mail/verify_email_text", context)
        return try await (text, html)
    }

    private func body(_ template: String, _ context: Context) async throws -> String {
        let view = try await app.leaf.renderer.render(path: template, context: context).get()
        return String(buffer: view)
    }
}
