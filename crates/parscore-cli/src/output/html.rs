//! The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched)
//! that opens in any browser and prints on A4. Elements a reader or a test looks for carry
//! stable ids and classes: `#estimated-banner`, `#headline-index`, `#units`,
//! `section.unit`, `svg.area-chart` with one `g.area` per area, `table.sections` (bonus and
//! penalty points), `.failing-targets`, `table.recoverable`, `#errors`, `#provenance`.

use std::fmt::Write;

use parscore::Decimal;

use super::escape;
use super::lang::Label;
use super::report_data::{AreaBar, DETAIL_LIMIT, Provenance, ReportData, UnitDetail};
use super::summary::SummaryData;

const CHART_WIDTH: u32 = 720;
const ROW_HEIGHT: u32 = 44;
const LEGEND_HEIGHT: u32 = 26;
/// Title characters that fit beside the figures on a chart row; longer titles are cut and
/// given whole in the tooltip and the table below the chart.
const TITLE_CHARS: usize = 72;

/// Text and attribute values alike: `&`, `<`, `>` and both quotes escaped, and control
/// characters (which HTML cannot hold) shown as escapes.
pub(super) fn esc(text: &str) -> String {
    html_escape::encode_quoted_attribute(&escape::terminal(text)).into_owned()
}

/// One set of column widths for every lead unit's table, so that the tables line up.
const FAILING_COLUMNS: &str = "<colgroup><col style=\"width:10%\"><col style=\"width:31%\">\
     <col style=\"width:15%\"><col style=\"width:13%\"><col style=\"width:9%\">\
     <col style=\"width:9%\"><col style=\"width:13%\"></colgroup>";

pub(super) const STYLE: &str = r#"
:root { --ok: #2e7d32; --lost: #e53935; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 980px; padding: 24px; line-height: 1.45; font-size: 15px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin-top: 36px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
h4 { font-size: 15px; margin: 14px 0 6px; }
.banner { border: 2px solid #b26a00; background: #fff4e5; color: #663c00; padding: 10px 14px;
  border-radius: 6px; margin-bottom: 14px; }
.banner strong { letter-spacing: .04em; }
.scheme { color: var(--muted); margin: 0 0 16px; }
.headline { display: flex; gap: 14px; flex-wrap: wrap; margin: 12px 0 8px; }
.figure { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.figure .label { display: block; color: var(--muted); font-size: 13px; }
.figure .value { font-size: 28px; font-weight: 700; }
.figure .small { font-size: 16px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bad { color: var(--lost); font-weight: 600; }
table.failing { table-layout: fixed; }
table.failing td, table.failing th { overflow-wrap: anywhere; white-space: normal; }
tr.error td { color: var(--lost); }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 13px; }
.unit-headline .index { font-size: 22px; font-weight: 700; }
.unit-headline .grade { font-size: 18px; font-weight: 600; margin-left: 6px; }
svg.area-chart { width: 100%; max-width: 720px; height: auto; display: block; margin: 4px 0 10px; }
svg text { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 13px; fill: var(--ink); }
svg text.lost { fill: var(--lost); }
svg .points { fill: var(--ok); }
svg .lost-bar { fill: var(--lost); opacity: .75; }
.lead { color: #0b3d91; }
.note, footer { color: var(--muted); font-size: 13px; }
blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid var(--line); color: var(--muted); }
@media print { body { padding: 0; font-size: 12px; } section.unit { break-before: page; } }
"#;

pub fn render(data: &ReportData) -> String {
    let scheme = &data.scheme;
    let mut out = String::new();
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>",
        data.lang.code(),
        data.label(Label::ReportTitle),
        esc(&scheme.title)
    )
    .ok();
    if scheme.estimated {
        writeln!(
            out,
            "<div id=\"estimated-banner\" class=\"banner\" role=\"note\"><strong>{}</strong> \
             {} <a href=\"#provenance\">{}</a>.</div>",
            data.label(Label::EstimatedBanner),
            data.lang.estimated_note(
                &format!("<code>{}</code>", esc(&scheme.id)),
                &esc(&scheme.version)
            ),
            data.label(Label::ProvenanceLink)
        )
        .ok();
    }
    writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"scheme\">{} · <code>{}</code> {} {}</p>",
        data.label(Label::ReportTitle),
        esc(&scheme.title),
        esc(&scheme.id),
        data.label(Label::Version),
        esc(&scheme.version)
    )
    .ok();
    headline(&mut out, data);
    out.push_str("</header>\n<main>\n");
    units_table(&mut out, data);
    if data.details_omitted() {
        writeln!(
            out,
            "<p class=\"note\" id=\"details-omitted\">{}</p>",
            code_spans(&data.lang.details_omitted(DETAIL_LIMIT, data.units))
        )
        .ok();
    }
    let scale = data.chart_scale();
    for detail in &data.details {
        unit_detail(&mut out, data, detail, scale);
    }
    errors(&mut out, data);
    provenance(&mut out, &Provenance::of(data));
    writeln!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>",
        esc(&data.lang.made_by())
    )
    .ok();
    out
}

fn headline(out: &mut String, data: &ReportData) {
    out.push_str("<div class=\"headline\" id=\"headline\">\n");
    let (label, index, grade) = match data.details.as_slice() {
        [only] => (Label::Index, only.index.clone(), only.grade.clone()),
        _ => (
            Label::MeanIndex,
            data.mean_index
                .clone()
                .unwrap_or_else(|| data.label(Label::NotApplicable).into()),
            data.grade_counts(),
        ),
    };
    writeln!(
        out,
        "<div class=\"figure\"><span class=\"label\">{}</span>\
         <span class=\"value\" id=\"headline-index\">{}</span></div>\n\
         <div class=\"figure\"><span class=\"label\">{}</span>\
         <span class=\"value small\" id=\"headline-grade\">{}</span></div>\n\
         <div class=\"figure\"><span class=\"label\">{}</span>\
         <span class=\"value small\">{}</span></div>\n</div>",
        data.label(label),
        esc(&index),
        data.label(Label::Grade),
        esc(&grade),
        data.label(Label::UnitCount),
        data.lang.scored_and_errors(data.ok, data.errors)
    )
    .ok();
    if let Some(gaps) = data.gaps_line() {
        writeln!(
            out,
            "<p class=\"banner gaps\" id=\"headline-gaps\">{}</p>",
            esc(&gaps)
        )
        .ok();
    }
}

fn units_table(out: &mut String, data: &ReportData) {
    let with_period = data.has_periods();
    write!(
        out,
        "<section id=\"units\">\n<h2>{}</h2>\n<table class=\"units\">\n<thead><tr>\
         <th class=\"num\">{}</th><th>{}</th>",
        data.label(Label::Units),
        data.label(Label::Rank),
        data.label(Label::Unit)
    )
    .ok();
    if with_period {
        write!(out, "<th>{}</th>", data.label(Label::Period)).ok();
    }
    write!(
        out,
        "<th class=\"num\">{}</th><th class=\"num\">{}</th>",
        data.label(Label::Points),
        data.label(Label::MaxPoints)
    )
    .ok();
    for (shown, label) in [
        (data.bonus, Label::BonusPoints),
        (data.penalties, Label::PenaltyPoints),
    ] {
        if shown {
            write!(out, "<th class=\"num\">{}</th>", data.label(label)).ok();
        }
    }
    writeln!(
        out,
        "<th class=\"num\">{}</th>\
         <th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>",
        data.label(Label::Index),
        data.label(Label::Grade),
        data.label(Label::Missing),
        data.label(Label::Status)
    )
    .ok();
    for row in &data.rows {
        let class = if row.failed { " class=\"error\"" } else { "" };
        let unit = match &row.anchor {
            Some(anchor) => format!("<a href=\"#{anchor}\">{}</a>", esc(&row.unit)),
            None => esc(&row.unit),
        };
        write!(
            out,
            "<tr{class}><td class=\"num\">{}</td><td>{unit}</td>",
            row.rank
        )
        .ok();
        if with_period {
            write!(out, "<td>{}</td>", esc(&row.period)).ok();
        }
        let gaps_class = if row.gaps.is_empty() || row.gaps == "0" {
            "num"
        } else {
            "num bad"
        };
        write!(
            out,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
            row.points, row.max_points,
        )
        .ok();
        if data.bonus {
            write!(out, "<td class=\"num bonus\">{}</td>", row.bonus).ok();
        }
        if data.penalties {
            write!(out, "<td class=\"num penalty\">{}</td>", row.penalty).ok();
        }
        writeln!(
            out,
            "<td class=\"num\">{}</td>\
             <td>{}</td><td class=\"{gaps_class}\">{}</td><td>{}</td></tr>",
            row.index,
            esc(&row.grade),
            row.gaps,
            data.status(row)
        )
        .ok();
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn unit_detail(out: &mut String, data: &ReportData, detail: &UnitDetail, scale: Decimal) {
    let lang = data.lang;
    writeln!(
        out,
        "<section class=\"unit\" id=\"{}\" data-unit=\"{}\">\n<h2>{}</h2>\n\
         <p class=\"unit-headline\"><span class=\"index\">{}</span>\
         <span class=\"grade\">{}</span> — {}{}</p>",
        detail.anchor,
        esc(&detail.unit),
        esc(&detail.heading()),
        detail.index,
        esc(&detail.grade),
        lang.points_of(&detail.points, &detail.max_points),
        detail
            .rank
            .as_ref()
            .map(|r| format!(", {}", esc(r)))
            .unwrap_or_default()
    )
    .ok();
    if let Some(gaps) = &detail.gaps_line {
        writeln!(out, "<p class=\"gaps\"><strong>{}</strong></p>", esc(gaps)).ok();
    }

    writeln!(out, "<h3>{}</h3>", data.label(Label::AreaChart)).ok();
    chart(out, data, &detail.areas, scale, &detail.anchor);
    writeln!(
        out,
        "<table class=\"areas\"><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         </tr></thead>\n<tbody>",
        data.label(Label::Area),
        data.label(Label::Title),
        data.label(Label::Points),
        data.label(Label::MaxPoints),
        data.label(Label::LostPoints),
        data.label(Label::Index)
    )
    .ok();
    for area in &detail.areas {
        let lost_class = if area.lost > Decimal::ZERO {
            "num bad"
        } else {
            "num"
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"{lost_class}\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&area.code),
            esc(&area.title),
            area.points_text,
            area.max_text,
            area.lost_text,
            area.index_text
        )
        .ok();
    }
    out.push_str("</tbody></table>\n");
    sections(out, data, detail);

    writeln!(
        out,
        "<h3>{}</h3>\n<div class=\"failing-targets\">",
        data.label(Label::FailingTargets)
    )
    .ok();
    if detail.failing.is_empty() {
        writeln!(
            out,
            "<p class=\"note\">{}</p>",
            esc(&lang.none_failing(detail.gaps.len()))
        )
        .ok();
    }
    for group in &detail.failing {
        writeln!(
            out,
            "<h4 class=\"lead\">{}</h4>\n<table class=\"failing\" data-lead=\"{}\">{FAILING_COLUMNS}<thead><tr>\
             <th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th>\
             <th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th>\
             </tr></thead>\n<tbody>",
            esc(&group.lead),
            esc(&group.lead),
            data.label(Label::Criterion),
            data.label(Label::Title),
            data.label(Label::Value),
            data.label(Label::Target),
            data.label(Label::Margin),
            data.label(Label::LostPoints),
            data.label(Label::Timeline)
        )
        .ok();
        for t in &group.targets {
            let target = if t.target.is_empty() {
                String::new()
            } else {
                format!("<code>{}</code>", esc(&t.target))
            };
            writeln!(
                out,
                "<tr class=\"failing-target\" data-code=\"{}\"><td>{}</td><td>{}</td>\
                 <td class=\"num\">{}</td><td>{target}</td><td class=\"num bad\">{}</td>\
                 <td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&t.code),
                esc(&t.code),
                esc(&t.title),
                esc(&t.value),
                esc(&t.margin),
                t.lost,
                esc(&t.timeline)
            )
            .ok();
        }
        out.push_str("</tbody></table>\n");
    }
    writeln!(out, "</div>\n<h3>{}</h3>", data.label(Label::Recoverable)).ok();
    if detail.recoverable.is_empty() {
        writeln!(
            out,
            "<p class=\"note\">{}</p>",
            data.label(Label::NothingToRecover)
        )
        .ok();
    } else {
        writeln!(
            out,
            "<table class=\"recoverable\"><thead><tr><th class=\"num\">{}</th>\
             <th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            data.label(Label::PointsKind),
            data.label(Label::Criterion),
            data.label(Label::Title),
            data.label(Label::LeadUnit)
        )
        .ok();
        for r in &detail.recoverable {
            writeln!(
                out,
                "<tr><td class=\"num\">+{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.points,
                esc(&r.code),
                esc(&r.title),
                esc(&r.lead)
            )
            .ok();
        }
        out.push_str("</tbody></table>\n");
    }
    if !detail.gaps.is_empty() {
        writeln!(
            out,
            "<h3>{}</h3>\n<ul class=\"missing\">",
            data.label(Label::Gaps)
        )
        .ok();
        for gap in &detail.gaps {
            writeln!(
                out,
                "<li data-code=\"{}\">{} {}: {} <code>{}</code> ({})</li>",
                esc(&gap.code),
                esc(&gap.code),
                esc(&gap.title),
                data.label(Label::NoValueFor),
                esc(&gap.indicator),
                lang.points_of("0", &gap.max_points)
            )
            .ok();
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// A horizontal bar per area: points, then lost points, on one scale for the whole report
/// so that bars of different units compare.
/// The unit's bonus and penalties sections: `table.sections`, one per section.
fn sections(out: &mut String, data: &ReportData, detail: &UnitDetail) {
    if detail.sections.is_empty() {
        return;
    }
    writeln!(out, "<h3>{}</h3>", data.label(Label::Sections)).ok();
    for section in &detail.sections {
        writeln!(
            out,
            "<p><strong>{}</strong>: {}</p>\n<table class=\"sections\"><thead><tr><th>{}</th>\
             <th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>",
            esc(&section.title),
            esc(&section.total),
            data.label(Label::Criterion),
            data.label(Label::Title),
            data.label(Label::Value),
            data.label(Label::PointsKind)
        )
        .ok();
        for item in &section.items {
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&item.code),
                esc(&item.title),
                esc(&item.value),
                esc(&item.points)
            )
            .ok();
        }
        out.push_str("</tbody></table>\n");
    }
}

fn chart(out: &mut String, data: &ReportData, areas: &[AreaBar], scale: Decimal, id: &str) {
    let height = LEGEND_HEIGHT + ROW_HEIGHT * areas.len() as u32;
    writeln!(
        out,
        "<svg class=\"area-chart\" id=\"{id}-chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-label=\"{}\">\n\
         <rect class=\"points\" x=\"0\" y=\"4\" width=\"12\" height=\"12\"/>\
         <text x=\"18\" y=\"15\">{}</text>\
         <rect class=\"lost-bar\" x=\"100\" y=\"4\" width=\"12\" height=\"12\"/>\
         <text x=\"118\" y=\"15\">{}</text>",
        data.label(Label::AreaChart),
        data.label(Label::BarPoints),
        data.label(Label::LostPoints)
    )
    .ok();
    for (i, area) in areas.iter().enumerate() {
        let y = LEGEND_HEIGHT + ROW_HEIGHT * i as u32;
        let points_width = width_of(area.points, scale);
        let lost_width = width_of(area.lost, scale);
        let title: String = if area.title.chars().count() > TITLE_CHARS {
            let cut: String = area.title.chars().take(TITLE_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            area.title.clone()
        };
        let lost = if area.lost > Decimal::ZERO {
            format!(
                "<text class=\"lost\" x=\"{CHART_WIDTH}\" y=\"{}\" text-anchor=\"end\">−{}</text>",
                y + 14,
                area.lost_text
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "<g class=\"area\" data-code=\"{}\"><title>{} {}: {}</title>\
             <text x=\"0\" y=\"{}\"><tspan font-weight=\"600\">{}</tspan> {} · {} / {}</text>{lost}\
             <rect class=\"points\" x=\"0\" y=\"{}\" width=\"{points_width}\" height=\"16\"/>\
             <rect class=\"lost-bar\" x=\"{points_width}\" y=\"{}\" width=\"{lost_width}\" height=\"16\"/></g>",
            esc(&area.code),
            esc(&area.code),
            esc(&area.title),
            data.lang
                .points_lost(&area.points_text, &area.max_text, &area.lost_text),
            y + 14,
            esc(&area.code),
            esc(&title),
            area.points_text,
            area.max_text,
            y + 20,
            y + 20
        )
        .ok();
    }
    out.push_str("</svg>\n");
}

/// The width in chart units that `points` take when `scale` fills the chart, to 0.1.
fn width_of(points: Decimal, scale: Decimal) -> String {
    if scale <= Decimal::ZERO || points <= Decimal::ZERO {
        return "0".into();
    }
    (points.min(scale) * Decimal::from(CHART_WIDTH) / scale)
        .round_dp(1)
        .normalize()
        .to_string()
}

fn errors(out: &mut String, data: &ReportData) {
    if data.failures.is_empty() {
        return;
    }
    writeln!(
        out,
        "<section id=\"errors\">\n<h2>{}</h2>\n<table class=\"errors\"><thead><tr>\
         <th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        data.label(Label::Errors),
        data.label(Label::Place),
        data.label(Label::Unit),
        data.label(Label::Error)
    )
    .ok();
    for failure in &data.failures {
        writeln!(
            out,
            "<tr class=\"error\"><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&failure.place),
            esc(&failure.unit),
            esc(&failure.reason)
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn provenance(out: &mut String, data: &Provenance<'_>) {
    let scheme = &data.scheme;
    write!(
        out,
        "<section id=\"provenance\">\n<h2>{}</h2>\n<table class=\"provenance\">\
         <tr><th>{}</th><td>{} (<code>{}</code>, {} {})</td></tr>\
         <tr><th>{}</th><td>{}</td></tr>\
         <tr><th>{}</th><td>{}</td></tr>\
         <tr><th>{}</th><td>{}</td></tr>",
        data.label(Label::Provenance),
        data.label(Label::Scheme),
        esc(&scheme.title),
        esc(&scheme.id),
        data.label(Label::Version),
        esc(&scheme.version),
        data.label(Label::PointsKind),
        if scheme.estimated {
            format!(
                "<strong>{}</strong>{}",
                data.label(Label::Estimated),
                data.label(Label::NotOfficial)
            )
        } else {
            data.label(Label::Official).to_string()
        },
        data.label(Label::Maximum),
        data.lang.points_count(&scheme.max_points),
        data.label(Label::Rounding),
        esc(&scheme.rounding)
    )
    .ok();
    if !scheme.grades.is_empty() {
        let grades: Vec<String> = scheme.grades.iter().map(|g| esc(g)).collect();
        write!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            data.label(Label::Grades),
            grades.join(", ")
        )
        .ok();
    }
    for (name, rule) in &scheme.forms {
        write!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            data.label(*name),
            esc(rule)
        )
        .ok();
    }
    out.push_str("</table>\n");
    if !scheme.provenance.is_empty() {
        writeln!(out, "<blockquote>{}</blockquote>", esc(&scheme.provenance)).ok();
    }
    out.push_str("</section>\n");
}

/// Text with `code spans` as `<code>` elements, the rest escaped.
pub(super) fn code_spans(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

/// The summarised report of a batch too large to show unit by unit.
pub fn render_summary(data: &SummaryData) -> String {
    let scheme = &data.scheme;
    let lang = data.lang;
    let mut out = String::new();
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}: {}</title>\n<style>{STYLE}{SUMMARY_STYLE}</style>\n</head>\n<body>\n<header>",
        lang.code(),
        data.label(Label::ReportTitle),
        esc(&scheme.title)
    )
    .ok();
    if scheme.estimated {
        writeln!(
            out,
            "<div id=\"estimated-banner\" class=\"banner\" role=\"note\"><strong>{}</strong> \
             {} <a href=\"#provenance\">{}</a>.</div>",
            data.label(Label::EstimatedBanner),
            lang.estimated_note(
                &format!("<code>{}</code>", esc(&scheme.id)),
                &esc(&scheme.version)
            ),
            data.label(Label::ProvenanceLink)
        )
        .ok();
    }
    writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"scheme\">{} · <code>{}</code> {} {}</p>",
        data.label(Label::ReportTitle),
        esc(&scheme.title),
        esc(&scheme.id),
        data.label(Label::Version),
        esc(&scheme.version)
    )
    .ok();
    writeln!(
        out,
        "<div class=\"headline\" id=\"headline\">\n\
         <div class=\"figure\"><span class=\"label\">{}</span>\
         <span class=\"value\" id=\"headline-index\">{}</span></div>\n\
         <div class=\"figure\"><span class=\"label\">{}</span>\
         <span class=\"value small\" id=\"headline-grade\">{}</span></div>\n\
         <div class=\"figure\"><span class=\"label\">{}</span>\
         <span class=\"value small\">{}</span></div>\n</div>",
        data.label(Label::MeanIndex),
        esc(data
            .mean_index
            .as_deref()
            .unwrap_or(data.label(Label::NotApplicable))),
        data.label(Label::Grade),
        esc(&data.grade_counts()),
        data.label(Label::UnitCount),
        lang.scored_and_errors(data.ok, data.errors)
    )
    .ok();
    if let Some(gaps) = data.gaps_line() {
        writeln!(
            out,
            "<p class=\"banner gaps\" id=\"headline-gaps\">{}</p>",
            esc(&gaps)
        )
        .ok();
    }
    writeln!(
        out,
        "<p class=\"note\" id=\"summary-note\">{}</p>\n</header>\n<main>",
        code_spans(&lang.summary_note(data.units, data.limit))
    )
    .ok();

    writeln!(
        out,
        "<section id=\"distribution\">\n<h2>{}</h2>\n<table class=\"distribution\"><thead><tr>\
         <th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th></th></tr></thead>\n<tbody>",
        data.label(Label::Distribution),
        data.label(Label::IndexRange),
        data.label(Label::UnitCount),
        data.label(Label::Share)
    )
    .ok();
    for bin in &data.distribution {
        let width = (bin.bar * Decimal::ONE_HUNDRED).round_dp(1).normalize();
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"bar\"><span style=\"width:{width}%\"></span></td></tr>",
            esc(&bin.range),
            lang.count(bin.units),
            esc(&bin.share)
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");

    writeln!(
        out,
        "<section id=\"grades\">\n<h2>{}</h2>\n<table class=\"grades\"><thead><tr><th>{}</th>\
         <th class=\"num\">{}</th></tr></thead>\n<tbody>",
        data.label(Label::GradesHeading),
        data.label(Label::Grade),
        data.label(Label::UnitCount)
    )
    .ok();
    for (grade, n) in &data.grades {
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(grade),
            lang.count(*n)
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");

    let with_period = data.has_periods();
    for (id, heading, units) in [
        ("best", Label::BestUnits, &data.best),
        ("worst", Label::WorstUnits, &data.worst),
    ] {
        write!(
            out,
            "<section id=\"{id}\">\n<h2>{}</h2>\n<table class=\"units\"><thead><tr><th>{}</th>\
             <th class=\"num\">{}</th>",
            data.label(heading),
            data.label(Label::Unit),
            data.label(Label::Rank)
        )
        .ok();
        if with_period {
            write!(out, "<th>{}</th>", data.label(Label::Period)).ok();
        }
        writeln!(
            out,
            "<th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>",
            data.label(Label::Index),
            data.label(Label::Grade)
        )
        .ok();
        for unit in units {
            write!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td>",
                esc(&unit.unit),
                unit.rank
            )
            .ok();
            if with_period {
                write!(out, "<td>{}</td>", esc(&unit.period)).ok();
            }
            writeln!(
                out,
                "<td class=\"num\">{}</td><td>{}</td></tr>",
                unit.index,
                esc(&unit.grade)
            )
            .ok();
        }
        out.push_str("</tbody></table>\n</section>\n");
    }

    writeln!(
        out,
        "<section id=\"most-failed\">\n<h2>{}</h2>",
        data.label(Label::MostFailed)
    )
    .ok();
    if data.failing.is_empty() {
        writeln!(out, "<p class=\"note\">{}</p>", lang.none_failed()).ok();
    } else {
        writeln!(
            out,
            "<table class=\"most-failed\"><thead><tr><th>{}</th><th>{}</th><th>{}</th>\
             <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
             </tr></thead>\n<tbody>",
            data.label(Label::Criterion),
            data.label(Label::Title),
            data.label(Label::LeadUnit),
            data.label(Label::UnitsFailing),
            data.label(Label::Share),
            data.label(Label::UnitsMissing)
        )
        .ok();
        for c in &data.failing {
            writeln!(
                out,
                "<tr data-code=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"num bad\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&c.code),
                esc(&c.code),
                esc(&c.title),
                esc(&c.lead),
                lang.count(c.failing),
                esc(&c.failing_share),
                lang.count(c.missing)
            )
            .ok();
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");

    if !data.sections.is_empty() {
        writeln!(
            out,
            "<section id=\"sections\">\n<h2>{}</h2>\n<table class=\"sections\"><thead><tr>\
             <th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
             <th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>",
            data.label(Label::Sections),
            data.label(Label::Section),
            data.label(Label::UnitsGiven),
            data.label(Label::Share),
            data.label(Label::SectionTotal),
            data.label(Label::SectionLargest)
        )
        .ok();
        for section in &data.sections {
            writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&section.title),
                lang.count(section.units),
                esc(&section.share),
                data.points(section.total),
                data.points(section.largest)
            )
            .ok();
        }
        out.push_str("</tbody></table>\n</section>\n");
    }

    if !data.listed_errors.is_empty() {
        writeln!(
            out,
            "<section id=\"errors\">\n<h2>{}</h2>\n<table class=\"errors\"><thead><tr>\
             <th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            data.label(Label::Errors),
            data.label(Label::Place),
            data.label(Label::Unit),
            data.label(Label::Error)
        )
        .ok();
        for failure in &data.listed_errors {
            writeln!(
                out,
                "<tr class=\"error\"><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(&failure.place),
                esc(&failure.unit),
                esc(&failure.reason)
            )
            .ok();
        }
        out.push_str("</tbody></table>\n");
        if data.unlisted_errors() > 0 {
            writeln!(
                out,
                "<p class=\"note\">{}</p>",
                esc(&lang.more_errors(data.unlisted_errors()))
            )
            .ok();
        }
        out.push_str("</section>\n");
    }
    provenance(
        &mut out,
        &Provenance {
            scheme: &data.scheme,
            lang,
        },
    );
    writeln!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>",
        esc(&lang.made_by())
    )
    .ok();
    out
}

/// The bars of the index's distribution.
const SUMMARY_STYLE: &str = "
td.bar { width: 40%; }
td.bar span { display: block; height: 14px; background: var(--ok); }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            esc("Sở NN&PTNT <b>\"x\"</b> 'y'"),
            "Sở NN&amp;PTNT &lt;b&gt;&quot;x&quot;&lt;/b&gt; &#x27;y&#x27;"
        );
        assert_eq!(esc("a\u{1b}[2J"), "a\\u{1b}[2J");
        assert_eq!(
            code_spans("see `parscore explain` <now>"),
            "see <code>parscore explain</code> &lt;now&gt;"
        );
    }

    #[test]
    fn bars_are_sized_exactly_on_one_scale() {
        assert_eq!(
            width_of(Decimal::new(756, 2), Decimal::new(128, 1)),
            "425.2"
        );
        assert_eq!(width_of(Decimal::ZERO, Decimal::TEN), "0");
        assert_eq!(width_of(Decimal::TEN, Decimal::TEN), "720");
    }
}
