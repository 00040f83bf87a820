import Foundation

/// The language of what people read: the review page, the checklist and report headings, map labels.
/// Simplified Chinese is the default (the users are Chinese survey teams); English is the other choice.
/// Data (field names, stored states and reasons, codes) stay the same in both.
public enum Language: String, Sendable, CaseIterable, Codable {
    case zh, en

    /// From `LC_ALL`, `LC_MESSAGES` or `LANG` (the first set): `en…` gives English, anything else Chinese.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let v = env[key]?.lowercased(), !v.isEmpty else { continue }
            if v.hasPrefix("en") { return .en }
            if v.hasPrefix("zh") { return .zh }
            return .zh
        }
        return .zh
    }

    /// The first of zh/en in an HTTP `Accept-Language` header, by quality then order; nil if neither is there.
    public static func fromAcceptLanguage(_ header: String) -> Language? {
        var best: (Language, Double, Int)? = nil
        for (i, part) in header.split(separator: ",").enumerated() {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = fields.first else { continue }
            let q = fields.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            let lang: Language? = tag.hasPrefix("zh") ? .zh : tag.hasPrefix("en") ? .en : nil
            guard let lang, q > 0 else { continue }
            if best == nil || q > best!.1 || (q == best!.1 && i < best!.2) { best = (lang, q, i) }
        }
        return best?.0
    }

    /// The text in this language alone.
    public func text(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }

    /// A heading: Chinese with the English after it (the bilingual form field teams and the provincial platform
    /// are used to), or English alone.
    public func heading(_ zh: String, _ en: String) -> String { self == .zh ? "\(zh) \(en)" : en }

    /// How a review state or rejection reason (stored in English) reads.
    public func state(_ s: String) -> String {
        guard self == .zh else { return s }
        return ["accepted": "已确认", "rejected": "已排除", "unsure": "待定", "unreviewed": "未复核", "known": "已登记", "new": "新发现",
                "boat": "船只", "glint": "反光", "tributary": "支流", "margin": "岸边带", "shadow": "阴影", "other": "其他"][s] ?? s
    }
}
