import Foundation

/// Coordinates as field teams read them.
public enum CoordinateText {
    /// Degrees-minutes-seconds with a hemisphere letter, seconds to `secondDigits` decimals (0.01″ ≈ 0.3 m),
    /// e.g. `114°17'51.92"E`. Rounding carries into minutes and degrees (never 60″).
    public static func dms(_ value: Double, isLongitude: Bool, secondDigits: Int = 2) -> String {
        let hemisphere = isLongitude ? (value < 0 ? "W" : "E") : (value < 0 ? "S" : "N")
        let scale = pow(10, Double(secondDigits))
        // Work in whole units of the last digit so the carry is exact.
        let total = (abs(value) * 3600 * scale).rounded()
        let perMinute = 60 * scale, perDegree = 3600 * scale
        let degrees = Int(total / perDegree)
        let rest = total - Double(degrees) * perDegree
        let minutes = Int(rest / perMinute)
        let seconds = (rest - Double(minutes) * perMinute) / scale
        let secondsText = String(format: "%0\(secondDigits == 0 ? 2 : secondDigits + 3).\(secondDigits)f", seconds)
        return "\(degrees)°\(String(format: "%02d", minutes))'\(secondsText)\"\(hemisphere)"
    }

    /// Decimal degrees to 8 places (about 1 mm).
    public static func decimal(_ value: Double) -> String { String(format: "%.8f", value) }
}

extension CoordinateText {
    /// A graticule label for a multiple of `step` degrees: `114°E`, `114°17'E` or `114°17'30"E`, as fine as the step.
    public static func gridLabel(_ value: Double, isLongitude: Bool, step: Double) -> String {
        let hemisphere = isLongitude ? (value < 0 ? "W" : "E") : (value < 0 ? "S" : "N")
        let totalSeconds = Int((abs(value) * 3600).rounded())
        let d = totalSeconds / 3600, m = (totalSeconds % 3600) / 60, s = totalSeconds % 60
        let stepSeconds = Int((step * 3600).rounded())
        if stepSeconds % 3600 == 0 { return "\(d)°\(hemisphere)" }
        if stepSeconds % 60 == 0 { return "\(d)°\(String(format: "%02d", m))'\(hemisphere)" }
        return "\(d)°\(String(format: "%02d", m))'\(String(format: "%02d", s))\"\(hemisphere)"
    }
}
