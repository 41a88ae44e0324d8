import API
import Foundation
import Hummingbird
import JobQueue
import Verification

/// The console's pages and what they do: the overview, an address's mail, the dead jobs (retried as `meiduo jobs
/// retry` does) and the suppressions (lifted as `meiduo suppressions remove` does). Every action is recorded in the
/// audit table and the log.
struct ConsoleController {
    let database: RequestDatabase
    let jobs: JobQueue
    let activity: MailActivity
    let history: AddressHistory
    let retries: DeadMailRetry
    let suppressions: Suppressions
    let accounts: any AccountTable.Type
    let audit: ConsoleAudit
    let language: MailLanguage
    let clock: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<ConsoleRequestContext>) {
        group.get("console", use: overview)
        group.get("console/address", use: address)
        group.get("console/dead", use: deadJobs)
        group.post("console/dead/retry", use: retry)
        group.get("console/suppressions", use: suppressionList)
        group.post("console/suppressions/lift", use: lift)
    }

    @Sendable func overview(request: Request, context: ConsoleRequestContext) async throws -> Response {
        let database = database(context)
        let now = clock()
        let page = OverviewPage(
            layout: layout(request, context), jobs: try await jobs.countsByState(), oldestWaitingSeconds: try await jobs.oldestDueAge(),
            hours: MailOverview.hours(try await activity.stepsPerHour(since: now.addingTimeInterval(-24 * 3600), on: database), now: now),
            days: MailOverview.days(try await activity.mailsPerDay(since: now.addingTimeInterval(-7 * 86_400), on: database), now: now),
            funnel: try await activity.funnel(since: now.addingTimeInterval(-7 * 86_400), on: database),
            audit: try await audit.recent(limit: 20, on: database))
        return ConsoleAnswers.page(page.html)
    }

    /// The look-up box takes an address, or an account's username (then the address the account has now).
    @Sendable func address(request: Request, context: ConsoleRequestContext) async throws -> Response {
        let given = (request.uri.queryParameters.get("email") ?? "").trimmingCharacters(in: .whitespaces)
        let canonical = EmailAddress.canonical(given)
        if canonical == nil, !given.isEmpty,
           let email = try await AccountAddress.email(ofUsername: given, in: accounts, on: database(context)), !email.isEmpty {
            return ConsoleAnswers.redirect("/console/address?email=\(queryValue(email))")
        }
        let address = canonical ?? given
        let (mails, suppression) = try await history.of(address: address, at: clock(), rawLimit: 64 * 1024, on: database(context))
        return ConsoleAnswers.page(AddressPage(layout: layout(request, context), address: address.lowercased(), mails: mails,
                                               suppression: suppression).html)
    }

    @Sendable func deadJobs(request: Request, context: ConsoleRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters.get("retried").map { ids in
            "\(layout(request, context).text.retried): " + (ids.isEmpty ? "0" : ids.split(separator: ",").map { "#\($0)" }.joined(separator: ", "))
        }
        let page = ListPage(request)
        let (dead, hasOlder) = page.cut(try await jobs.list(state: .dead, limit: page.limit, offset: page.offset))
        return ConsoleAnswers.page(DeadJobsPage(layout: layout(request, context), jobs: dead, notice: notice, page: page, hasOlder: hasOlder).html)
    }

    @Sendable func retry(request: Request, context: ConsoleRequestContext) async throws -> Response {
        var request = request
        let chosen = try await ConsoleForm.read(&request, context: context)["job"] ?? ""
        let ids: [Int64]? = chosen == "all" ? nil : Int64(chosen).map { [$0] }
        guard chosen == "all" || ids != nil else { return ConsoleAnswers.redirect("/console/dead") }
        let outcome = try await retries.retry(ids: ids, on: database(context))
        let retried = outcome.retried.map { "#\($0)" }.joined(separator: ",")
        try await record(context, action: "retry", target: retried.isEmpty ? "nothing (\(chosen))" : retried)
        if !outcome.lifted.isEmpty {
            try await record(context, action: "lift", target: outcome.lifted.joined(separator: ","), logged: outcome.lifted.map(EmailAddress.masked))
        }
        return ConsoleAnswers.redirect("/console/dead?retried=\(outcome.retried.map(String.init).joined(separator: ","))")
    }

    @Sendable func suppressionList(request: Request, context: ConsoleRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters.get("lifted").map { "\(layout(request, context).text.lifted): \($0)" }
        let page = ListPage(request)
        let (entries, hasOlder) = page.cut(try await suppressions.list(at: clock(), limit: page.limit, offset: page.offset, on: database(context)))
        return ConsoleAnswers.page(SuppressionsPage(layout: layout(request, context), entries: entries, notice: notice, page: page,
                                                    hasOlder: hasOlder).html)
    }

    @Sendable func lift(request: Request, context: ConsoleRequestContext) async throws -> Response {
        var request = request
        let given = try await ConsoleForm.read(&request, context: context)["address"] ?? ""
        let address = (EmailAddress.canonical(given) ?? given).lowercased()
        guard try await suppressions.remove(address: address, on: database(context)) else {
            return ConsoleAnswers.redirect("/console/suppressions")
        }
        try await record(context, action: "lift", target: address, logged: [EmailAddress.masked(address)])
        return ConsoleAnswers.redirect("/console/suppressions?lifted=\(queryValue(address))")
    }

    /// The audit keeps the target in full; the log line masks addresses (`logged`), as every log line does.
    private func record(_ context: ConsoleRequestContext, action: String, target: String, logged: [String]? = nil) async throws {
        guard let member = context.session?.member else { return }
        try await audit.record(member, action: action, target: target, at: clock(), on: database(context))
        context.logger.notice("console action", metadata: ["actor": "\(member.username)", "action": "\(action)",
                                                           "target": "\(logged?.joined(separator: ",") ?? target)"])
    }

    private func layout(_ request: Request, _ context: ConsoleRequestContext) -> Layout {
        Layout(text: ConsoleText.forRequest(acceptLanguage: request.headers[.acceptLanguage], fallback: language), session: context.session)
    }
}
