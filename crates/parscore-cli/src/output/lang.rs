//! The words of the outputs people read (the terminal table, the Markdown, HTML and Excel
//! reports) in Vietnamese, the default, and in English: every label once, in one table, and
//! the sentences that carry figures beside it. CSV and JSON are for programs and keep their
//! English keys.
//!
//! The Vietnamese terms are those the PAR Index instruments use: Chỉ số CCHC, điểm đạt,
//! điểm tối đa, xếp loại, xếp hạng, tiêu chí không đạt, đơn vị chủ trì, đơn vị phối hợp,
//! tiến độ, chưa có số liệu, không áp dụng, điểm thưởng, điểm trừ, đồng hạng.

use clap::ValueEnum;

/// The language of the outputs for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    /// Vietnamese: `90,57`, thousands with `.`.
    #[default]
    Vi,
    /// English: `90.57`.
    En,
}

macro_rules! labels {
    ($($(#[$doc:meta])* $name:ident => $vi:literal, $en:literal;)*) => {
        /// A fixed piece of text of the outputs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Label {
            $($(#[$doc])* $name,)*
        }

        impl Label {
            /// Every label, for the test that none is empty or left untranslated.
            #[cfg(test)]
            pub const ALL: &[Label] = &[$(Label::$name,)*];

            fn texts(self) -> (&'static str, &'static str) {
                match self {
                    $(Label::$name => ($vi, $en),)*
                }
            }
        }
    };
}

labels! {
    ReportTitle => "Báo cáo Chỉ số CCHC", "PAR Index report";
    EstimatedBanner => "ĐIỂM ƯỚC TÍNH — KHÔNG PHẢI ĐIỂM CHÍNH THỨC.", "ESTIMATED POINTS — NOT OFFICIAL.";
    EstimatedTable => "(điểm ƯỚC TÍNH, không chính thức)", "(ESTIMATED points, not official)";
    EstimatedSheet => "ĐIỂM ƯỚC TÍNH — KHÔNG PHẢI ĐIỂM CHÍNH THỨC: điểm của bộ tiêu chí này là ước tính.",
        "ESTIMATED POINTS — NOT OFFICIAL: the scheme's points are an estimate.";
    Rank => "xếp hạng", "rank";
    Unit => "đơn vị", "unit";
    Units => "Các đơn vị", "Units";
    UnitCount => "số đơn vị", "units";
    Period => "kỳ", "period";
    Points => "điểm đạt", "points";
    MaxPoints => "điểm tối đa", "max";
    Index => "Chỉ số", "index";
    IndexHeading => "Chỉ số", "Index";
    MeanIndex => "Chỉ số bình quân", "mean index";
    Grade => "xếp loại", "grade";
    Status => "trạng thái", "status";
    StatusOk => "đã chấm", "ok";
    StatusError => "lỗi", "error";
    Missing => "chưa có số liệu", "missing";
    MissingPoints => "điểm chưa có số liệu", "missing points";
    AreaChart => "Điểm đạt và điểm bị mất theo lĩnh vực", "Points and lost points per area";
    Area => "lĩnh vực", "area";
    Title => "nội dung", "title";
    LostPoints => "điểm bị mất", "lost points";
    BarPoints => "điểm đạt", "points";
    BarLegend => "█ điểm đạt, ░ điểm bị mất.", "█ points, ░ lost points.";
    FailingTargets => "Tiêu chí không đạt theo đơn vị chủ trì", "Failing targets by lead unit";
    Criterion => "tiêu chí", "criterion";
    Code => "mã", "code";
    Indicator => "mã chỉ số", "indicator";
    Value => "giá trị", "value";
    Target => "chỉ tiêu", "target";
    Passed => "đạt", "passed";
    Margin => "chênh lệch", "margin";
    Timeline => "tiến độ", "timeline";
    LeadUnit => "đơn vị chủ trì", "lead unit";
    CoordinatingUnits => "đơn vị phối hợp", "coordinating units";
    NoLeadUnit => "(bộ tiêu chí không nêu đơn vị chủ trì)", "(no lead unit in the scheme)";
    Recoverable => "Điểm có thể khôi phục nhiều nhất", "Largest recoverable points";
    RecoverablePoints => "điểm có thể khôi phục", "recoverable";
    NothingToRecover => "Không còn điểm nào có thể khôi phục.", "No points to recover.";
    Gaps => "Tiêu chí chưa có số liệu (tính 0 điểm)", "Missing values (scored 0)";
    NoValueFor => "chưa có số liệu cho", "no value for";
    Errors => "Các dòng có lỗi", "Rows with errors";
    Place => "vị trí", "where";
    Error => "lỗi", "error";
    Explanation => "giải thích", "explanation";
    Row => "dòng", "row";
    Source => "nguồn", "source";
    Provenance => "Nguồn gốc bộ tiêu chí", "Provenance";
    ProvenanceLink => "nguồn gốc", "provenance";
    Scheme => "bộ tiêu chí", "scheme";
    Id => "mã", "id";
    Version => "phiên bản", "version";
    PointsKind => "điểm", "points";
    Estimated => "ước tính", "estimated";
    NotOfficial => ", không phải phương pháp chính thức", ", not an official methodology";
    Official => "theo bộ tiêu chí (chính thức)", "as the scheme states them (official)";
    Maximum => "điểm tối đa", "maximum";
    Rounding => "làm tròn", "rounding";
    Grades => "xếp loại", "grades";
    MadeBy => "lập bằng", "made by";
    Yes => "có", "true";
    No => "không", "false";
    NotApplicable => "không áp dụng", "n/a";
    Scored => "đã chấm", "scored";
    NotApplicableStatus => "không áp dụng", "not_applicable";
    SheetResults => "Kết quả", "Results";
    SheetCriteria => "Tiêu chí", "Criteria";
    SheetFailing => "Tiêu chí không đạt", "Failing targets";
    SheetGaps => "Chưa có số liệu", "Missing values";
    SheetScheme => "Bộ tiêu chí", "Scheme";
    NoIndex => "không có Chỉ số (không tiêu chí nào áp dụng)", "no index (no criterion applies)";
    Distribution => "Phân bố Chỉ số", "Distribution of the index";
    IndexRange => "Chỉ số", "index";
    Share => "tỷ lệ", "share";
    GradesHeading => "Xếp loại", "Grades";
    BestUnits => "Các đơn vị có Chỉ số cao nhất", "Highest index";
    WorstUnits => "Các đơn vị có Chỉ số thấp nhất", "Lowest index";
    MostFailed => "Các tiêu chí không đạt nhiều nhất", "Criteria most often failed";
    UnitsFailing => "số đơn vị không đạt", "units failing";
    UnitsMissing => "số đơn vị chưa có số liệu", "units without input";
    SheetSummary => "Tổng hợp", "Summary";
    SheetBest => "Cao nhất", "Highest";
    SheetWorst => "Thấp nhất", "Lowest";
    SheetMostFailed => "Không đạt nhiều nhất", "Most failed";
    SheetErrors => "Dòng lỗi", "Errors";
    // `compare`: two evaluations side by side.
    CompareTitle => "So sánh Chỉ số CCHC", "PAR Index comparison";
    Difference => "chênh lệch", "difference";
    Changes => "thay đổi", "changes";
    ChangeNewlyFailed => "mới không đạt", "newly failed";
    ChangeNewlyPassed => "mới đạt", "newly passed";
    ChangeDown => "giảm", "down";
    ChangeUp => "tăng", "up";
    ChangeSame => "không đổi", "same";
    CriteriaChanged => "Tiêu chí thay đổi (chênh lệch lớn nhất trước)", "Criteria that changed (largest first)";
    NoCriterionChanged => "Không có tiêu chí nào thay đổi.", "No criterion changed.";
    AreaChanges => "Thay đổi điểm theo lĩnh vực", "Change of points per area";
    RankMoves => "Thay đổi xếp hạng", "Rank moves";
    AppraisalList => "Tiêu chí bị hạ điểm khi thẩm định", "Criteria the appraisal lowered";
    NothingLowered => "Không có tiêu chí nào bị hạ điểm.", "No criterion was lowered.";
    ExplanationDue => "cần giải trình", "explanation due";
    NotCompared => "Không so sánh được", "Not compared";
    SheetCompare => "So sánh", "Comparison";
    SheetAppraisal => "Giải trình", "Explanations";
    // `records track`: the year from mid-year records.
    TrackTitle => "Theo dõi chỉ tiêu trong năm từ hồ sơ TTHC", "Tracking the year's targets from the dossier records";
    SoFar => "đến nay", "so far";
    Expected => "dự kiến còn lại", "expected";
    Needed => "cần đạt", "needed";
    ExpectedFrom => "căn cứ dự kiến", "expected from";
    FromGiven => "số đã cho", "given";
    FromPreviousYear => "cùng kỳ năm trước", "previous year";
    FromPace => "nhịp độ đến nay", "pace so far";
    Secured => "chắc chắn đạt", "secured";
    OnTrack => "đúng hướng", "on track";
    AtRisk => "có nguy cơ", "at risk";
    Impossible => "không thể đạt", "impossible";
    Trend => "Diễn biến theo tháng", "Month by month";
    Month => "tháng", "month";
    MonthCount => "trong tháng", "in the month";
    YearToDate => "lũy kế", "year to date";
    Untracked => "Không theo dõi được", "Not tracked";
    Reason => "lý do", "reason";
    Rate => "tỷ lệ", "rate";
    // `parscore sensitivity`: the handbook's terms (JRC/OECD), as Vietnamese statistics
    // writes them.
    UncertaintyTitle => "Độ tin cậy của Chỉ số CCHC: phân tích độ bất định và độ nhạy",
        "How sure the PAR Index is: uncertainty and sensitivity analysis";
    Samples => "số mẫu", "samples";
    Seed => "hạt giống ngẫu nhiên (seed)", "seed";
    Model => "mô hình bất định", "uncertainty model";
    FactorLevel => "yếu tố của tỷ trọng phương sai", "factors of the variance shares";
    FactorAreas => "mỗi lĩnh vực một yếu tố", "one per area";
    FactorCriteria => "mỗi tiêu chí một yếu tố", "one per criterion";
    P05 => "p5", "p5";
    P50 => "p50 (trung vị)", "p50 (median)";
    P95 => "p95", "p95";
    GradeProbability => "xác suất xếp loại", "grade probability";
    RankRange => "xếp hạng p5–p95", "rank p5–p95";
    FanChart => "Chỉ số của từng đơn vị: khoảng p5–p95, trung vị và ngưỡng xếp loại",
        "Each unit's index: the p5–p95 band, the median and the grade thresholds";
    FanLegend => "dải: p5–p95; vạch: trung vị (p50); chấm: Chỉ số theo bộ tiêu chí; đường đứt: ngưỡng xếp loại.",
        "band: p5–p95; bar: median (p50); dot: the index under the scheme as it is; dashed lines: grade thresholds.";
    RankChart => "Độ ổn định của xếp hạng", "Rank stability";
    RankLegend => "ô đậm hơn: hạng có xác suất cao hơn; khung: hạng p5–p95; chấm: xếp hạng theo bộ tiêu chí.",
        "darker cell: a likelier rank; frame: rank p5–p95; dot: the rank under the scheme as it is.";
    VarianceShares => "Tỷ trọng phương sai theo yếu tố", "Variance shares per factor";
    Factor => "yếu tố", "factor";
    FirstOrder => "Chỉ số: bậc một", "index: first-order";
    TotalEffect => "Chỉ số: toàn phần", "index: total effect";
    RankFirstOrder => "xếp hạng: bậc một", "rank: first-order";
    RankTotalEffect => "xếp hạng: toàn phần", "rank: total effect";
    StandardError => "sai số chuẩn", "standard error";
    NotApplicableChoice => "cách tính tiêu chí không áp dụng", "the not-applicable policy";
    RoundingChoice => "cách làm tròn", "the rounding";
    SheetUncertainty => "Độ bất định", "Uncertainty";
    SheetShares => "Tỷ trọng phương sai", "Variance shares";
    SheetSettings => "Thiết lập", "Settings";
    BonusPoints => "điểm thưởng", "bonus";
    PenaltyPoints => "điểm trừ", "penalty";
    Sections => "Điểm thưởng và điểm trừ", "Bonus and penalty points";
    Section => "mục", "section";
    UnitsGiven => "số đơn vị được cộng/bị trừ", "units given points";
    SectionTotal => "tổng số điểm", "total points";
    SectionLargest => "nhiều nhất một đơn vị", "most for one unit";
    SheetSections => "Điểm thưởng, điểm trừ", "Bonus and penalty";
    Ties => "khi bằng điểm", "ties";
}

impl Lang {
    /// The label in this language.
    pub fn label(self, label: Label) -> &'static str {
        let (vi, en) = label.texts();
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The `lang` attribute of an HTML page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// A number written as readers of the language expect, from its exact decimal text
    /// (`-1234.5` → `-1.234,5` in Vietnamese): the digits are moved, never recomputed. Text
    /// that is not a plain number is returned as it is.
    pub fn number(self, text: &str) -> String {
        match self {
            Lang::En => text.to_string(),
            Lang::Vi => vietnamese_number(text).unwrap_or_else(|| text.to_string()),
        }
    }

    /// `Xuất sắc từ 90` / `Xuất sắc from 90`.
    pub fn grade_from(self, grade: &str, min: &str) -> String {
        match self {
            Lang::Vi => format!("{grade} từ {}", self.number(min)),
            Lang::En => format!("{grade} from {min}"),
        }
    }

    /// How the scheme rounds: places, mode and scope, already in words.
    pub fn rounding(self, places: u32, mode: RoundingWords, scope: ScopeWords) -> String {
        match self {
            Lang::Vi => format!(
                "{places} chữ số thập phân, {}, áp dụng cho {}",
                match mode {
                    RoundingWords::HalfUp => "làm tròn lên từ 5",
                    RoundingWords::HalfEven => "làm tròn về số chẵn",
                    RoundingWords::Down => "cắt bỏ phần thừa",
                },
                match scope {
                    ScopeWords::Report => "chỉ số báo cáo",
                    ScopeWords::Criterion => "điểm từng tiêu chí",
                }
            ),
            Lang::En => format!(
                "{places} decimal places, {}, applied to {}",
                match mode {
                    RoundingWords::HalfUp => "half up",
                    RoundingWords::HalfEven => "half to even",
                    RoundingWords::Down => "down",
                },
                match scope {
                    ScopeWords::Report => "the reported index",
                    ScopeWords::Criterion => "each criterion's points",
                }
            ),
        }
    }

    /// `12,50 / 20,00 điểm` / `12.50 of 20.00 points` (figures already written).
    pub fn points_of(self, points: &str, max: &str) -> String {
        match self {
            Lang::Vi => format!("{points} / {max} điểm"),
            Lang::En => format!("{points} of {max} points"),
        }
    }

    /// `mất 1,60` / `lost 1.60`, after an area's points.
    pub fn lost(self, points: &str) -> String {
        match self {
            Lang::Vi => format!("mất {points}"),
            Lang::En => format!("lost {points}"),
        }
    }

    /// `100,00 điểm` / `100.00 points`.
    pub fn points_count(self, points: &str) -> String {
        match self {
            Lang::Vi => format!("{points} điểm"),
            Lang::En => format!("{points} points"),
        }
    }

    /// `12,50 / 20,00 điểm, mất 7,50` for a chart's tooltip.
    pub fn points_lost(self, points: &str, max: &str, lost: &str) -> String {
        match self {
            Lang::Vi => format!("{points} / {max} điểm, mất {lost}"),
            Lang::En => format!("{points} of {max} points, {lost} lost"),
        }
    }

    /// `1,50 (tối đa 2,00)` / `1.50 (at most 2.00)`: a section's points and its cap.
    pub fn at_most(self, points: &str, cap: &str) -> String {
        match self {
            Lang::Vi => format!("{points} (tối đa {cap})"),
            Lang::En => format!("{points} (at most {cap})"),
        }
    }

    /// What the bonus section does, its cap already written.
    pub fn bonus_rule(self, cap: &str, above_100: bool) -> String {
        match (self, above_100) {
            (Lang::Vi, false) => format!(
                "tối đa {cap} điểm, cộng vào tổng điểm, ngoài điểm tối đa; tổng điểm không vượt \
                 quá điểm tối đa (chỉ số không quá 100)"
            ),
            (Lang::Vi, true) => format!(
                "tối đa {cap} điểm, cộng vào tổng điểm, ngoài điểm tối đa; chỉ số có thể vượt 100"
            ),
            (Lang::En, false) => format!(
                "at most {cap} points, added to the total, outside the maximum; the total stops \
                 at the maximum (the index at 100)"
            ),
            (Lang::En, true) => format!(
                "at most {cap} points, added to the total, outside the maximum; the index may \
                 pass 100"
            ),
        }
    }

    /// What the penalties section does, its cap already written.
    pub fn penalty_rule(self, cap: &str) -> String {
        match self {
            Lang::Vi => format!("tối đa {cap} điểm, trừ vào tổng điểm (không dưới 0)"),
            Lang::En => format!("at most {cap} points, taken from the total (never below 0)"),
        }
    }

    /// How ties are ranked: by the exact index and by the points of the `tie_break` codes.
    pub fn tie_rule(self, exact: bool, tie_break: &[String]) -> String {
        let (index, points, then) = match self {
            Lang::Vi => ("chỉ số chính xác", "điểm", ", rồi "),
            Lang::En => ("the exact index", "the points of", ", then "),
        };
        let mut by: Vec<String> = Vec::new();
        if exact {
            by.push(index.into());
        }
        by.extend(tie_break.iter().map(|code| format!("{points} {code}")));
        let by = by.join(then);
        match self {
            Lang::Vi => format!(
                "chỉ số báo cáo bằng nhau thì xét {by}: cao hơn xếp trên; vẫn bằng nhau thì \
                 đồng hạng"
            ),
            Lang::En => format!(
                "an equal reported index is decided by {by}: higher ranks first; still equal, \
                 units share a rank"
            ),
        }
    }

    /// `xếp hạng 4/5` / `rank 4 of 5`.
    pub fn rank_of(self, rank: usize, ranked: usize) -> String {
        match self {
            Lang::Vi => format!("xếp hạng {rank}/{ranked}"),
            Lang::En => format!("rank {rank} of {ranked}"),
        }
    }

    /// The gaps of one unit: `55 tiêu chí chưa có số liệu (68,50 điểm)`.
    pub fn gaps(self, count: usize, points: &str) -> String {
        match self {
            Lang::Vi => format!("{count} tiêu chí chưa có số liệu ({points} điểm)"),
            Lang::En => format!(
                "{count} {} without input ({points} points)",
                if count == 1 { "criterion" } else { "criteria" }
            ),
        }
    }

    /// The gaps of a batch, for a report's headline.
    pub fn batch_gaps(self, units: usize, of: usize, criteria: usize) -> String {
        match self {
            Lang::Vi => format!(
                "{units}/{of} đơn vị có tiêu chí chưa có số liệu ({criteria} tiêu chí, tính 0 \
                 điểm): điểm và xếp loại của các đơn vị này có thể thấp hơn thực tế."
            ),
            Lang::En => format!(
                "{units} of {of} {} criteria without input ({criteria} {}, scored 0): {} \
                 points and grades may be understated.",
                if units == 1 { "unit has" } else { "units have" },
                if criteria == 1 {
                    "criterion"
                } else {
                    "criteria"
                },
                if units == 1 { "its" } else { "their" }
            ),
        }
    }

    /// `5 scored, 0 with errors`.
    pub fn scored_and_errors(self, ok: usize, errors: usize) -> String {
        match self {
            Lang::Vi => format!("{ok} đã chấm, {errors} có lỗi"),
            Lang::En => format!("{ok} scored, {errors} with errors"),
        }
    }

    /// The table's summary line before its grades: `5 units: 5 ok, 0 with errors`.
    pub fn table_summary(self, units: usize, ok: usize, errors: usize) -> String {
        match self {
            Lang::Vi => format!("{units} đơn vị: {ok} đã chấm, {errors} có lỗi"),
            Lang::En => format!("{units} units: {ok} ok, {errors} with errors"),
        }
    }

    /// The headline of a batch: the mean index over the units scored, then the grades.
    pub fn mean_headline(self, mean: &str) -> String {
        match self {
            Lang::Vi => format!("Chỉ số bình quân {mean}"),
            Lang::En => format!("Mean index {mean}"),
        }
    }

    /// What follows the mean index in a report's headline.
    pub fn mean_over(self, ok: usize, errors: usize, grades: &str) -> String {
        match self {
            Lang::Vi => format!("của {ok} đơn vị đã chấm ({errors} có lỗi). Xếp loại: {grades}."),
            Lang::En => format!("over {ok} scored units ({errors} with errors). Grades: {grades}."),
        }
    }

    /// The headline of a single unit: `Sở A: Chỉ số 90,57, xếp loại Xuất sắc`.
    pub fn unit_headline(self, unit: &str, index: &str, grade: &str) -> String {
        match self {
            Lang::Vi => format!("{unit}: Chỉ số {index}, xếp loại {grade}"),
            Lang::En => format!("{unit}: index {index}, grade {grade}"),
        }
    }

    /// When the report leaves the units' details out for the size of the batch.
    pub fn details_omitted(self, limit: usize, units: usize) -> String {
        match self {
            Lang::Vi => format!(
                "Chi tiết từng đơn vị chỉ hiển thị khi có tối đa {limit} đơn vị; báo cáo này có \
                 {units}. `parscore explain --unit UNIT` giải thích một đơn vị, và \
                 `--format xlsx` liệt kê các tiêu chí của mọi đơn vị."
            ),
            Lang::En => format!(
                "Details per unit are shown for up to {limit} units; this report has {units}. \
                 `parscore explain --unit UNIT` explains one unit, and `--format xlsx` lists \
                 every unit's criteria."
            ),
        }
    }

    /// A range of the index's distribution: `từ 80 đến dưới 90`; the last takes its top.
    pub fn range(self, low: usize, high: usize, last: bool) -> String {
        match (self, last) {
            (Lang::Vi, false) => format!("từ {low} đến dưới {high}"),
            (Lang::Vi, true) => format!("từ {low} đến {high}"),
            (Lang::En, false) => format!("{low} to under {high}"),
            (Lang::En, true) => format!("{low} to {high}"),
        }
    }

    /// A count of units or rows, its thousands grouped as the language groups them.
    pub fn count(self, n: usize) -> String {
        self.number(&n.to_string())
    }

    /// Why a report summarises the batch instead of showing each unit.
    pub fn summary_note(self, units: usize, limit: usize) -> String {
        let (units, limit) = (self.count(units), self.count(limit));
        match self {
            Lang::Vi => format!(
                "Lô này có {units} đơn vị, nhiều hơn {limit} đơn vị được trình bày từng đơn vị \
                 (`--report-units`): báo cáo tóm tắt phân bố Chỉ số, xếp loại, các đơn vị có \
                 Chỉ số cao nhất và thấp nhất, và các tiêu chí không đạt nhiều nhất. \
                 `--format csv` hoặc `--format parquet` cho kết quả của từng đơn vị."
            ),
            Lang::En => format!(
                "This batch has {units} units, more than the {limit} shown unit by unit \
                 (`--report-units`): the report summarises the distribution of the index, the \
                 grades, the units with the highest and the lowest index and the criteria most \
                 often failed. `--format csv` or `--format parquet` gives every unit's results."
            ),
        }
    }

    /// After the bad rows listed, those that are not.
    pub fn more_errors(self, n: usize) -> String {
        let n = self.count(n);
        match self {
            Lang::Vi => format!("… và {n} dòng lỗi khác, liệt kê trên standard error."),
            Lang::En => format!("… and {n} more, listed on standard error."),
        }
    }

    /// Under the criteria most often failed, when none failed.
    pub fn none_failed(self) -> &'static str {
        match self {
            Lang::Vi => "Không đơn vị nào có chỉ tiêu không đạt.",
            Lang::En => "No unit missed a target.",
        }
    }

    /// Under the failing targets, when none failed.
    pub fn none_failing(self, gaps: usize) -> String {
        match (self, gaps) {
            (Lang::Vi, 0) => "Mọi chỉ tiêu đã kiểm tra đều đạt.".into(),
            (Lang::Vi, n) => format!(
                "Không có chỉ tiêu nào đã kiểm tra bị mất điểm, nhưng {n} tiêu chí chưa có số \
                 liệu (liệt kê bên dưới)."
            ),
            (Lang::En, 0) => "Every target checked was met.".into(),
            (Lang::En, n) => format!(
                "No target checked lost points, but {n} {} no value (listed below).",
                if n == 1 {
                    "criterion has"
                } else {
                    "criteria have"
                }
            ),
        }
    }

    /// The estimated-points banner after its title, up to the link to the provenance; `id`
    /// and `version` come already marked up for the format.
    pub fn estimated_note(self, id: &str, version: &str) -> String {
        match self {
            Lang::Vi => format!(
                "Điểm của bộ tiêu chí {id} ({version}) là ước tính, không phải phương pháp chính \
                 thức: dùng để thấy cần khắc phục gì, không dùng làm điểm chính thức. Xem"
            ),
            Lang::En => format!(
                "The points of scheme {id} ({version}) are an estimate, not an official \
                 methodology: use them to see what to fix, not as official scores. See"
            ),
        }
    }

    /// `Lập bằng parscore 0.1.0.` / `Made by parscore 0.1.0.`
    pub fn made_by(self) -> String {
        let by = self.label(Label::MadeBy);
        let mut first = by.chars();
        let by = match first.next() {
            Some(c) => c.to_uppercase().collect::<String>() + first.as_str(),
            None => String::new(),
        };
        format!("{by} parscore {}.", env!("CARGO_PKG_VERSION"))
    }
}

/// Rounding modes, for [`Lang::rounding`].
#[derive(Debug, Clone, Copy)]
pub enum RoundingWords {
    HalfUp,
    HalfEven,
    Down,
}

/// Where rounding applies, for [`Lang::rounding`].
#[derive(Debug, Clone, Copy)]
pub enum ScopeWords {
    Report,
    Criterion,
}

/// `-1234.5` → `-1.234,5`; `None` for text that is not a plain decimal number.
fn vietnamese_number(text: &str) -> Option<String> {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-' | b'+') => text.split_at(1),
        _ => ("", text),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() => (whole, Some(fraction)),
        Some(_) => return None,
        None => (digits, None),
    };
    let plain = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !plain(whole) || !fraction.is_none_or(plain) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push(',');
        out.push_str(fraction);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers_move_the_digits_of_the_exact_text() {
        let vi = |t| Lang::Vi.number(t);
        assert_eq!(vi("90.57"), "90,57");
        assert_eq!(vi("100.00"), "100,00");
        assert_eq!(vi("1234.5"), "1.234,5");
        assert_eq!(vi("10000"), "10.000");
        assert_eq!(vi("-0.01"), "-0,01");
        assert_eq!(vi("+2"), "+2");
        assert_eq!(vi("1234567"), "1.234.567");
        assert_eq!(vi("123"), "123");
        assert_eq!(
            vi("0.0000000000000000000000000001"),
            "0,0000000000000000000000000001"
        );
        // Not a plain number: left alone.
        for text in ["n/a", "III.4.1", "1.", ".5", "1e5", "", "-", "9899/10000"] {
            assert_eq!(vi(text), text);
        }
        assert_eq!(Lang::En.number("1234.5"), "1234.5");
    }

    #[test]
    fn every_label_has_both_languages() {
        for label in Label::ALL {
            let (vi, en) = label.texts();
            assert!(!vi.is_empty() && !en.is_empty(), "{label:?}");
        }
        assert_eq!(
            Lang::Vi.made_by(),
            format!("Lập bằng parscore {}.", env!("CARGO_PKG_VERSION"))
        );
    }
}
