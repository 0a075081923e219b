import ArgumentParser
import Foundation
import Reporting

/// A condition a setting's value must meet, worded as the error states it: `--alpha`'s value "must be at least 1".
public struct Rule<Value>: Sendable {
    /// What the value must be, e.g. "at least 1", "in [0, 1)".
    public let says: String
    let holds: @Sendable (Value) -> Bool

    /// A rule that `holds` and reads as "must be \(says)".
    public init(_ says: String, _ holds: @escaping @Sendable (Value) -> Bool) {
        self.says = says
        self.holds = holds
    }
}

extension Rule where Value: BinaryInteger & Sendable {
    /// The value is `n` or more.
    public static func atLeast(_ n: Value) -> Rule { Rule("at least \(n)") { $0 >= n } }
    /// The value lies in `range`.
    public static func within(_ range: ClosedRange<Value>) -> Rule {
        Rule("in \(range.lowerBound)...\(range.upperBound)") { range.contains($0) }
    }
}

extension Rule where Value: BinaryFloatingPoint & Sendable {
    /// A finite number above zero.
    public static var positive: Rule { Rule("a positive number") { $0 > 0 && $0.isFinite } }
    /// A finite number, zero or more.
    public static var nonNegative: Rule { Rule("a non-negative number") { $0 >= 0 && $0.isFinite } }
    /// Any finite number.
    public static var finite: Rule { Rule("a finite number") { $0.isFinite } }
    /// A number in [lower, upper).
    public static func halfOpen(_ lower: Value, _ upper: Value) -> Rule {
        Rule("in [\(g(lower)), \(g(upper)))") { $0 >= lower && $0 < upper }
    }
    /// A number in (lower, upper).
    public static func open(_ lower: Value, _ upper: Value) -> Rule {
        Rule("between \(g(lower)) and \(g(upper))") { $0 > lower && $0 < upper }
    }
    private static func g(_ x: Value) -> String { String(format: "%g", Double(x)) }
}

/// Why a value given on the command line was refused (ArgumentParser prefixes the option and the value).
struct SettingRefused: Error, CustomStringConvertible {
    let description: String
}

/// One setting of an experiment, declared once: its config.csv key, its help, the paper's default, the value
/// `--quick` uses, and the rule a given value must meet. The option reads it as
/// `@Option(help: S.alpha.help, transform: S.alpha.parse) var alpha: Int?` and the run resolves it with
/// `run.value(S.alpha, given: alpha)`, which records the value and where it came from in config.csv.
public struct Setting<Value: ExpressibleByArgument & CustomStringConvertible & Equatable & Sendable>: Sendable {
    /// The config.csv key, e.g. `black_box_alpha`.
    public let key: String
    /// What the setting is, one phrase without the default, e.g. "MI-Face alpha: maximum iterations".
    public let summary: String
    /// The paper's value (or ours where the paper is silent).
    public let standard: Value
    /// The value of a `--quick` run, if it differs.
    public let quick: Value?
    /// What a given value must meet.
    public let rule: Rule<Value>?
    /// Advice appended to a refusal, e.g. "100 gives stable rates".
    public let hint: String?
    let standardText: String?

    /// Declares a setting. `defaultText` replaces the default in the help where one number does not tell it
    /// (a default per dataset, say).
    public init(
        _ key: String, _ summary: String, default standard: Value, quick: Value? = nil, must rule: Rule<Value>? = nil, hint: String? = nil,
        defaultText: String? = nil
    ) {
        self.key = key
        self.summary = summary
        self.standard = standard
        self.quick = quick
        self.rule = rule
        self.hint = hint
        self.standardText = defaultText
    }

    /// The option's help: the summary, the default and `--quick`'s value.
    public var help: ArgumentHelp {
        var text = "default \(standardText ?? standard.description)"
        if let quick, quick != standard, standardText == nil { text += "; --quick: \(quick)" }
        return ArgumentHelp("\(summary) (\(text)).")
    }

    /// Parses and checks a value given on the command line (an option's `transform`).
    public func parse(_ text: String) throws -> Value {
        guard let value = Value(argument: text) else {
            let values = Value.allValueStrings
            throw SettingRefused(description: values.isEmpty ? "not a valid value" : "must be one of \(values.joined(separator: ", "))")
        }
        if let reason = refusal(value) { throw SettingRefused(description: reason) }
        return value
    }

    /// Why `value` breaks the rule, or nil when it meets it.
    public func refusal(_ value: Value) -> String? {
        guard let rule, !rule.holds(value) else { return nil }
        return "must be \(rule.says) (got \(value))" + (hint.map { "; \($0)" } ?? "")
    }
}

/// A setting that is a list (`--epsilons 1 4 8`), declared once like `Setting`: each element is checked as it is
/// parsed; `check` refuses an empty list or an element listed twice.
public struct ListSetting<Element: ExpressibleByArgument & CustomStringConvertible & Equatable & Sendable>: Sendable {
    /// The config.csv key.
    public let key: String
    /// The option as typed, e.g. `--epsilons` (for the list-level errors, which ArgumentParser does not prefix).
    public let option: String
    /// What the setting is, one phrase without the default.
    public let summary: String
    /// The default list.
    public let standard: [Element]
    /// The list of a `--quick` run, if it differs.
    public let quick: [Element]?
    /// What each element must meet.
    public let rule: Rule<Element>?
    /// An example of a valid list, for the errors.
    public let example: String
    let format: @Sendable (Element) -> String

    /// Declares a list setting; `format` writes an element in the help and config.csv (default: its description).
    public init(
        _ key: String, option: String? = nil, _ summary: String, default standard: [Element], quick: [Element]? = nil,
        must rule: Rule<Element>? = nil, example: String, format: @escaping @Sendable (Element) -> String = { $0.description }
    ) {
        self.key = key
        self.option = option ?? "--" + key.replacingOccurrences(of: "_", with: "-")
        self.summary = summary
        self.standard = standard
        self.quick = quick
        self.rule = rule
        self.example = example
        self.format = format
    }

    /// The list as config.csv and the help write it: elements formatted, separated by spaces.
    public func text(_ list: [Element]) -> String { list.map(format).joined(separator: " ") }

    /// The option's help: the summary, the default and `--quick`'s list.
    public var help: ArgumentHelp {
        var text = "default \(self.text(standard))"
        if let quick, quick != standard { text += "; --quick: \(self.text(quick))" }
        return ArgumentHelp("\(summary) (\(text)).")
    }

    /// Parses and checks one element (the option's `transform`).
    public func parse(_ text: String) throws -> Element {
        guard let value = Element(argument: text) else {
            let values = Element.allValueStrings
            throw SettingRefused(
                description: values.isEmpty ? "not a valid value (e.g. \(example))" : "must be one of \(values.joined(separator: ", "))")
        }
        if let rule, !rule.holds(value) { throw SettingRefused(description: "must be \(rule.says) (got \(value))") }
        return value
    }

    /// Refuses a given list that is empty only by being given, or that lists an element twice; an empty list
    /// given by nobody is the default.
    public func check(_ given: [Element]) throws {
        var seen: [Element] = []
        for e in given {
            if seen.contains(e) { throw ValidationError("\(option) lists \(format(e)) twice (e.g. \(option) \(example))") }
            seen.append(e)
        }
    }
}

extension ExperimentRun {
    /// Resolves a declared setting (the given value, else `--quick`'s, else the default) and records it in config.csv.
    public func value<T>(_ s: Setting<T>, given: T?) -> T {
        setting(s.key, given: given, default: s.standard, quick: s.quick)
    }

    /// Resolves a declared setting under another key, with another default: for settings that have one value per
    /// dataset (`location_epochs`, `adult_epochs`), declared once for their option and rule.
    public func value<T>(_ s: Setting<T>, key: String, given: T?, default standard: T, quick: T?) -> T {
        setting(key, given: given, default: standard, quick: quick)
    }

    /// Resolves a declared list setting (an empty `given` means none was given) and records it in config.csv.
    public func values<T>(_ s: ListSetting<T>, given: [T]) -> [T] {
        if !given.isEmpty {
            record(s.key, s.text(given), source: "option")
            return given
        }
        if quick, let short = s.quick, short != s.standard {
            Console.line("  --quick: \(s.key) \(s.text(short)) (default \(s.text(s.standard)); give the option to choose another)")
            record(s.key, s.text(short), source: "quick")
            return short
        }
        record(s.key, s.text(s.standard), source: "default")
        return s.standard
    }
}
