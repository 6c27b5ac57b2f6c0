//! The layout of a scheme workbook, shared by its reader and writer: the sheets, their
//! columns with the names a header may give them and the note that explains each, and the
//! words a cell may hold. The first name of each is the one written; English is accepted.

use parscore::Ties;
use parscore::file::IndicatorKind;
use parscore::{NaPolicy, RoundingMode, RoundingScope};

use crate::cells::Column;

/// The sheets: the first name is the tab written, the others are accepted.
pub(crate) const CRITERIA_SHEET: &[&str] = &["Tiêu chí", "Bộ tiêu chí", "Criteria"];
pub(crate) const INDICATORS_SHEET: &[&str] = &["Chỉ tiêu", "Indicators"];
pub(crate) const GRADES_SHEET: &[&str] = &["Xếp loại", "Grades"];
pub(crate) const SETTINGS_SHEET: &[&str] = &["Thông tin", "Settings", "Scheme"];
/// Optional sheets laid out as the criteria sheet: the bonus section's row, then its criteria;
/// the penalties section's row, then its penalties.
pub(crate) const BONUS_SHEET: &[&str] = &["Điểm thưởng", "Bonus"];
pub(crate) const PENALTIES_SHEET: &[&str] = &["Điểm trừ", "Penalties"];

/// A column of the criteria sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CriterionField {
    Level,
    Code,
    Title,
    Task,
    Indicator,
    MaxPoints,
    Target,
    Rule,
    Parameters,
    NotApplicable,
    Lead,
    Coordinating,
    Timeline,
    Result,
    Evidence,
}

pub(crate) const CRITERION_COLUMNS: &[Column<CriterionField>] = &[
    Column {
        field: CriterionField::Level,
        names: &["Cấp", "Level"],
    },
    Column {
        field: CriterionField::Code,
        names: &["STT", "Mã", "Mã số", "TT", "Số TT", "Code"],
    },
    Column {
        field: CriterionField::Title,
        names: &[
            "Tiêu chí",
            "Tên tiêu chí",
            "Lĩnh vực/Tiêu chí",
            "Lĩnh vực, tiêu chí, tiêu chí thành phần",
            "Nội dung",
            "Title",
        ],
    },
    Column {
        field: CriterionField::Task,
        names: &["Nhiệm vụ", "Task"],
    },
    Column {
        field: CriterionField::Indicator,
        names: &["Chỉ tiêu", "Mã chỉ tiêu", "Indicator"],
    },
    Column {
        field: CriterionField::MaxPoints,
        names: &["Điểm tối đa", "Điểm chuẩn", "Max points", "max_points"],
    },
    Column {
        field: CriterionField::Target,
        names: &["Mục tiêu", "Target"],
    },
    Column {
        field: CriterionField::Rule,
        names: &["Phương pháp chấm điểm", "Cách chấm điểm", "Rule"],
    },
    Column {
        field: CriterionField::Parameters,
        names: &["Mức điểm", "Thang điểm", "Tham số", "Parameters", "Bands"],
    },
    Column {
        field: CriterionField::NotApplicable,
        names: &[
            "Khi không áp dụng",
            "Không áp dụng",
            "Not applicable",
            "not_applicable",
        ],
    },
    Column {
        field: CriterionField::Lead,
        names: &["Đơn vị chủ trì", "Chủ trì", "Lead"],
    },
    Column {
        field: CriterionField::Coordinating,
        names: &["Đơn vị phối hợp", "Phối hợp", "Coordinating"],
    },
    Column {
        field: CriterionField::Timeline,
        names: &["Tiến độ", "Thời gian hoàn thành", "Timeline"],
    },
    Column {
        field: CriterionField::Result,
        names: &["Kết quả/sản phẩm", "Kết quả", "Sản phẩm", "Result"],
    },
    Column {
        field: CriterionField::Evidence,
        names: &["Tài liệu kiểm chứng", "Evidence"],
    },
];

impl CriterionField {
    /// The scheme key the column holds, as problems name it.
    pub fn key(self) -> &'static str {
        match self {
            CriterionField::Level => "level",
            CriterionField::Code => "code",
            CriterionField::Title => "title",
            CriterionField::Task => "task",
            CriterionField::Indicator => "indicator",
            CriterionField::MaxPoints => "max_points",
            CriterionField::Target => "target",
            CriterionField::Rule => "rule",
            CriterionField::Parameters => "bands",
            CriterionField::NotApplicable => "not_applicable",
            CriterionField::Lead => "lead",
            CriterionField::Coordinating => "coordinating",
            CriterionField::Timeline => "timeline",
            CriterionField::Result => "result",
            CriterionField::Evidence => "evidence",
        }
    }

    /// What the column's header note says.
    pub fn note(self) -> &'static str {
        match self {
            CriterionField::Level => {
                "Cấp: 1 cho lĩnh vực, 2 cho tiêu chí, 3 cho tiêu chí thành phần… Để trống thì \
                 cấp là số phần của mã (I → 1, I.1 → 2, I.1.a → 3)."
            }
            CriterionField::Code => {
                "Mã (STT) đầy đủ, duy nhất trong bộ tiêu chí: I, I.1, I.1.a. Mỗi dòng con đứng \
                 sau dòng cha của nó."
            }
            CriterionField::Title => "Tên lĩnh vực, tiêu chí hoặc tiêu chí thành phần.",
            CriterionField::Task => "Nhiệm vụ theo kế hoạch (không bắt buộc).",
            CriterionField::Indicator => {
                "Mã chỉ tiêu được chấm (khai báo ở trang Chỉ tiêu). Chỉ dòng được chấm điểm có; \
                 dòng lĩnh vực, nhóm để trống."
            }
            CriterionField::MaxPoints => {
                "Điểm tối đa. Bắt buộc ở dòng được chấm điểm; ở dòng nhóm, nếu ghi, phải bằng \
                 tổng điểm tối đa của các dòng con."
            }
            CriterionField::Target => {
                "Mục tiêu: >= 99, ≥ 99%, <= @dinh_muc, == 0, hoặc có / không. Trong Excel, gõ \
                 dấu ' trước một mục tiêu bắt đầu bằng = ('== 0)."
            }
            CriterionField::Rule => {
                "Phương pháp chấm điểm: đạt/không đạt, tỷ lệ × điểm tối đa, theo mức, có/không, \
                 điểm trực tiếp, trừ điểm. Có thể ghi thẳng các mức (từ 99%: 2; dưới 99%: 0)."
            }
            CriterionField::Parameters => {
                "Mức điểm. Theo mức: từ 99%: 2; từ 95% đến dưới 99%: 1; dưới 95%: 0 (mỗi mức \
                 một dòng hoặc cách nhau bởi ;). Đạt/không đạt: đạt: 1; không đạt: 0,25. Tỷ lệ: \
                 sàn: 20; đủ điểm từ: 80. Trừ điểm: mỗi lần: 0,25; trừ tối đa: 1."
            }
            CriterionField::NotApplicable => {
                "Khi không áp dụng (giá trị n/a, hoặc mẫu số bằng 0): loại trừ (bỏ khỏi điểm tối \
                 đa) hoặc đủ điểm. Để trống thì theo trang Thông tin."
            }
            CriterionField::Lead => "Đơn vị chủ trì thực hiện.",
            CriterionField::Coordinating => "Đơn vị phối hợp.",
            CriterionField::Timeline => "Tiến độ, thời gian hoàn thành.",
            CriterionField::Result => "Kết quả, sản phẩm dự kiến.",
            CriterionField::Evidence => "Tài liệu kiểm chứng đơn vị phải nộp kèm tự đánh giá.",
        }
    }

    /// The column's width, in characters.
    pub fn width(self) -> f64 {
        match self {
            CriterionField::Level => 6.0,
            CriterionField::Code => 10.0,
            CriterionField::Title | CriterionField::Task => 48.0,
            CriterionField::Indicator => 28.0,
            CriterionField::MaxPoints => 10.0,
            CriterionField::Target => 12.0,
            CriterionField::Rule => 20.0,
            CriterionField::Parameters => 36.0,
            CriterionField::NotApplicable => 14.0,
            CriterionField::Result | CriterionField::Evidence => 40.0,
            CriterionField::Lead | CriterionField::Coordinating | CriterionField::Timeline => 24.0,
        }
    }
}

/// A column of the indicators sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IndicatorField {
    Id,
    Title,
    Kind,
    Numerator,
    Denominator,
    Baseline,
    Current,
    Min,
    Max,
}

pub(crate) const INDICATOR_COLUMNS: &[Column<IndicatorField>] = &[
    Column {
        field: IndicatorField::Id,
        names: &["Mã chỉ tiêu", "Mã", "Id"],
    },
    Column {
        field: IndicatorField::Title,
        names: &["Tên chỉ tiêu", "Tên", "Title"],
    },
    Column {
        field: IndicatorField::Kind,
        names: &["Loại", "Kind"],
    },
    Column {
        field: IndicatorField::Numerator,
        names: &["Tử số", "Numerator"],
    },
    Column {
        field: IndicatorField::Denominator,
        names: &["Mẫu số", "Denominator"],
    },
    Column {
        field: IndicatorField::Baseline,
        names: &["Kỳ gốc", "Năm gốc", "Baseline"],
    },
    Column {
        field: IndicatorField::Current,
        names: &["Hiện tại", "Current"],
    },
    Column {
        field: IndicatorField::Min,
        names: &["Tối thiểu", "Min"],
    },
    Column {
        field: IndicatorField::Max,
        names: &["Tối đa", "Max"],
    },
];

impl IndicatorField {
    /// The scheme key the column holds, as problems name it.
    pub fn key(self) -> &'static str {
        match self {
            IndicatorField::Id => "id",
            IndicatorField::Title => "title",
            IndicatorField::Kind => "kind",
            IndicatorField::Numerator => "numerator",
            IndicatorField::Denominator => "denominator",
            IndicatorField::Baseline => "baseline",
            IndicatorField::Current => "current",
            IndicatorField::Min => "min",
            IndicatorField::Max => "max",
        }
    }

    pub fn note(self) -> &'static str {
        match self {
            IndicatorField::Id => {
                "Mã chỉ tiêu: chữ, số và _, không dấu cách, duy nhất. Tiêu chí và cột nhập liệu \
                 gọi chỉ tiêu bằng mã này."
            }
            IndicatorField::Title => "Tên chỉ tiêu, làm tiêu đề cột trong mẫu nhập liệu.",
            IndicatorField::Kind => {
                "Loại: tỷ lệ % (0–100), số lượng (số nguyên ≥ 0), có/không, điểm (điểm khảo sát, \
                 thẩm định), số (số bất kỳ)."
            }
            IndicatorField::Numerator => {
                "Tỷ lệ tính từ hai chỉ tiêu số lượng: mã chỉ tiêu tử số (cùng mẫu số)."
            }
            IndicatorField::Denominator => {
                "Mã chỉ tiêu mẫu số; mẫu số bằng 0 thì tiêu chí không áp dụng."
            }
            IndicatorField::Baseline => {
                "Tỷ lệ giảm so với kỳ gốc: mã chỉ tiêu số lượng kỳ gốc (cùng Hiện tại)."
            }
            IndicatorField::Current => "Mã chỉ tiêu số lượng hiện tại.",
            IndicatorField::Min => "Giá trị nhỏ nhất được nhận (không bắt buộc).",
            IndicatorField::Max => "Giá trị lớn nhất được nhận (không bắt buộc).",
        }
    }

    pub fn width(self) -> f64 {
        match self {
            IndicatorField::Id => 34.0,
            IndicatorField::Title => 60.0,
            IndicatorField::Kind => 12.0,
            _ => 16.0,
        }
    }
}

/// A column of the grades sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum GradeField {
    Name,
    MinIndex,
}

pub(crate) const GRADE_COLUMNS: &[Column<GradeField>] = &[
    Column {
        field: GradeField::Name,
        names: &["Xếp loại", "Grade", "Name"],
    },
    Column {
        field: GradeField::MinIndex,
        names: &["Chỉ số từ", "Min index", "min_index"],
    },
];

/// A row of the settings sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Setting {
    Id,
    Title,
    Version,
    Estimated,
    Provenance,
    NotApplicable,
    Places,
    Mode,
    Apply,
    IndexAbove100,
    Ties,
    TieBreak,
}

pub(crate) const SETTINGS: &[Column<Setting>] = &[
    Column {
        field: Setting::Id,
        names: &["Mã bộ tiêu chí", "Mã", "Id"],
    },
    Column {
        field: Setting::Title,
        names: &["Tên bộ tiêu chí", "Tên", "Title"],
    },
    Column {
        field: Setting::Version,
        names: &["Phiên bản", "Version"],
    },
    Column {
        field: Setting::Estimated,
        names: &["Điểm ước tính", "Ước tính", "Estimated"],
    },
    Column {
        field: Setting::Provenance,
        names: &["Nguồn", "Provenance"],
    },
    Column {
        field: Setting::NotApplicable,
        names: &["Khi không áp dụng", "Không áp dụng", "not_applicable"],
    },
    Column {
        field: Setting::Places,
        names: &["Số chữ số thập phân", "Places"],
    },
    Column {
        field: Setting::Mode,
        names: &["Cách làm tròn", "Mode"],
    },
    Column {
        field: Setting::Apply,
        names: &["Làm tròn ở", "Apply"],
    },
    Column {
        field: Setting::IndexAbove100,
        names: &["Chỉ số được vượt 100", "index_above_100"],
    },
    Column {
        field: Setting::Ties,
        names: &["Khi bằng chỉ số", "Ties"],
    },
    Column {
        field: Setting::TieBreak,
        names: &["Thứ tự xét khi bằng điểm", "Tie break", "tie_break"],
    },
];

/// The header of the settings sheet, which readers pass over.
pub(crate) const SETTINGS_HEADER: [&str; 3] = ["Mục", "Giá trị", "Giải thích"];

impl Setting {
    pub fn key(self) -> &'static str {
        match self {
            Setting::Id => "id",
            Setting::Title => "title",
            Setting::Version => "version",
            Setting::Estimated => "estimated",
            Setting::Provenance => "provenance",
            Setting::NotApplicable => "not_applicable",
            Setting::Places => "places",
            Setting::Mode => "mode",
            Setting::Apply => "apply",
            Setting::IndexAbove100 => "index_above_100",
            Setting::Ties => "ties",
            Setting::TieBreak => "tie_break",
        }
    }

    pub fn note(self) -> &'static str {
        match self {
            Setting::Id => "Mã bộ tiêu chí, ví dụ lang-son-snn-2024; báo cáo ghi mã này.",
            Setting::Title => "Tên bộ tiêu chí.",
            Setting::Version => "Phiên bản của bộ tiêu chí.",
            Setting::Estimated => {
                "có nếu điểm là ước tính, không phải bộ tiêu chí chính thức; mọi báo cáo sẽ ghi rõ."
            }
            Setting::Provenance => "Nguồn: văn bản ban hành bộ tiêu chí, cách tính điểm.",
            Setting::NotApplicable => {
                "Khi một tiêu chí không áp dụng: loại trừ (bỏ khỏi điểm tối đa, quy đổi chỉ số) \
                 hoặc đủ điểm. Mặc định: loại trừ."
            }
            Setting::Places => "Số chữ số thập phân của chỉ số khi báo cáo (0–10; mặc định 2).",
            Setting::Mode => "Cách làm tròn: nửa lên (mặc định), nửa chẵn, cắt bỏ.",
            Setting::Apply => {
                "Làm tròn ở: báo cáo (chỉ chỉ số báo cáo, mặc định) hoặc từng tiêu chí (điểm mỗi \
                 tiêu chí làm tròn trước khi cộng)."
            }
            Setting::IndexAbove100 => {
                "có nếu điểm thưởng (trang Điểm thưởng) được đưa tổng điểm vượt điểm tối đa, chỉ \
                 số vượt 100; mặc định: không, tổng điểm dừng ở điểm tối đa."
            }
            Setting::Ties => {
                "Hai đơn vị bằng điểm khi: chỉ số báo cáo (đã làm tròn, mặc định) bằng nhau, hoặc \
                 chỉ số chính xác bằng nhau."
            }
            Setting::TieBreak => {
                "Khi bằng điểm, xét điểm của các mã này theo thứ tự (cao hơn xếp trên), cách \
                 nhau bởi dấu ;, ví dụ: VIII; III. Vẫn bằng nhau thì đồng hạng."
            }
        }
    }
}

/// A rule's kind, as the rule column names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleKind {
    Threshold,
    Proportional,
    Bands,
    Boolean,
    Given,
    Deduction,
}

pub(crate) const RULE_KINDS: &[(RuleKind, &[&str])] = &[
    (
        RuleKind::Threshold,
        &["đạt/không đạt", "threshold", "ngưỡng"],
    ),
    (
        RuleKind::Proportional,
        &[
            "tỷ lệ × điểm tối đa",
            "tỷ lệ x điểm tối đa",
            "tỷ lệ * điểm tối đa",
            "theo tỷ lệ",
            "tỷ lệ",
            "proportional",
        ],
    ),
    (RuleKind::Bands, &["theo mức", "mức", "bands"]),
    (RuleKind::Boolean, &["có/không", "boolean"]),
    (
        RuleKind::Given,
        &["điểm trực tiếp", "điểm khảo sát", "given"],
    ),
    (RuleKind::Deduction, &["trừ điểm", "deduction"]),
];

pub(crate) const INDICATOR_KINDS: &[(IndicatorKind, &[&str])] = &[
    (
        IndicatorKind::Percent,
        &["tỷ lệ %", "tỷ lệ", "phần trăm", "percent"],
    ),
    (IndicatorKind::Count, &["số lượng", "count"]),
    (IndicatorKind::Bool, &["có/không", "bool"]),
    (IndicatorKind::Points, &["điểm", "points"]),
    (IndicatorKind::Number, &["số", "number"]),
];

pub(crate) const NA_POLICIES: &[(NaPolicy, &[&str])] = &[
    (NaPolicy::Exclude, &["loại trừ", "exclude"]),
    (NaPolicy::FullPoints, &["đủ điểm", "full_points"]),
];

pub(crate) const ROUNDING_MODES: &[(RoundingMode, &[&str])] = &[
    (RoundingMode::HalfUp, &["nửa lên", "half_up"]),
    (RoundingMode::HalfEven, &["nửa chẵn", "half_even"]),
    (RoundingMode::Down, &["cắt bỏ", "down"]),
];

pub(crate) const TIES: &[(Ties, &[&str])] = &[
    (Ties::Reported, &["chỉ số báo cáo", "reported"]),
    (Ties::Exact, &["chỉ số chính xác", "exact"]),
];

pub(crate) const ROUNDING_SCOPES: &[(RoundingScope, &[&str])] = &[
    (RoundingScope::Report, &["báo cáo", "report"]),
    (RoundingScope::Criterion, &["từng tiêu chí", "criterion"]),
];

/// The written name of a word of a vocabulary.
pub(crate) fn name_of<T: PartialEq>(
    words: &[(T, &'static [&'static str])],
    value: T,
) -> &'static str {
    words
        .iter()
        .find(|(v, _)| *v == value)
        .map_or("", |(_, names)| names[0])
}

/// The written names of a vocabulary, for a list validation.
pub(crate) fn names<T>(words: &[(T, &'static [&'static str])]) -> Vec<&'static str> {
    words.iter().map(|(_, names)| names[0]).collect()
}
