/// Which permanent failures say the address is dead — and so suppress it — rather than that this mail, or this
/// sender, was refused. RFC 3463's subject digit: 5.3.x (the receiving system), 5.6.x (the message's content) and
/// 5.7.x (policy: relaying denied, authentication, reputation) are about the mail or its sender, and a
/// misconfigured relay answers every recipient so; the others (5.0 other, 5.1 address, 5.2 mailbox, 5.4 routing,
/// 5.5 protocol — Outlook's "550 5.5.0 mailbox unavailable") are about the address.
public enum BounceClass {
    public static func isHard(status: String) -> Bool {
        let parts = status.split(separator: ".")
        guard parts.count == 3, parts[0] == "5" else { return false }
        return !["3", "6", "7"].contains(parts[1])
    }
}
