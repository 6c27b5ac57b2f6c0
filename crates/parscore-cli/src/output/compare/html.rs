//! The HTML comparison: one self-contained file (inline CSS and SVG, no script), like the
//! evaluate report. Elements a reader or a test looks for carry stable ids and classes:
//! `#headline`, `table.units`, `svg.rank-moves` with one `g.move` per unit,
//! `table.appraisal`, `section.unit` with `svg.area-change` (one `g.area` per area) and
//! `table.changes`.

use std::fmt::Write;

use parscore::Decimal;
use parscore_compare::{Change, UnitChange};

use super::view::View;
use crate::output::html::{STYLE, esc};
use crate::output::lang::Label;

const CHART_WIDTH: u32 = 720;
const AREA_ROW: u32 = 42;
/// Half the chart: a change as large as the largest fills it, to either side of the axis.
const HALF: u32 = CHART_WIDTH / 2;
const RANK_ROW: u32 = 24;
/// Units with both ranks beyond which the rank chart would be unreadable; the table keeps
/// every rank.
const RANK_CHART_LIMIT: usize = 60;
const TITLE_CHARS: usize = 72;

const EXTRA_STYLE: &str = r#"
svg.area-change, svg.rank-moves { width: 100%; max-width: 720px; height: auto; display: block; margin: 4px 0 10px; }
svg .up { fill: var(--ok); }
svg .down { fill: var(--lost); }
svg line.axis { stroke: var(--line); stroke-width: 1; }
svg line.up { stroke: var(--ok); stroke-width: 2; }
svg line.down { stroke: var(--lost); stroke-width: 2; }
svg line.same { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 4 3; }
td.up { color: var(--ok); font-weight: 600; }
td.down { color: var(--lost); font-weight: 600; }
"#;

pub fn render(view: &View<'_>) -> String {
    let scheme = view.scheme;
    let c = view.c;
    let mut out = String::new();
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}: {} → {}</title>\n<style>{STYLE}{EXTRA_STYLE}</style>\n</head>\n<body>\n<header>",
        view.lang.code(),
        view.label(Label::CompareTitle),
        esc(&c.labels.before),
        esc(&c.labels.after)
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
         <p id=\"headline\"><strong>{}</strong></p>",
        view.label(Label::CompareTitle),
        esc(scheme.title()),
        esc(scheme.id()),
        view.label(Label::Version),
        esc(scheme.version()),
        esc(&view.headline())
    )
    .ok();
    if let Some(gaps) = view.gaps_line() {
        writeln!(
            out,
            "<p class=\"banner gaps\" id=\"headline-gaps\">{}</p>",
            esc(&gaps)
        )
        .ok();
    }
    out.push_str("</header>\n<main>\n");
    units_table(&mut out, view);
    rank_moves(&mut out, view);
    appraisal(&mut out, view);
    if let Some(omitted) = view.details_omitted() {
        writeln!(
            out,
            "<p class=\"note\" id=\"details-omitted\">{}</p>",
            esc(&omitted)
        )
        .ok();
    }
    let details = view.details();
    let scale = details
        .iter()
        .flat_map(|u| u.areas.iter().map(|a| a.delta.abs()))
        .max()
        .unwrap_or(Decimal::ZERO);
    for (i, unit) in details.iter().enumerate() {
        unit_detail(&mut out, view, unit, i + 1, scale);
    }
    writeln!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>",
        esc(&view.lang.made_by())
    )
    .ok();
    out
}

/// `up` or `down` for a figure that rose or fell, for its cell's colour.
fn direction(d: Option<Decimal>) -> &'static str {
    match d {
        Some(d) if d > Decimal::ZERO => " up",
        Some(d) if d < Decimal::ZERO => " down",
        _ => "",
    }
}

fn units_table(out: &mut String, view: &View<'_>) {
    writeln!(
        out,
        "<section id=\"units\">\n<h2>{}</h2>\n<table class=\"units\">\n<thead><tr><th>{}</th>\
         <th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>",
        view.label(Label::Units),
        view.label(Label::Unit),
        view.label(Label::Period),
        esc(&view.of_side(Label::Index, false)),
        esc(&view.of_side(Label::Index, true)),
        view.label(Label::Difference),
        view.label(Label::Grade),
        view.label(Label::Rank),
        view.label(Label::Changes)
    )
    .ok();
    let details = view.details();
    for u in &view.c.units {
        let anchor = details
            .iter()
            .position(|d| std::ptr::eq(*d, u))
            .map(|i| format!("unit-{}", i + 1));
        let unit = match &anchor {
            Some(anchor) => format!("<a href=\"#{anchor}\">{}</a>", esc(&u.unit)),
            None => esc(&u.unit),
        };
        let mut changes = esc(&view.changes(u));
        if let Some(why) = view.not_compared(u) {
            if !changes.is_empty() {
                changes.push_str("; ");
            }
            write!(changes, "<em>{}</em>", esc(&why)).ok();
        }
        if let Some(gaps) = view.unit_gaps(u) {
            write!(changes, " <span class=\"bad\">({})</span>", esc(&gaps)).ok();
        }
        writeln!(
            out,
            "<tr data-unit=\"{}\"><td>{unit}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num{}\">{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{changes}</td></tr>",
            esc(&u.unit),
            esc(&view.periods(u)),
            view.maybe(u.index_before),
            view.maybe(u.index_after),
            direction(u.delta),
            view.signed(u.delta),
            esc(&view.grades(u)),
            esc(&view.ranks(u))
        )
        .ok();
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// A slope chart: each unit's rank before on the left, after on the right, joined by a line
/// that is green when it rose, red when it fell.
fn rank_moves(out: &mut String, view: &View<'_>) {
    let ranked: Vec<(&UnitChange, usize, usize)> = view
        .c
        .units
        .iter()
        .filter_map(|u| Some((u, u.rank_before?, u.rank_after?)))
        .collect();
    let lowest = ranked
        .iter()
        .map(|(_, b, a)| (*b).max(*a))
        .max()
        .unwrap_or(1);
    if ranked.is_empty() || ranked.len() > RANK_CHART_LIMIT || lowest > 3 * RANK_CHART_LIMIT {
        return;
    }
    let lowest = lowest as u32;
    let top = 30;
    let height = top + RANK_ROW * lowest + 8;
    let (left, right) = (150, 330);
    let y = |rank: usize| top + RANK_ROW * (rank.max(1) as u32 - 1) + RANK_ROW / 2;
    writeln!(
        out,
        "<section id=\"rank-moves\">\n<h2>{}</h2>\n<svg class=\"rank-moves\" \
         xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         width=\"{CHART_WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">\n\
         <text x=\"{left}\" y=\"16\" text-anchor=\"middle\" font-weight=\"600\">{}</text>\
         <text x=\"{right}\" y=\"16\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
        view.label(Label::RankMoves),
        view.label(Label::RankMoves),
        esc(&view.c.labels.before),
        esc(&view.c.labels.after)
    )
    .ok();
    // Units tied on the right share one label, their names joined.
    let mut labels: Vec<(usize, Vec<&str>)> = Vec::new();
    for (u, before, after) in &ranked {
        let (before, after) = (*before, *after);
        let class = match after.cmp(&before) {
            std::cmp::Ordering::Less => "up",
            std::cmp::Ordering::Greater => "down",
            std::cmp::Ordering::Equal => "same",
        };
        let (y0, y1) = (y(before), y(after));
        writeln!(
            out,
            "<g class=\"move {class}\" data-unit=\"{}\"><title>{}: {}</title>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{before}</text>\
             <line class=\"{class}\" x1=\"{left}\" y1=\"{y0}\" x2=\"{right}\" y2=\"{y1}\"/></g>",
            esc(&u.unit),
            esc(&u.unit),
            esc(&view.ranks(u)),
            left - 8,
            y0 + 4,
        )
        .ok();
        match labels.iter_mut().find(|(rank, _)| *rank == after) {
            Some((_, names)) => names.push(&u.unit),
            None => labels.push((after, vec![&u.unit])),
        }
    }
    for (rank, names) in labels {
        writeln!(
            out,
            "<text class=\"rank-after\" x=\"{}\" y=\"{}\">{rank} {}</text>",
            right + 8,
            y(rank) + 4,
            esc(&cut(&names.join(", ")))
        )
        .ok();
    }
    out.push_str("</svg>\n</section>\n");
}

fn appraisal(out: &mut String, view: &View<'_>) {
    let Some(lowered) = &view.c.appraisal else {
        return;
    };
    writeln!(
        out,
        "<section id=\"appraisal\">\n<h2>{}</h2>",
        view.label(Label::AppraisalList)
    )
    .ok();
    if lowered.is_empty() {
        writeln!(
            out,
            "<p class=\"note\">{}</p>\n</section>",
            view.label(Label::NothingLowered)
        )
        .ok();
        return;
    }
    writeln!(
        out,
        "<table class=\"appraisal\"><thead><tr><th>{}</th><th>{}</th><th>{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th>\
         <th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        view.label(Label::Unit),
        view.label(Label::Criterion),
        view.label(Label::Title),
        esc(&view.of_side(Label::Points, false)),
        esc(&view.of_side(Label::Points, true)),
        view.label(Label::Difference),
        view.label(Label::Value),
        view.label(Label::LeadUnit),
        view.label(Label::ExplanationDue)
    )
    .ok();
    for l in lowered {
        writeln!(
            out,
            "<tr class=\"lowered\" data-code=\"{}\"><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num{}\">{}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.code),
            esc(&l.unit),
            esc(&l.code),
            esc(&l.title),
            view.points(l.points_before),
            view.points(l.points_after),
            direction(Some(l.delta)),
            view.signed(Some(l.delta)),
            esc(&view.both(&view.value(l.value_before), &view.value(l.value_after))),
            esc(view.lead(&l.lead)),
            view.yes_no(l.explanation_due)
        )
        .ok();
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn unit_detail(out: &mut String, view: &View<'_>, u: &UnitChange, n: usize, scale: Decimal) {
    writeln!(
        out,
        "<section class=\"unit\" id=\"unit-{n}\" data-unit=\"{}\">\n<h2>{}</h2>\n\
         <p class=\"unit-headline\"><span class=\"index\">{} → {}</span> \
         <span class=\"grade\">({})</span> — {}, {} {}{}</p>",
        esc(&u.unit),
        esc(&u.unit),
        view.maybe(u.index_before),
        view.maybe(u.index_after),
        view.signed(u.delta),
        esc(&view.grades(u)),
        view.label(Label::Rank),
        esc(&view.ranks(u)),
        view.unit_gaps(u)
            .map(|g| format!(" · <strong class=\"gaps\">{}</strong>", esc(&g)))
            .unwrap_or_default()
    )
    .ok();
    writeln!(out, "<h3>{}</h3>", view.label(Label::AreaChanges)).ok();
    area_chart(out, view, u, n, scale);
    writeln!(out, "<h3>{}</h3>", view.label(Label::CriteriaChanged)).ok();
    let changed: Vec<_> = u
        .criteria
        .iter()
        .filter(|c| c.change != Change::Same)
        .collect();
    if changed.is_empty() {
        writeln!(
            out,
            "<p class=\"note\">{}</p>",
            view.label(Label::NoCriterionChanged)
        )
        .ok();
    } else {
        writeln!(
            out,
            "<table class=\"changes\"><thead><tr><th>{}</th><th>{}</th><th>{}</th>\
             <th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
             <th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            view.label(Label::Criterion),
            view.label(Label::Title),
            view.label(Label::Value),
            esc(&view.of_side(Label::Points, false)),
            esc(&view.of_side(Label::Points, true)),
            view.label(Label::Difference),
            view.label(Label::Changes),
            view.label(Label::LeadUnit)
        )
        .ok();
        for c in changed {
            writeln!(
                out,
                "<tr class=\"change {}\" data-code=\"{}\"><td>{}</td><td>{}</td><td>{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num{}\">{}</td>\
                 <td>{}</td><td>{}</td></tr>",
                c.change.name(),
                esc(&c.code),
                esc(&c.code),
                esc(&c.title),
                esc(&view.both(&view.value(c.value_before), &view.value(c.value_after))),
                view.points(c.points_before),
                view.points(c.points_after),
                direction(Some(c.delta)),
                view.signed(Some(c.delta)),
                view.change(c.change),
                esc(view.lead(&c.lead))
            )
            .ok();
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

/// A bar per area from the axis in the middle: right and green for points gained, left and
/// red for points lost, on one scale for every unit of the report.
fn area_chart(out: &mut String, view: &View<'_>, u: &UnitChange, n: usize, scale: Decimal) {
    let height = AREA_ROW * u.areas.len() as u32 + 6;
    writeln!(
        out,
        "<svg class=\"area-change\" id=\"unit-{n}-chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-label=\"{}\">\n\
         <line class=\"axis\" x1=\"{HALF}\" y1=\"0\" x2=\"{HALF}\" y2=\"{height}\"/>",
        view.label(Label::AreaChanges)
    )
    .ok();
    for (i, area) in u.areas.iter().enumerate() {
        let y = AREA_ROW * i as u32;
        let width = width_of(area.delta.abs(), scale);
        let (class, x) = if area.delta < Decimal::ZERO {
            ("down", format!("{}", Decimal::from(HALF) - width))
        } else {
            ("up", HALF.to_string())
        };
        let figures = format!(
            "{} → {} ({})",
            view.points(area.points_before),
            view.points(area.points_after),
            view.signed(Some(area.delta))
        );
        writeln!(
            out,
            "<g class=\"area\" data-code=\"{}\" data-delta=\"{}\"><title>{} {}: {figures}</title>\
             <text x=\"0\" y=\"{}\"><tspan font-weight=\"600\">{}</tspan> {} · {figures}</text>\
             <rect class=\"{class}\" x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"14\"/></g>",
            esc(&area.code),
            area.delta.normalize(),
            esc(&area.code),
            esc(&area.title),
            y + 14,
            esc(&area.code),
            esc(&cut(&area.title)),
            y + 20
        )
        .ok();
    }
    out.push_str("</svg>\n");
}

/// The width a change takes when `scale` fills half the chart, to 0.1.
fn width_of(delta: Decimal, scale: Decimal) -> Decimal {
    if scale <= Decimal::ZERO || delta <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    (delta.min(scale) * Decimal::from(HALF) / scale)
        .round_dp(1)
        .normalize()
}

/// A title cut to what fits beside the figures; whole in the tooltip and the tables.
fn cut(text: &str) -> String {
    if text.chars().count() > TITLE_CHARS {
        let cut: String = text.chars().take(TITLE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_take_half_the_chart_at_the_largest_change() {
        assert_eq!(width_of(Decimal::ONE, Decimal::ONE).to_string(), "360");
        assert_eq!(
            width_of(Decimal::new(25, 2), Decimal::ONE).to_string(),
            "90"
        );
        assert_eq!(width_of(Decimal::ZERO, Decimal::ZERO).to_string(), "0");
    }
}
