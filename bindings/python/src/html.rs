//! Compact HTML tables for notebooks: a verdict per row in colour (met green, missed red,
//! missing grey), a banner when the scheme's points are an estimate, and the criteria without
//! input counted where the eye lands first. In Vietnamese by default (with the terms the
//! instruments use and decimal commas), in English on request.

use std::collections::HashMap;
use std::fmt::Write;

// Text and attribute values alike: `&`, `<`, `>` and both quotes.
use html_escape::encode_quoted_attribute as escape;
use parscore::{Batch, Decimal, Evaluation, Scheme, Status};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The language of what the binding writes for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// `lang=` as given: `"vi"` or `"en"`.
    pub fn extract(value: &str) -> PyResult<Lang> {
        match value {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(PyValueError::new_err(format!(
                "lang must be \"vi\" or \"en\", not {other:?}"
            ))),
        }
    }

    /// A figure as its readers write it: `90,57` in Vietnamese, `90.57` in English.
    fn number(self, text: String) -> String {
        match self {
            Lang::Vi => text.replace('.', ","),
            Lang::En => text,
        }
    }

    fn words(self) -> &'static Words {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// Every word the tables use, per language.
struct Words {
    index: &'static str,
    grade: &'static str,
    points: &'static str,
    max: &'static str,
    of_points: &'static str,
    rank: &'static str,
    failed: &'static str,
    missing: &'static str,
    missing_some: &'static str,
    no_missing: &'static str,
    code: &'static str,
    criterion: &'static str,
    area: &'static str,
    criteria: &'static str,
    value: &'static str,
    target: &'static str,
    recoverable: &'static str,
    lead: &'static str,
    unit: &'static str,
    period: &'static str,
    row: &'static str,
    error: &'static str,
    units: &'static str,
    scored: &'static str,
    with_errors: &'static str,
    mean_index: &'static str,
    units_missing: &'static str,
    estimated: &'static str,
}

const VI: Words = Words {
    index: "Chỉ số CCHC",
    grade: "xếp loại",
    points: "điểm đạt",
    max: "điểm tối đa",
    of_points: "điểm",
    rank: "xếp hạng",
    failed: "tiêu chí không đạt",
    missing: "chưa có số liệu",
    missing_some: "tiêu chí chưa có số liệu",
    no_missing: "đủ số liệu mọi tiêu chí",
    code: "mã",
    criterion: "tiêu chí",
    area: "lĩnh vực",
    criteria: "số tiêu chí",
    value: "giá trị",
    target: "chỉ tiêu",
    recoverable: "điểm có thể tăng",
    lead: "đơn vị chủ trì",
    unit: "đơn vị",
    period: "kỳ",
    row: "dòng",
    error: "lỗi",
    units: "đơn vị",
    scored: "đã chấm",
    with_errors: "có lỗi",
    mean_index: "Chỉ số CCHC bình quân",
    units_missing: "đơn vị thiếu số liệu",
    estimated: "Bộ tiêu chí ước tính: {} {} cho điểm ước tính, không phải điểm chính thức.",
};

const EN: Words = Words {
    index: "index",
    grade: "grade",
    points: "points",
    max: "max",
    of_points: "points",
    rank: "rank",
    failed: "targets missed",
    missing: "missing",
    missing_some: "criteria missing",
    no_missing: "every criterion has input",
    code: "code",
    criterion: "criterion",
    area: "area",
    criteria: "criteria",
    value: "value",
    target: "target",
    recoverable: "recoverable",
    lead: "lead unit",
    unit: "unit",
    period: "period",
    row: "row",
    error: "error",
    units: "units",
    scored: "scored",
    with_errors: "with errors",
    mean_index: "mean index",
    units_missing: "units with missing input",
    estimated: "Estimated scheme: {} {} gives estimated points, not official ones.",
};

const MET: &str = "#e3f4e6";
const MISSED: &str = "#fbe3e3";
const MISSING: &str = "#ececec";
const NOT_APPLICABLE: &str = "#f6f6f6";

/// A figure rounded to the scheme's places, in the language's digits.
fn show(d: Decimal, places: u32, lang: Lang) -> String {
    lang.number(d.round_dp(places).normalize().to_string())
}

fn banner(scheme: &Scheme, lang: Lang, out: &mut String) {
    if scheme.estimated() {
        let text = lang
            .words()
            .estimated
            .replacen("{}", scheme.id(), 1)
            .replacen("{}", scheme.version(), 1);
        write!(
            out,
            "<div style=\"background:#fff4ce;border-left:4px solid #e0a800;padding:4px 8px;\
             margin:4px 0\">{}</div>",
            escape(&text)
        )
        .ok();
    }
}

/// The criteria without input, in words, for a headline: grey when there are some.
fn gaps(count: usize, points: Decimal, places: u32, lang: Lang) -> String {
    let words = lang.words();
    if count == 0 {
        return format!(", {}", words.no_missing);
    }
    format!(
        ", <span style=\"background:{MISSING};padding:0 4px\"><b>{count}</b> {} ({} {})</span>",
        words.missing_some,
        show(points, places, lang),
        words.of_points
    )
}

const TABLE: &str = "<table style=\"border-collapse:collapse;font-size:90%\">";
const CELL: &str = "style=\"padding:2px 6px;border-bottom:1px solid #ddd;text-align:left\"";
const NUMBER: &str = "style=\"padding:2px 6px;border-bottom:1px solid #ddd;text-align:right\"";

fn header(out: &mut String, columns: &[&str]) {
    out.push_str("<thead><tr>");
    for column in columns {
        write!(out, "<th {CELL}>{}</th>", escape(column)).ok();
    }
    out.push_str("</tr></thead><tbody>");
}

/// One unit: headline, then every area and criterion in plan order.
pub fn evaluation(evaluation: &Evaluation, lang: Lang) -> String {
    let scheme = evaluation.scheme();
    let places = scheme.rounding().places;
    let words = lang.words();
    let mut out = String::from("<div class=\"parscore-evaluation\">");
    let period = evaluation
        .period()
        .map(|p| format!(" ({})", escape(p)))
        .unwrap_or_default();
    let (missing, missing_points) = evaluation.missing_summary();
    write!(
        out,
        "<div><b>{}</b>{period} — {} <b>{}</b>, {} <b>{}</b>, {} / {} {}{}</div>",
        escape(evaluation.unit()),
        words.index,
        evaluation
            .index_rounded()
            .map_or("–".into(), |i| lang.number(i.to_string())),
        words.grade,
        escape(evaluation.grade().map_or("–", |g| g.name.as_str())),
        show(evaluation.points(), places, lang),
        show(evaluation.max_points(), places, lang),
        words.of_points,
        gaps(missing, missing_points, places, lang),
    )
    .ok();
    banner(scheme, lang, &mut out);
    out.push_str("<div style=\"max-height:32em;overflow:auto\">");
    out.push_str(TABLE);
    header(
        &mut out,
        &[
            "",
            words.code,
            words.criterion,
            words.value,
            words.target,
            words.points,
            words.max,
            words.recoverable,
            words.lead,
        ],
    );
    let groups: HashMap<&str, _> = evaluation.groups().map(|g| (g.code(), g)).collect();
    let criteria: HashMap<&str, _> = evaluation.criteria().map(|c| (c.code(), c)).collect();
    for node in scheme.criteria() {
        let indent = node.depth as f32 * 1.2;
        if let Some(group) = groups.get(node.code.as_str()) {
            write!(
                out,
                "<tr style=\"font-weight:bold;background:#f2f5fa\"><td {CELL}></td>\
                 <td {CELL}>{}</td><td {CELL} colspan=\"3\"><span style=\"padding-left:{indent}em\">\
                 {}</span></td><td {NUMBER}>{}</td><td {NUMBER}>{}</td><td {CELL}></td>\
                 <td {CELL}></td></tr>",
                escape(&node.code),
                escape(&node.title),
                show(group.points(), places, lang),
                show(group.max_points(), places, lang),
            )
            .ok();
        } else if let Some(c) = criteria.get(node.code.as_str()) {
            let (mark, colour) = match (c.status(), c.passed()) {
                (Status::Missing, _) => ("?", MISSING),
                (Status::NotApplicable, _) => ("–", NOT_APPLICABLE),
                (_, Some(false)) => ("✗", MISSED),
                (_, Some(true)) => ("✓", MET),
                (_, None) => ("", "transparent"),
            };
            let value = match (c.status(), c.value()) {
                (Status::Missing, _) => words.missing.to_string(),
                (Status::NotApplicable, _) if lang == Lang::Vi => "không áp dụng".into(),
                (_, Some(parscore::Value::Number(d))) => lang.number(d.normalize().to_string()),
                (_, Some(v)) => v.to_string(),
                (_, None) => "—".into(),
            };
            let recoverable = if c.recoverable() > Decimal::ZERO {
                format!("+{}", show(c.recoverable(), places, lang))
            } else {
                String::new()
            };
            write!(
                out,
                "<tr style=\"background:{colour}\" title=\"{}\"><td {CELL}>{mark}</td>\
                 <td {CELL}>{}</td><td {CELL}><span style=\"padding-left:{indent}em\">{}</span></td>\
                 <td {NUMBER}>{}</td><td {CELL}>{}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td>\
                 <td {NUMBER}>{}</td><td {CELL}>{}</td></tr>",
                escape(&c.explanation()),
                escape(c.code()),
                escape(c.title()),
                escape(&value),
                escape(&c.target().map_or(String::new(), |t| t.to_string())),
                show(c.points(), places, lang),
                show(c.max_points(), places, lang),
                recoverable,
                escape(c.criterion().lead.as_deref().unwrap_or("")),
            )
            .ok();
        }
    }
    out.push_str("</tbody></table></div></div>");
    out
}

/// A batch: one row per unit by rank within each period (errors last, in red), with the
/// criteria each unit lacks input for.
pub fn results(batch: &Batch, lang: Lang) -> String {
    let scheme = &batch.scheme;
    let places = scheme.rounding().places;
    let words = lang.words();
    let summary = batch.summary();
    let gaps: Vec<usize> = batch
        .results
        .iter()
        .map(|r| r.outcome.as_ref().map_or(0, |e| e.missing_summary().0))
        .collect();
    let short_units = gaps.iter().filter(|&&n| n > 0).count();
    let mut out = String::from("<div class=\"parscore-results\">");
    write!(
        out,
        "<div><b>{}</b> {} — {} {}, {} {}, {} {}{}",
        escape(scheme.id()),
        escape(scheme.version()),
        summary.units,
        words.units,
        summary.ok,
        words.scored,
        summary.errors,
        words.with_errors,
        summary
            .mean_index
            .map(|m| format!(
                ", {} <b>{}</b>",
                words.mean_index,
                lang.number(m.to_string())
            ))
            .unwrap_or_default()
    )
    .ok();
    if short_units > 0 {
        write!(
            out,
            ", <span style=\"background:{MISSING};padding:0 4px\"><b>{short_units}</b> {} \
             ({} {})</span>",
            words.units_missing,
            gaps.iter().sum::<usize>(),
            words.missing_some,
        )
        .ok();
    }
    out.push_str("</div>");
    banner(scheme, lang, &mut out);
    out.push_str(TABLE);
    header(
        &mut out,
        &[
            words.rank,
            words.unit,
            words.period,
            words.points,
            words.max,
            words.index,
            words.grade,
            words.failed,
            words.missing_some,
            words.row,
        ],
    );
    // By period, then rank; rows without a rank (errors) after the ranked ones, in order.
    let mut order: Vec<usize> = (0..batch.results.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&batch.results[a], &batch.results[b]);
        (a.rank.is_none(), &a.period, a.rank).cmp(&(b.rank.is_none(), &b.period, b.rank))
    });
    for i in order {
        let r = &batch.results[i];
        let unit = escape(r.unit.as_deref().unwrap_or(""));
        let period = escape(r.period.as_deref().unwrap_or(""));
        match &r.outcome {
            Ok(e) => write!(
                out,
                "<tr><td {NUMBER}>{}</td><td {CELL}>{unit}</td>\
                 <td {CELL}>{period}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td>\
                 <td {NUMBER}><b>{}</b></td><td {CELL}>{}</td><td {NUMBER}>{}</td>\
                 <td {NUMBER}{}>{}</td><td {NUMBER}>{}</td></tr>",
                r.rank.map_or("–".into(), |n| n.to_string()),
                show(e.points(), places, lang),
                show(e.max_points(), places, lang),
                e.index_rounded()
                    .map_or("–".into(), |i| lang.number(i.to_string())),
                escape(e.grade().map_or("–", |g| g.name.as_str())),
                e.failed_targets().count(),
                if gaps[i] > 0 {
                    format!(" style=\"background:{MISSING}\"")
                } else {
                    String::new()
                },
                gaps[i],
                r.row,
            ),
            Err(error) => write!(
                out,
                "<tr style=\"background:{MISSED}\"><td {NUMBER}>–</td>\
                 <td {CELL}>{unit}</td><td {CELL}>{period}</td>\
                 <td {CELL} colspan=\"6\">{}: {}</td><td {NUMBER}>{}</td></tr>",
                words.error,
                escape(&error.to_string()),
                r.row,
            ),
        }
        .ok();
    }
    out.push_str("</tbody></table></div>");
    out
}

/// A scheme's plan: areas with their maxima and the number of criteria in each.
pub fn scheme(scheme: &Scheme, lang: Lang) -> String {
    let words = lang.words();
    let mut out = String::from("<div class=\"parscore-scheme\">");
    write!(
        out,
        "<div><b>{}</b> {} — {} ({} {})</div>",
        escape(scheme.id()),
        escape(scheme.version()),
        escape(scheme.title()),
        lang.number(scheme.max_points().normalize().to_string()),
        words.of_points,
    )
    .ok();
    banner(scheme, lang, &mut out);
    out.push_str(TABLE);
    header(
        &mut out,
        &[words.code, words.area, words.max, words.criteria],
    );
    let nodes = scheme.criteria();
    for (i, area) in nodes.iter().enumerate().filter(|(_, n)| n.depth == 0) {
        let leaves = nodes[i + 1..]
            .iter()
            .take_while(|n| n.depth > 0)
            .filter(|n| !n.is_group())
            .count();
        write!(
            out,
            "<tr><td {CELL}>{}</td><td {CELL}>{}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td></tr>",
            escape(&area.code),
            escape(&area.title),
            lang.number(area.max_points.normalize().to_string()),
            leaves
        )
        .ok();
    }
    out.push_str("</tbody></table></div>");
    out
}
