/// Every environment variable the service reads, with its default and what it means: the one list. `meiduo
/// settings` prints it (`--markdown`: the README's table, which a test keeps equal to it), and each command's
/// help names the variables it reads from here.
package enum SettingsCatalog {
    package enum Reader: Sendable {
        case serve, worker, jobs, sendTestMail, bounces
    }

    package struct Entry: Sendable {
        /// One variable, or a pair documented together (`EMAIL_HOST` · `EMAIL_PORT`).
        package var names: [String]
        /// As the README shows it: `value` in backticks, or words (`unset`, `a development key`).
        package var defaultValue: String
        package var meaning: String
        /// The commands that read it.
        package var read: Set<Reader>

        package init(_ names: [String], _ defaultValue: String, _ meaning: String, read: Set<Reader>) {
            self.names = names
            self.defaultValue = defaultValue
            self.meaning = meaning
            self.read = read
        }
    }

    package static let entries: [Entry] = [
        Entry(["DATABASE_URL"], "`sqlite://var/meiduo.sqlite`", "`sqlite://relative/path`, `sqlite:///absolute/path` or `postgres://user:pass@host:5432/db`",
              read: [.bounces, .jobs, .serve, .worker]),
        Entry(["ACCOUNTS"], "`own`", "`own`: accounts in the service's `users` table, bcrypt hashes; `django`: a Django shop's `tb_users` in the shop's database (`DATABASE_URL`), its pbkdf2_sha256 hashes and JWTs, the service's tables under `meiduo_` (see Adopting it in an existing shop)",
              read: [.bounces, .jobs, .serve, .worker]),
        Entry(["DJANGO_PASSWORD_ITERATIONS"], "`600000`", "with `ACCOUNTS=django`, pbkdf2_sha256 iterations of the hashes made at registration (Django 4.2's count; raise it with the shop's Django)",
              read: [.serve]),
        Entry(["SECRET_KEY"], "a development key", "signs verification tokens and session JWTs; at least 32 bytes; in production (`--env production`) required, at least 50 characters with 5 different ones, and not the example's placeholder",
              read: [.bounces, .serve, .worker]),
        Entry(["SECRET_KEY_FALLBACKS"], "empty", "comma-separated older keys, newest first: verification links and session JWTs signed with one are still accepted (new ones are signed with `SECRET_KEY`), so a key rotation ends no session and breaks no mailed link; drop a key once `VERIFY_EMAIL_TOKEN_EXPIRES` and `JWT_EXPIRATION` have passed",
              read: [.bounces, .serve, .worker]),
        Entry(["VERIFY_EMAIL_TOKEN_EXPIRES"], "`86400`", "lifetime of a verification link, seconds",
              read: [.serve, .worker]),
        Entry(["VERIFY_CODE_TTL"], "`1800`", "seconds the six-digit code in a verification mail is accepted (900–86400: mail can be delayed by minutes); 5 wrong tries per code, then a new mail is needed",
              read: [.serve, .worker]),
        Entry(["REVERT_TTL"], "`604800`", "seconds the “this was not me” link in the notice to the last verified address works (once): it puts that address back as verified and ends the account's sessions; for as long after, a change of address needs the password; the link opens `VERIFY_EMAIL_URL`'s page with `?revert=…`",
              read: [.serve, .worker]),
        Entry(["VERIFY_EMAIL_URL"], "`http://127.0.0.1:8080/success_verify_email.html`", "the page the link opens (the original used `http://www.meiduo.site:8080/success_verify_email.html`); in production an https URL on a host that is not loopback",
              read: [.serve, .worker]),
        Entry(["LEGACY_GET_VERIFY"], "`true`", "whether `GET /emails/verification/?token=` still verifies, for the seed's front end (whose page calls it on load, so a mail scanner that runs the page's JavaScript verifies the address); `false` answers it 410 and only the page's button (`POST`) verifies",
              read: [.serve]),
        Entry(["VERIFY_EMAIL_RESEND_INTERVAL"], "`60`", "seconds between two verification mails for one user, and for one address whichever accounts ask (429 with `Retry-After` within it); `0` turns both off",
              read: [.serve]),
        Entry(["VERIFY_EMAIL_RECIPIENT_DAILY_LIMIT"], "`5`", "verification mails one address may get in 24 hours, whichever accounts ask (429 with `Retry-After` beyond); `0` turns the cap off",
              read: [.serve]),
        Entry(["VERIFY_EMAIL_RECIPIENT_ACCOUNT_LIMIT"], "`2`", "of those, the most one account may have sent to one address in 24 hours (429 with `Retry-After` beyond), so that no account spends an address's allowance and keeps its owner from being mailed; `0` turns the share off",
              read: [.serve]),
        Entry(["VERIFY_CODE_DAILY_FAILURES"], "`10`", "wrong verification codes one account, and one client address (counted as the sign-in limit counts clients), may enter in 24 hours; beyond, 429 with `Retry-After`; `0` turns the limit off",
              read: [.serve]),
        Entry(["AUTH_RATE_LIMIT"], "`20/60`", "requests per client and window (seconds) on `POST /users/` and on `POST /authorizations/`, counted in the database across servers; beyond it 429 with `Retry-After`; `off` turns it off",
              read: [.serve]),
        Entry(["RATE_LIMIT_CLIENT_HEADER"], "unset", "the header your reverse proxies write the client address in (`X-Forwarded-For`, `X-Real-IP`); unset, the connection's peer is the client. Only a strictly parsed IP address counts (IPv6 by its /64); anything else counts as the peer",
              read: [.serve]),
        Entry(["RATE_LIMIT_TRUSTED_PROXIES"], "`1`", "how many proxies in front of the service append to that header: the client is the entry this many from the right (what the outermost trusted proxy saw); entries further left were written by the client and are ignored",
              read: [.serve]),
        Entry(["JWT_EXPIRATION"], "`86400`", "lifetime of a session JWT, seconds",
              read: [.serve]),
        Entry(["BCRYPT_COST"], "`12`", "password hashing cost (4–31)",
              read: [.serve]),
        Entry(["HTTP_HEADER_TIMEOUT"], "`10`", "seconds a request has, from its first byte (or from the connection's start), to arrive in full, head and body; then 408 and the connection is closed, so a client that trickles its request cannot hold the port",
              read: [.serve]),
        Entry(["HTTP_KEEPALIVE_TIMEOUT"], "`30`", "seconds an idle keep-alive connection is kept open",
              read: [.serve]),
        Entry(["HTTP_SEND_TIMEOUT"], "`30`", "seconds a client has to take a response once it has begun; then the connection is closed, so a client that pipelines requests and never reads the answers holds no more than a few of them",
              read: [.serve, .worker]),
        Entry(["HTTP_LISTEN_BACKLOG"], "`511`", "connections the kernel queues before the server accepts them (`listen`'s backlog, as nginx's); the kernel caps it at `net.core.somaxconn`",
              read: [.serve, .worker]),
        Entry(["HTTP_MAX_CONNECTIONS"], "the open-files limit less 64", "open HTTP connections at most; at the cap the server stops accepting (new connections wait in the backlog) until one closes. The units set `LimitNOFILE=65536`",
              read: [.serve]),
        Entry(["CORS_ALLOWED_ORIGINS"], "empty", "comma-separated origins allowed to call the API from a browser",
              read: [.serve]),
        Entry(["DEFAULT_LANGUAGE"], "`zh-CN`", "`zh-CN` or `en`: the language of mails asked for with neither a `language` field nor a supported `Accept-Language` (a queued mail keeps the language it was asked in)",
              read: [.serve, .worker]),
        Entry(["EMAIL_BACKEND"], "`file`", "`file` (one `.eml` per message), `console` (printed to standard output) or `smtp`",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_HOST", "EMAIL_PORT"], "`localhost` · 25 (587 with TLS, 465 with SSL)", "the SMTP server",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"], "empty", "AUTH credentials (the password never reaches a log or the dialogue printout)",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_USE_TLS", "EMAIL_USE_SSL"], "`false`", "STARTTLS, or TLS from the first byte (not both)",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_SSL_CAFILE"], "empty", "a PEM file with an extra certificate authority to trust",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_TIMEOUT"], "`30`", "seconds for connecting and for each reply",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_MAX_CONNECTIONS"], "`4`", "pooled SMTP sessions per process",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_HELO_NAME"], "the host name", "the name given in EHLO",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_FILE_PATH"], "`var/mail`", "the file backend's folder",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["EMAIL_FROM"], "`美多商城<noreply@meiduo.site>`", "the sender, as the original's setting",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["SITE_NAME"], "`美多商城`", "the shop's name in the mail (subject `SITE_NAME邮箱验证`)",
              read: [.sendTestMail, .serve, .worker]),
        Entry(["BOUNCE_ADDRESS"], "unset", "a plain address (`bounces@example.com`) whose domain's mail reaches `meiduo bounces`: each mail then goes out with the envelope sender `bounces+<job>-<tag>@example.com`, the tag signed with `SECRET_KEY`, so a bounce names its mail and a forged one is refused; unset, the envelope sender is `EMAIL_FROM`'s address and bounces go there unread",
              read: [.bounces, .serve, .worker]),
        Entry(["SUPPRESS_DAYS"], "`30`", "days an address whose mail hard-bounced (a 5.x.x about the address, not 5.3/5.6/5.7) is not mailed again (`PUT /email/` answers 422 naming the bounce); `meiduo suppressions remove ADDRESS` lifts it sooner; `0`: never suppressed",
              read: [.bounces, .serve, .worker]),
        Entry(["BOUNCE_MAX_SIZE"], "`1048576`", "octets `meiduo bounces` takes in one report (552 beyond)",
              read: [.bounces]),
        Entry(["BOUNCE_MAX_CONNECTIONS"], "`50`", "connections `meiduo bounces` holds open at once (421 beyond)",
              read: [.bounces]),
        Entry(["BOUNCE_TIMEOUT"], "`60`", "seconds `meiduo bounces` waits for a client's next line before closing; a session lasts at most ten times this",
              read: [.bounces]),
        Entry(["BOUNCE_TLS_CERT", "BOUNCE_TLS_KEY"], "unset", "PEM certificate chain and key: with both, `meiduo bounces` offers STARTTLS",
              read: [.bounces]),
        Entry(["SES_SNS_TOPIC_ARNS"], "unset", "comma-separated SNS topic ARNs whose SES events `POST /webhooks/ses/` takes; unset, that webhook answers 404",
              read: [.serve]),
        Entry(["SES_SNS_CERT_HOST"], "`sns.*.amazonaws.com`", "the host (`*`: one DNS label) SNS signing certificates and subscribe URLs are fetched from, over HTTPS only",
              read: [.serve]),
        Entry(["SES_SNS_CA_FILE"], "the system's", "PEM certificate authorities trusted when fetching an SNS signing certificate",
              read: [.serve]),
        Entry(["SENDGRID_WEBHOOK_PUBLIC_KEY"], "unset", "SendGrid's event webhook verification key (base64 DER, as SendGrid shows it); unset, `POST /webhooks/sendgrid/` answers 404",
              read: [.serve]),
        Entry(["MAILGUN_WEBHOOK_SIGNING_KEY"], "unset", "Mailgun's HTTP webhook signing key; unset, `POST /webhooks/mailgun/` answers 404",
              read: [.serve]),
        Entry(["POSTMARK_WEBHOOK_USER", "POSTMARK_WEBHOOK_PASSWORD"], "unset", "the basic-auth user and password (16 characters or more) in Postmark's webhook URL; with both, mails carry `X-PM-Metadata-meiduo-message-id`; unset, `POST /webhooks/postmark/` answers 404",
              read: [.serve, .worker]),
        Entry(["PUBLIC_DIR"], "`Public`", "static files, among them the verification page",
              read: [.serve]),
        Entry(["TEMPLATES_DIR"], "`Resources/Views`", "where the Leaf mail templates are (`mail/verify_email_{html,text}.leaf`, `mail/email_changed_{html,text}.leaf`)",
              read: [.serve, .worker]),
        Entry(["WORKER_CONCURRENCY"], "`32`", "jobs a worker runs at once",
              read: [.serve, .worker]),
        Entry(["WORKER_POLL_INTERVAL"], "`1`", "seconds an idle worker waits before looking again (the in-process worker is also woken at once)",
              read: [.serve, .worker]),
        Entry(["WORKER_SHUTDOWN_GRACE"], "`30`", "seconds a stopping worker lets running jobs finish before giving them back",
              read: [.serve, .worker]),
        Entry(["SHUTDOWN_TIMEOUT"], "`45`", "seconds a process has after SIGTERM or SIGINT to finish its requests, jobs and SMTP sessions (more than `WORKER_SHUTDOWN_GRACE`); then the rest is cancelled",
              read: [.serve, .worker, .bounces]),
        Entry(["JOB_MAX_ATTEMPTS"], "`10`", "attempts before a job is dead",
              read: [.serve, .worker]),
        Entry(["JOB_BACKOFF_BASE", "JOB_BACKOFF_CAP"], "`2` · `3600`", "the n-th retry waits between half and all of min(cap, base·2ⁿ⁻¹) seconds",
              read: [.serve, .worker]),
        Entry(["JOB_LEASE_SECONDS"], "`60`", "how long a claim or a renewal holds a job; a worker that dies loses its jobs this long after its last renewal",
              read: [.serve, .worker]),
        Entry(["JOB_LEASE_RENEW_INTERVAL"], "a sixth of the lease, at most `10`", "seconds between renewals of a running job's lease; at most a third of `JOB_LEASE_SECONDS` (refused at start otherwise)",
              read: [.serve, .worker]),
        Entry(["JOB_TIMEOUT"], "`300`", "the time limit of one run of a job, seconds; a run still going then is cancelled and retried with backoff; with `EMAIL_BACKEND=smtp`, at least `EMAIL_TIMEOUT` (refused at start otherwise)",
              read: [.serve, .worker]),
        Entry(["JOB_RETENTION_SECONDS"], "`604800`", "how long completed jobs are kept",
              read: [.jobs, .serve, .worker]),
        Entry(["JOB_QUEUE"], "`default`", "the queue name jobs are put in and taken from",
              read: [.jobs, .serve, .worker]),
        Entry(["DATABASE_MAX_CONNECTIONS"], "`4`", "PostgreSQL connections per event loop",
              read: [.bounces, .jobs, .serve, .worker]),
        Entry(["DATABASE_POOLER"], "`none`", "`pgbouncer` when `DATABASE_URL` is a PgBouncer in transaction pooling: every statement is sent unnamed (PgBouncer 1.18 keeps no prepared statements) and no session parameter at start (set `statement_timeout` and `lock_timeout` for the role instead); see Scaling out",
              read: [.bounces, .jobs, .serve, .worker]),
        Entry(["DATABASE_LISTEN_URL"], "`DATABASE_URL`", "where the queue's LISTEN connection goes (one per process): PostgreSQL itself, as LISTEN does not work through a transaction pooler",
              read: [.serve, .worker]),
        Entry(["DATABASE_STATEMENT_TIMEOUT"], "`5`", "seconds a PostgreSQL statement may run or wait for a lock (`statement_timeout`, `lock_timeout`) before it fails and frees its connection; `meiduo migrate` has none",
              read: [.bounces, .jobs, .serve, .worker]),
        Entry(["METRICS_TOKEN"], "unset", "when set, `GET /metrics` answers only `Authorization: Bearer <this token>` (401 otherwise); unset, anyone who reaches the port reads the metrics",
              read: [.serve]),
        Entry(["LOG_LEVEL"], "`info`", "`debug` … `critical` (`trace` is lowered to `debug`: at trace the database drivers log statements with their bound values); tokens, passwords, JWTs, SECRET_KEY and the SMTP password are never logged (`scripts/smtp-e2e` checks a debug-level walk-through for each)",
              read: [.bounces, .jobs, .serve, .worker]),
        Entry(["LOG_FORMAT"], "`text`", "`json` or `logfmt`: one line per event, a request's lines carrying its `request-id`",
              read: [.bounces, .jobs, .serve, .worker]),
    ]

    /// The README's table.
    package static var markdownTable: String {
        (["| variable | default | meaning |", "|---|---|---|"] + entries.map { entry in
            "| \(entry.names.map { "`\($0)`" }.joined(separator: " · ")) | \(entry.defaultValue) | \(entry.meaning) |"
        }).joined(separator: "\n")
    }

    /// The variables `reader` reads, for its help.
    package static func names(readBy reader: Reader) -> String {
        entries.filter { $0.read.contains(reader) }.flatMap(\.names).joined(separator: ", ")
    }
}
