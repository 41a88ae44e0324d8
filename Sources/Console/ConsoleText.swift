import Verification

/// The console's words, in Chinese and English, chosen by `Accept-Language` (else the mails' default language).
struct ConsoleText: Sendable {
    let language: MailLanguage
    let title: String
    let overview: String
    let deadJobs: String
    let suppressions: String
    let lookUp: String
    let addressPlaceholder: String
    let signIn: String
    let signOut: String
    let username: String
    let password: String
    let badCredentials: String
    let notStaff: String
    let forbiddenForm: String
    let jobs: String
    let oldestWaiting: String
    let none: String
    let mailsPerHour: String
    let funnel: String
    let mailsSent: String
    let linksOpened: String
    let confirmed: String
    let rates: String
    let bounceRate: String
    let complaintRate: String
    let providerLine: String
    let recentActions: String
    let retry: String
    let retryAll: String
    let retried: String
    let lift: String
    let lifted: String
    let noDeadJobs: String
    let noSuppressions: String
    let suppressedSince: String
    let notSuppressed: String
    let noMail: String
    let lastError: String
    let attempts: String
    let state: String
    let when: String
    /// "Page N", `%d` the number.
    let page: String
    let newerPage: String
    let olderPage: String

    static func forRequest(acceptLanguage: String?, fallback: MailLanguage) -> ConsoleText {
        (MailLanguage.preferred(acceptLanguage: acceptLanguage) ?? fallback) == .en ? .english : .chinese
    }

    static let chinese = ConsoleText(
        language: .zhCN, title: "美多邮件控制台", overview: "概览", deadJobs: "失败任务", suppressions: "停发地址", lookUp: "查询",
        addressPlaceholder: "邮箱地址或用户名", signIn: "登录", signOut: "退出", username: "用户名", password: "密码",
        badCredentials: "用户名或密码错误。", notStaff: "该账户不是工作人员，不能使用控制台。",
        forbiddenForm: "表单已失效（缺少或错误的 CSRF 令牌）：请返回页面重新提交。",
        jobs: "任务", oldestWaiting: "最早等待的任务已等待", none: "无", mailsPerHour: "近 24 小时每小时的邮件（按投递状态）",
        funnel: "近 7 天的验证漏斗", mailsSent: "已发出的验证邮件", linksOpened: "打开的链接", confirmed: "已确认",
        rates: "近 7 天的退信率与投诉率", bounceRate: "退信率", complaintRate: "投诉率", providerLine: "服务商的警戒线",
        recentActions: "最近的操作", retry: "重试", retryAll: "全部重试", retried: "已重试", lift: "解除", lifted: "已解除停发",
        noDeadJobs: "没有失败的任务。", noSuppressions: "没有停发的地址。", suppressedSince: "停发自", notSuppressed: "未停发",
        noMail: "没有发往该地址的邮件记录。", lastError: "最后的错误", attempts: "尝试次数", state: "状态",
        when: "时间", page: "第 %d 页", newerPage: "较新的", olderPage: "更早的")

    static let english = ConsoleText(
        language: .en, title: "Meiduo mail console", overview: "Overview", deadJobs: "Dead jobs", suppressions: "Suppressions",
        lookUp: "Look up", addressPlaceholder: "email address or username", signIn: "Sign in", signOut: "Sign out", username: "Username",
        password: "Password", badCredentials: "Wrong username or password.", notStaff: "This account is not staff: it cannot use the console.",
        forbiddenForm: "This form has expired (its CSRF token is missing or wrong): go back and send it again.",
        jobs: "Jobs", oldestWaiting: "The oldest waiting job has waited", none: "none",
        mailsPerHour: "Mail per hour over the last 24 hours, by delivery state", funnel: "Verification funnel, last 7 days",
        mailsSent: "Verification mails sent", linksOpened: "Links opened", confirmed: "Confirmed",
        rates: "Bounce and complaint rates, last 7 days", bounceRate: "Bounce rate", complaintRate: "Complaint rate",
        providerLine: "the line providers enforce", recentActions: "Recent actions", retry: "Retry", retryAll: "Retry all",
        retried: "Retried", lift: "Lift", lifted: "Suppression lifted", noDeadJobs: "No dead jobs.", noSuppressions: "No address is suppressed.",
        suppressedSince: "Suppressed since", notSuppressed: "Not suppressed", noMail: "No mail to this address is recorded.",
        lastError: "Last error", attempts: "Attempts", state: "State", when: "When", page: "Page %d", newerPage: "Newer",
        olderPage: "Older")
}
