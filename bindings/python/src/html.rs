//! Compact HTML tables for notebooks: a verdict per row in colour (met green, missed red,
//! missing grey), and a banner when the scheme's points are an estimate.

use std::collections::HashMap;
use std::fmt::Write;

// Text and attribute values alike: `&`, `<`, `>` and both quotes.
use html_escape::encode_quoted_attribute as escape;
use parscore::{Batch, Decimal, Evaluation, Scheme, Status};

const MET: &str = "#e3f4e6";
const MISSED: &str = "#fbe3e3";
const MISSING: &str = "#ececec";
const NOT_APPLICABLE: &str = "#f6f6f6";

fn show(d: Decimal, places: u32) -> String {
    d.round_dp(places).normalize().to_string()
}

fn banner(scheme: &Scheme, out: &mut String) {
    if scheme.estimated() {
        write!(
            out,
            "<div style=\"background:#fff4ce;border-left:4px solid #e0a800;padding:4px 8px;\
             margin:4px 0\">Estimated scheme: {} {} gives estimated points, not official ones.\
             </div>",
            escape(scheme.id()),
            escape(scheme.version())
        )
        .ok();
    }
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
pub fn evaluation(evaluation: &Evaluation) -> String {
    let scheme = evaluation.scheme();
    let places = scheme.rounding().places;
    let mut out = String::from("<div class=\"parscore-evaluation\">");
    let period = evaluation
        .period()
        .map(|p| format!(" ({})", escape(p)))
        .unwrap_or_default();
    write!(
        out,
        "<div><b>{}</b>{period} — index <b>{}</b>, grade <b>{}</b>, {} of {} points</div>",
        escape(evaluation.unit()),
        evaluation
            .index_rounded()
            .map_or("n/a".into(), |i| i.to_string()),
        escape(evaluation.grade().map_or("-", |g| g.name.as_str())),
        show(evaluation.points(), places),
        show(evaluation.max_points(), places),
    )
    .ok();
    banner(scheme, &mut out);
    out.push_str("<div style=\"max-height:32em;overflow:auto\">");
    out.push_str(TABLE);
    header(
        &mut out,
        &[
            "",
            "code",
            "criterion",
            "value",
            "target",
            "points",
            "max",
            "recoverable",
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
                 {}</span></td><td {NUMBER}>{}</td><td {NUMBER}>{}</td><td {CELL}></td></tr>",
                escape(&node.code),
                escape(&node.title),
                show(group.points(), places),
                show(group.max_points(), places),
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
            let recoverable = if c.recoverable() > Decimal::ZERO {
                format!("+{}", show(c.recoverable(), places))
            } else {
                String::new()
            };
            write!(
                out,
                "<tr style=\"background:{colour}\" title=\"{}\"><td {CELL}>{mark}</td>\
                 <td {CELL}>{}</td><td {CELL}><span style=\"padding-left:{indent}em\">{}</span></td>\
                 <td {NUMBER}>{}</td><td {CELL}>{}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td>\
                 <td {NUMBER}>{}</td></tr>",
                escape(&c.explanation()),
                escape(c.code()),
                escape(c.title()),
                escape(&c.value().map_or("—".into(), |v| v.to_string())),
                escape(&c.target().map_or(String::new(), |t| t.to_string())),
                show(c.points(), places),
                show(c.max_points(), places),
                recoverable,
            )
            .ok();
        }
    }
    out.push_str("</tbody></table></div></div>");
    out
}

/// A batch: one row per unit with its rank, or its error in red.
pub fn results(batch: &Batch) -> String {
    let scheme = &batch.scheme;
    let places = scheme.rounding().places;
    let summary = batch.summary();
    let mut out = String::from("<div class=\"parscore-results\">");
    write!(
        out,
        "<div><b>{}</b> {} — {} units, {} scored, {} with errors{}</div>",
        escape(scheme.id()),
        escape(scheme.version()),
        summary.units,
        summary.ok,
        summary.errors,
        summary
            .mean_index
            .map(|m| format!(", mean index <b>{m}</b>"))
            .unwrap_or_default()
    )
    .ok();
    banner(scheme, &mut out);
    out.push_str(TABLE);
    header(
        &mut out,
        &[
            "row", "rank", "unit", "period", "points", "max", "index", "grade", "missed",
        ],
    );
    for r in &batch.results {
        let unit = escape(r.unit.as_deref().unwrap_or(""));
        let period = escape(r.period.as_deref().unwrap_or(""));
        match &r.outcome {
            Ok(e) => write!(
                out,
                "<tr><td {NUMBER}>{}</td><td {NUMBER}>{}</td><td {CELL}>{unit}</td>\
                 <td {CELL}>{period}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td>\
                 <td {NUMBER}><b>{}</b></td><td {CELL}>{}</td><td {NUMBER}>{}</td></tr>",
                r.row,
                r.rank.map_or("–".into(), |n| n.to_string()),
                show(e.points(), places),
                show(e.max_points(), places),
                e.index_rounded().map_or("n/a".into(), |i| i.to_string()),
                escape(e.grade().map_or("–", |g| g.name.as_str())),
                e.failed_targets().count(),
            ),
            Err(error) => write!(
                out,
                "<tr style=\"background:{MISSED}\"><td {NUMBER}>{}</td><td {NUMBER}>–</td>\
                 <td {CELL}>{unit}</td><td {CELL}>{period}</td>\
                 <td {CELL} colspan=\"5\">error: {}</td></tr>",
                r.row,
                escape(&error.to_string()),
            ),
        }
        .ok();
    }
    out.push_str("</tbody></table></div>");
    out
}

/// A scheme's plan: areas with their maxima and the number of criteria in each.
pub fn scheme(scheme: &Scheme) -> String {
    let mut out = String::from("<div class=\"parscore-scheme\">");
    write!(
        out,
        "<div><b>{}</b> {} — {} ({} points)</div>",
        escape(scheme.id()),
        escape(scheme.version()),
        escape(scheme.title()),
        scheme.max_points().normalize()
    )
    .ok();
    banner(scheme, &mut out);
    out.push_str(TABLE);
    header(&mut out, &["code", "area", "max points", "criteria"]);
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
            area.max_points.normalize(),
            leaves
        )
        .ok();
    }
    out.push_str("</tbody></table></div>");
    out
}
