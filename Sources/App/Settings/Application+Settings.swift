import Vapor

extension Application {
    private struct SettingsKey: StorageKey {
        typealias Value = Settings
    }

    public var settings: Settings {
        get { storage[SettingsKey.self] ?? Settings() }
        set { storage[SettingsKey.self] = newValue }
    }
}

extension Application {
    private struct ClockKey: StorageKey {
        typealias Value = @Sendable () -> Date
    }

    /// The time as the service sees it (the resend throttle); tests move it by hand.
    var now: @Sendable () -> Date {
        get { storage[ClockKey.self] ?? Date.init }
        set { storage[ClockKey.self] = newValue }
    }
}
