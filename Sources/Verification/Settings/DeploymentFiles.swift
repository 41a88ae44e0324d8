import Foundation

/// The files the service reads at run time besides its settings: each mail's two templates and the verification
/// page. Missing ones are refused at a production start and make `/readyz` fail.
package enum DeploymentFiles {
    package static let page = "success_verify_email.html"

    package static func required(_ settings: Settings) -> [String] {
        let templates = MailLanguage.allCases.flatMap { language in
            [VerificationMail.templateName, EmailChangedNotice.templateName].flatMap { name in
                ["text", "html"].map { settings.mail.templatesDirectory + language.templatePath(name) + "_\($0).leaf" }
            }
        }
        return templates + [settings.publicDirectory + page]
    }

    package static func missing(_ settings: Settings) -> [String] {
        required(settings).filter { !FileManager.default.isReadableFile(atPath: $0) }
    }
}

package struct DeploymentFilesMissing: Error, CustomStringConvertible {
    package var missing: [String]
    package var description: String {
        "missing templates or page: \(missing.joined(separator: ", ")) (TEMPLATES_DIR and PUBLIC_DIR say where they are)"
    }

    package init(missing: [String]) {
        self.missing = missing
    }
}
