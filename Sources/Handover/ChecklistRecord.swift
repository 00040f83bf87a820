import GeoIO

/// One row of the level-two field checklist: what level one filled in, in walking order.
public struct ChecklistRecord: Sendable {
    public var seq: Int
    public var candidate: CandidateRecord
    public var code: String
    public var review: String
    /// "known" (with the registry's code) or "new"; "" without a registry.
    public var registry: String
    public var registryCode: String
    public var placement: SiteContext.Placement
    public var crsLabel: String
    public var chips: [String]
}

/// The checklist's columns: pre-filled ones, then the blank field record of HJ 1232-2021 annex 3
/// (入河排污口排查溯源信息表). Allowed values are in the header text, since OGR's XLSX writer has no
/// data-validation drop-downs.
public enum ChecklistColumns {
    public static let prefilled: [FieldDefinition] = [
        .init("序号 seq", .integer),
        .init("临时编码 provisional_code", .string),
        .init("候选编号 candidate_id", .string),
        .init("复核状态 review", .string),
        .init("登记情况 registry (known/new)", .string),
        .init("登记编号 registry_code", .string),
        .init("排入水体名称 receiving_water", .string),
        .init("排入水体水质目标 water_quality_target", .string),
        .init("团镇/街道 administrative_unit", .string),
        .init("经度 CGCS2000 lon", .real),
        .init("纬度 CGCS2000 lat", .real),
        .init("经度 (度分秒) lon_dms", .string),
        .init("纬度 (度分秒) lat_dms", .string),
        .init("X (m)", .real),
        .init("Y (m)", .real),
        .init("投影坐标系 crs", .string),
        .init("重点区域 key_zone (1 km)", .string),
        .init("离岸线距离 shore_distance_m", .real),
        .init("保护区 protected_zone", .string),
        .init("保护区名称 protected_zone_name", .string),
        .init("解译标志 signs", .string),
        .init("置信度 confidence", .real),
        .init("证据 evidence", .string),
        .init("影像切片 chips", .string),
    ]

    /// The blank columns to fill on site.
    public static let blank: [String] = [
        "排水特征 (排水/无水/不确定)",
        "入河方式 (管道/沟渠/涵闸/其他)",
        "排放方式 (连续/间歇)",
        "周边环境 (工厂/矿井/村庄/农田/其他)",
        "异常状况 (黑臭/泡沫/水华/浑浊/无)",
        "影像资料 (照片/视频, 以编码命名)",
        "检测类型 (快速检测/实验室检测/便携仪器)",
        "检测结果 pH",
        "检测结果 COD (mg/L)",
        "检测结果 氨氮 (mg/L)",
        "检测结果 总磷 (mg/L)",
        "废污水排放量 (吨/天)",
        "废水来源",
        "责任主体 (名称/责任人/联系方式)",
        "核查结论 (确认/排除)",
        "核查人",
        "核查日期",
    ]

    public static var all: [FieldDefinition] { prefilled + blank.map { FieldDefinition($0, .string) } }

    static func yesNo(_ b: Bool?) -> String { b.map { $0 ? "是" : "否" } ?? "未知" }

    /// The pre-filled values of a record (blank columns are left null).
    public static func values(_ r: ChecklistRecord) -> [String: FieldValue] {
        let c = r.candidate, p = r.placement
        func round(_ v: Double, _ f: Double) -> FieldValue { .double((v * f).rounded() / f) }
        let v: [FieldValue] = [
            .int(r.seq), .string(r.code), .string(c.id), .string(r.review), .string(r.registry), .string(r.registryCode),
            .string(p.waterName), .string(p.waterTarget), .string(p.unitName),
            round(c.cgcs2000Lon, 1e8), round(c.cgcs2000Lat, 1e8),
            .string(CoordinateText.dms(c.cgcs2000Lon, isLongitude: true)), .string(CoordinateText.dms(c.cgcs2000Lat, isLongitude: false)),
            round(c.x, 1e3), round(c.y, 1e3), .string(r.crsLabel),
            .string(yesNo(p.inKeyZone)), p.shoreDistance.map { round($0, 10) } ?? .null,
            .string(p.zoneNames.isEmpty ? "否" : "是"), .string(p.zoneNames.joined(separator: "; ")),
            .string(c.signs.joined(separator: ",")), round(c.confidence, 1000), .string(c.evidence),
            .string(r.chips.joined(separator: " ")),
        ]
        return Dictionary(uniqueKeysWithValues: zip(prefilled.map(\.name), v))
    }
}
