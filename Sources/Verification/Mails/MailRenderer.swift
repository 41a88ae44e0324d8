import LeafKit
import NIOCore
import NIOPosix

/// What a mail's templates are given, as Leaf's values.
package protocol MailContext: Sendable {
    var leafData: [String: LeafData] { get }
}

/// Renders a mail's two bodies from the Leaf templates `TEMPLATES_DIR/mail/NAME_text.leaf` and `NAME_html.leaf`
/// (`mail/en/…` in English).
/// The HTML templates escape what they are given; the text ones write it as it is.
package struct MailRenderer: Sendable {
    private let renderer: SharedRenderer

    /// One renderer for the life of the process, reading `templatesDirectory` (and nothing outside it). With
    /// `cachesTemplates` false (development), an edited template is read again on the next mail.
    package init(templatesDirectory: String, cachesTemplates: Bool, eventLoop: any EventLoop) {
        let cache = DefaultLeafCache()
        cache.isEnabled = cachesTemplates
        let files = NIOLeafFiles(fileio: NonBlockingFileIO(threadPool: .singleton), limits: .default,
                                 sandboxDirectory: templatesDirectory, viewDirectory: templatesDirectory)
        renderer = SharedRenderer(LeafRenderer(configuration: LeafConfiguration(rootDirectory: templatesDirectory), cache: cache,
                                               sources: .singleSource(files), eventLoop: eventLoop))
    }

    /// The mail made from the templates `mail/NAME_text.leaf` and `mail/NAME_html.leaf` given `context`.
    package func render(_ name: String, language: MailLanguage = .zhCN, subject: String, context: some MailContext) async throws -> RenderedMail {
        let path = language.templatePath(name)
        // One after the other: with the parsed templates cached a render does not wait, so two child tasks
        // would cost more in scheduling than they save.
        return RenderedMail(subject: subject, text: try await body("\(path)_text", context.leafData), html: try await body("\(path)_html", context.leafData))
    }

    private func body(_ template: String, _ context: [String: LeafData]) async throws -> String {
        let view = try await renderer.leaf.render(path: template, context: context).get()
        return String(buffer: view)
    }
}

/// A mail ready to address and send.
package struct RenderedMail: Sendable, Equatable {
    package var subject: String
    package var text: String
    package var html: String

    package init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
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
