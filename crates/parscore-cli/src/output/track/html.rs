//! The HTML tracking report: one self-contained file (inline CSS and SVG, no script). Stable
//! ids and classes: `#headline`, `table.tracking` with a `tr` per unit and criterion
//! (`data-status`), `#untracked`, and per unit a `section.trends` with an `svg.trend` per rate:
//! the rate year to date as a line, each month's own rate as a dot (`g.month`), the target
//! as a dashed line.

use std::fmt::Write;

use parscore::Decimal;
use parscore_records::{Counts, Trend};

use super::view::View;
use crate::output::html::{STYLE, esc};
use crate::output::lang::Label;

const WIDTH: u32 = 360;
const HEIGHT: u32 = 170;
const LEFT: u32 = 44;
const RIGHT: u32 = 12;
const TOP: u32 = 22;
const BOTTOM: u32 = 26;

const EXTRA_STYLE: &str = r#"
.trends { display: flex; flex-wrap: wrap; gap: 12px; }
figure.trend { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 6px 8px; }
figure.trend figcaption { font-size: 13px; color: var(--muted); }
svg.trend { width: 360px; height: auto; display: block; }
svg.trend line.grid { stroke: var(--line); stroke-width: 1; }
svg.trend line.target { stroke: #b26a00; stroke-width: 1.5; stroke-dasharray: 5 3; }
svg.trend polyline.ytd { fill: none; stroke: #0b3d91; stroke-width: 2; }
svg.trend circle.month { fill: #0b3d91; opacity: .45; }
svg.trend text { font-size: 11px; }
tr.secured td.status { color: var(--ok); font-weight: 600; }
tr.on_track td.status { color: var(--ok); }
tr.at_risk td.status { color: #b26a00; font-weight: 600; }
tr.impossible td.status { color: var(--lost); font-weight: 600; }
"#;

pub fn render(view: &View<'_>) -> String {
    let scheme = view.tracked.scheme;
    let mut out = String::new();
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}: {}</title>\n<style>{STYLE}{EXTRA_STYLE}</style>\n</head>\n<body>\n<header>",
        view.lang.code(),
        view.label(Label::TrackTitle),
        view.t.year
    )
    .ok();
    if scheme.estimated() {
        writeln!(
            out,
            "<div id=\"estimated-banner\" class=\"banner\" role=\"note\"><strong>{}</strong></div>",
            view.label(Label::EstimatedSheet)
        )
        .ok();
    }
    writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"scheme\">{} · <code>{}</code> {} {}</p>\n\
         <p id=\"headline\"><strong>{}</strong> {}.</p>\n<p class=\"note\">{}</p>\n\
         </header>\n<main>",
        view.label(Label::TrackTitle),
        esc(scheme.title()),
        esc(scheme.id()),
        view.label(Label::Version),
        esc(scheme.version()),
        esc(&view.headline()),
        esc(&view.status_counts()),
        esc(view.method())
    )
    .ok();
    tracking_table(&mut out, view);
    if !view.t.untracked.is_empty() {
        writeln!(
            out,
            "<section id=\"untracked\">\n<h2>{}</h2>\n<ul>",
            view.label(Label::Untracked)
        )
        .ok();
        for u in &view.t.untracked {
            writeln!(
                out,
                "<li data-code=\"{}\">{} <code>{}</code>: {}</li>",
                esc(&u.criterion),
                esc(&u.unit),
                esc(&u.criterion),
                esc(&view.untracked(u))
            )
            .ok();
        }
        out.push_str("</ul>\n</section>\n");
    }
    for unit in view.units() {
        writeln!(
            out,
            "<section class=\"unit\" data-unit=\"{}\">\n<h2>{}: {}</h2>\n<div class=\"trends\">",
            esc(unit),
            esc(unit),
            view.label(Label::Trend)
        )
        .ok();
        for trend in view.trends_of(unit) {
            chart(&mut out, view, trend);
        }
        out.push_str("</div>\n</section>\n");
    }
    writeln!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>",
        esc(&view.lang.made_by())
    )
    .ok();
    out
}

fn tracking_table(out: &mut String, view: &View<'_>) {
    writeln!(
        out,
        "<section id=\"tracking\">\n<table class=\"tracking\"><thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        view.label(Label::Unit),
        view.label(Label::Criterion),
        view.label(Label::Title),
        view.label(Label::SoFar),
        view.label(Label::Target),
        view.label(Label::Expected),
        view.label(Label::Needed),
        view.label(Label::Status),
        view.label(Label::ExpectedFrom),
        view.label(Label::LeadUnit)
    )
    .ok();
    for line in &view.t.criteria {
        let status = line.status.name();
        writeln!(
            out,
            "<tr class=\"{status}\" data-status=\"{status}\" data-code=\"{}\"><td>{}</td>\
             <td>{}</td><td>{}</td><td class=\"num\">{}</td><td><code>{}</code></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"status\">{}</td>\
             <td>{}</td><td>{}</td></tr>",
            esc(&line.criterion),
            esc(&line.unit),
            esc(&line.criterion),
            esc(&line.title),
            esc(&view.rate(line.so_far)),
            esc(&line.target),
            view.number(line.expected),
            view.number(line.needed),
            view.status(line.status),
            view.expected_from(line.expected_from),
            esc(line.lead.as_deref().unwrap_or(""))
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// The rate as an exact percent, when anything is counted.
fn percent(counts: Counts) -> Option<Decimal> {
    (counts.total > 0)
        .then(|| Decimal::from(counts.met) * Decimal::ONE_HUNDRED / Decimal::from(counts.total))
}

/// A small chart of one rate: the year to date as a line, each month's own rate as a dot,
/// the target dashed; the scale runs from the nearest ten below everything shown to 100%.
fn chart(out: &mut String, view: &View<'_>, trend: &Trend) {
    let shown = trend
        .months
        .iter()
        .flat_map(|m| [percent(m.count), percent(m.year_to_date)])
        .flatten()
        .chain(trend.target);
    let lowest = shown.min().unwrap_or(Decimal::ZERO).max(Decimal::ZERO);
    let floor = ((lowest / Decimal::TEN).floor() * Decimal::TEN).min(Decimal::from(90));
    let plot_w = Decimal::from(WIDTH - LEFT - RIGHT);
    let plot_h = Decimal::from(HEIGHT - TOP - BOTTOM);
    let steps = Decimal::from((trend.months.len().max(2) - 1) as u32);
    let x = |i: usize| {
        (Decimal::from(LEFT) + plot_w * Decimal::from(i as u32) / steps)
            .round_dp(1)
            .normalize()
    };
    let y = |p: Decimal| {
        let p = p.max(floor).min(Decimal::ONE_HUNDRED);
        (Decimal::from(TOP) + plot_h * (Decimal::ONE_HUNDRED - p) / (Decimal::ONE_HUNDRED - floor))
            .round_dp(1)
            .normalize()
    };
    writeln!(
        out,
        "<figure class=\"trend\"><figcaption>{}</figcaption>\n\
         <svg class=\"trend\" data-unit=\"{}\" data-rate=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" \
         aria-label=\"{}\">",
        esc(&view.caption(trend)),
        esc(&trend.unit),
        esc(&trend.rate),
        view.label(Label::Trend)
    )
    .ok();
    for (p, label) in [(Decimal::ONE_HUNDRED, "100%"), (floor, "")] {
        let text = if label.is_empty() {
            format!("{}%", floor.normalize())
        } else {
            label.to_string()
        };
        writeln!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\"/>\
             <text x=\"{2}\" y=\"{0}\" text-anchor=\"end\" dominant-baseline=\"middle\">{text}</text>",
            y(p),
            WIDTH - RIGHT,
            LEFT - 4
        )
        .ok();
    }
    if let Some(target) = trend.target {
        writeln!(
            out,
            "<line class=\"target\" x1=\"{LEFT}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\"/>\
             <text x=\"{1}\" y=\"{2}\" text-anchor=\"end\">{3} {4}%</text>",
            y(target),
            WIDTH - RIGHT,
            y(target) - Decimal::from(4),
            view.label(Label::Target),
            view.lang.number(&target.normalize().to_string())
        )
        .ok();
    }
    let line: Vec<String> = trend
        .months
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some(format!("{},{}", x(i), y(percent(m.year_to_date)?))))
        .collect();
    if !line.is_empty() {
        writeln!(
            out,
            "<polyline class=\"ytd\" points=\"{}\"/>",
            line.join(" ")
        )
        .ok();
    }
    for (i, month) in trend.months.iter().enumerate() {
        let dot = percent(month.count)
            .map(|p| {
                format!(
                    "<circle class=\"month\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/>",
                    x(i),
                    y(p)
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "<g class=\"month\" data-month=\"{}\"><title>{}: {} {}, {} {}</title>{dot}\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
            month.month,
            month.month,
            view.label(Label::MonthCount),
            esc(&view.rate(month.count)),
            view.label(Label::YearToDate),
            esc(&view.rate(month.year_to_date)),
            x(i),
            HEIGHT - 8,
            View::month(&month.month)
        )
        .ok();
    }
    out.push_str("</svg></figure>\n");
}
