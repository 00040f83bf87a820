import Foundation
import Handover

/// CSV exports for the record (UTF-8 with BOM, so Excel shows Chinese text; CRLF line ends, RFC 4180 quoting;
/// text cells that a spreadsheet would take for a formula are prefixed with an apostrophe).
public enum ReviewExport {
    public static let decisionColumns = ["candidate_id", "rank", "confidence", "signs", "water", "state", "reason", "note",
                                         "reviewer", "decided_at", "version", "lon", "lat"]
    public static let historyColumns = ["candidate_id", "version", "state", "reason", "note", "reviewer", "decided_at",
                                        "previous_version", "previous_state"]

    /// Column headers in Chinese (with the English name after it, as in the checklist) or English alone.
    static let chineseHeaders = [
        "candidate_id": "候选编号", "rank": "排序", "confidence": "置信度", "signs": "解译标志", "water": "水体", "state": "复核状态",
        "reason": "排除原因", "note": "备注", "reviewer": "复核人", "decided_at": "决定时间 (UTC)", "version": "版本", "lon": "经度 WGS 84",
        "lat": "纬度 WGS 84", "previous_version": "此前版本", "previous_state": "此前状态",
    ]

    static func header(_ columns: [String], _ language: Language) -> [String] {
        language == .en ? columns : columns.map { c in chineseHeaders[c].map { "\($0) \(c)" } ?? c }
    }

    /// One row per candidate, in rank order, unreviewed ones included.
    public static func decisionsCSV(_ run: ReviewRun, language: Language = .en) throws -> String {
        var rows = [header(decisionColumns, language)]
        for c in try run.candidates() {
            let d = c.decision
            rows.append([c.id, String(c.rank), String(format: "%.3f", c.confidence), c.signs.joined(separator: ","), text(c.water),
                         d.state, d.reason, text(d.note), text(d.reviewer), d.decidedAt, String(d.version),
                         String(format: "%.7f", c.lon), String(format: "%.7f", c.lat)])
        }
        return render(rows)
    }

    /// Every decision ever made, oldest first.
    public static func historyCSV(_ store: ReviewStore, language: Language = .en) throws -> String {
        var rows = [header(historyColumns, language)]
        for h in try store.history() {
            rows.append([h.candidateId, String(h.version), h.state, h.reason, text(h.note), text(h.reviewer), h.decidedAt,
                         String(h.previousVersion), h.previousState])
        }
        return render(rows)
    }

    static func text(_ s: String) -> String {
        guard let f = s.first, "=+-@\t\r".contains(f) else { return s }
        return "'" + s
    }

    static func render(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
