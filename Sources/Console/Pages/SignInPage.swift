/// The sign-in form; its CSRF token is bound to the nonce in the sign-in cookie set with it.
struct SignInPage {
    let layout: Layout
    let csrf: String
    let error: String?

    var html: String {
        let text = layout.text
        let error = error.map { "<p class=\"error\" role=\"alert\">\(escaped($0))</p>" } ?? ""
        return layout.page(text.signIn, """
            \(error)<form method="post" action="/console/sign-in">\(layout.csrfField(csrf))
            <p><label>\(text.username)<br><input name="username" autocomplete="username" required></label></p>
            <p><label>\(text.password)<br><input name="password" type="password" autocomplete="current-password" required></label></p>
            <p><button>\(text.signIn)</button></p></form>
            """)
    }
}
