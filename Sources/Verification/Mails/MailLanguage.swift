/// The languages the mails and pages are written in: the seed's Chinese (the default) and English. Chosen when the
/// mail is requested — an explicit `language` field, else the request's `Accept-Language` — and stored with the
/// job, so a queued mail is sent in the language it was asked in whatever the default is by then.
package enum MailLanguage: String, Codable, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en

    /// `zh-CN`, `zh`, `zh-Hans…` are Chinese; `en`, `en-…` English; anything else none.
    package init?(tag: String) {
        let tag = tag.trimmingCharacters(in: .whitespaces).lowercased()
        if tag == "zh" || tag.hasPrefix("zh-") { self = .zhCN } else if tag == "en" || tag.hasPrefix("en-") { self = .en } else { return nil }
    }

    /// The most preferred supported language of an `Accept-Language` header (q-values honoured), or nil.
    package static func preferred(acceptLanguage header: String?) -> MailLanguage? {
        guard let header else { return nil }
        let ranges = header.split(separator: ",").enumerated().compactMap { index, item -> (MailLanguage, Double, Int)? in
            let parts = item.split(separator: ";")
            guard let first = parts.first, let language = MailLanguage(tag: String(first)) else { return nil }
            let q = parts.dropFirst().compactMap { part -> Double? in
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return pair.count == 2 && pair[0] == "q" ? Double(pair[1]) : nil
            }.first ?? 1
            return q > 0 ? (language, q, index) : nil
        }
        return ranges.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }.first?.0
    }

    /// Where a mail's templates are: `mail/NAME_*.leaf` for Chinese (the seed's), `mail/en/NAME_*.leaf` for English.
    package func templatePath(_ name: String) -> String {
        self == .zhCN ? "mail/\(name)" : "mail/\(rawValue)/\(name)"
    }

    /// What the links carry, so that the pages answer in the mail's language (nothing for the default, Chinese).
    package var linkSuffix: String { self == .zhCN ? "" : "&lang=\(rawValue)" }
}
