import Verification

/// The frame every console page shares: the navigation (with the address look-up and the sign-out form) and the
/// style sheet the console serves itself. No script.
struct Layout {
    let text: ConsoleText
    /// The signed-in staff member and the session's CSRF token; nil on the sign-in page.
    let session: ConsoleRequestContext.Session?

    func page(_ title: String, _ body: String) -> String {
        var nav = ""
        if let session {
            nav = """
            <nav><a href="/console/">\(text.overview)</a> <a href="/console/dead">\(text.deadJobs)</a> \
            <a href="/console/suppressions">\(text.suppressions)</a>
            <form method="get" action="/console/address" class="inline"><input type="search" name="email" required \
            placeholder="\(text.addressPlaceholder)" aria-label="\(text.addressPlaceholder)"><button>\(text.lookUp)</button></form>
            <form method="post" action="/console/sign-out" class="inline">\(csrfField(session.csrf))\
            <button>\(text.signOut) (\(escaped(session.member.username)))</button></form></nav>
            """
        }
        return """
        <!doctype html>
        <html lang="\(text.language.rawValue)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title)) · \(text.title)</title><link rel="stylesheet" href="/console/console.css"></head>
        <body><header><strong>\(text.title)</strong>\(nav)</header><main><h1>\(escaped(title))</h1>
        \(body)
        </main></body></html>
        """
    }

    func csrfField(_ token: String) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(escaped(token))\">"
    }

    /// A POST form of one button, with the session's CSRF token and the hidden fields given.
    func button(_ label: String, action: String, fields: [(String, String)]) -> String {
        let hidden = fields.map { "<input type=\"hidden\" name=\"\(escaped($0.0))\" value=\"\(escaped($0.1))\">" }.joined()
        return "<form method=\"post\" action=\"\(escaped(action))\" class=\"inline\">\(csrfField(session?.csrf ?? ""))\(hidden)"
            + "<button>\(escaped(label))</button></form>"
    }

    /// A notice above a page's content.
    func notice(_ message: String?) -> String {
        message.map { "<p class=\"notice\" role=\"status\">\(escaped($0))</p>" } ?? ""
    }

    static let styleSheet = """
        body{font:15px/1.45 system-ui,"Noto Sans CJK SC",sans-serif;margin:0;color:#222;background:#fafafa}
        header{background:#1f2a3a;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:.6em;align-items:center}
        header a{color:#cfe0ff;margin-right:.6em}nav{display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
        main{max-width:60em;margin:0 auto;padding:1em}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
        table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        .inline{display:inline}.notice{background:#e8f4ea;border:1px solid #9c9;padding:.5em}.error{background:#fbeaea;border:1px solid #d99;padding:.5em}
        .chart{width:100%;height:auto;background:#fff;border:1px solid #ddd}pre{white-space:pre-wrap;word-break:break-all;font-size:12px}
        .legend span{display:inline-block;margin-right:1em}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em}
        .figure{font-size:1.3em;font-weight:600}button{cursor:pointer;white-space:nowrap}input{padding:.2em}
        """
}
