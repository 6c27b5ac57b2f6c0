//! The HTML report of a study: one self-contained file (inline CSS and SVG, no script,
//! nothing fetched), like the evaluation report. Elements a reader or a test looks for carry
//! stable ids and classes: `#settings`, `svg.fan-chart` with a `g.unit` per unit (its
//! `rect.band` from p5 to p95, `line.median`, `circle.index`) and a `line.threshold` per
//! grade, `svg.rank-chart` (one per period) with a `g.unit` per unit, `table.units`,
//! `#variance-shares`, `#errors`.

use std::fmt::Write;

use parscore::Decimal;
use parscore_uncertainty::Level;

use super::Analysis;
use super::data::{Row, factor_title, figure, rank, rank_range};
use crate::output::html::{STYLE, code_spans, esc};
use crate::output::lang::{Label, Lang};

/// Units drawn in each chart; the tables list them all.
const CHART_UNITS: usize = 100;
const WIDTH: i64 = 720;
/// Where the plot starts, right of the units' names.
const PLOT_LEFT: i64 = 220;
const PLOT_RIGHT: i64 = 704;
const ROW: i64 = 26;
/// Above the first row: the grade thresholds' names.
const TOP: i64 = 24;
/// Below the last row: the axis and its ticks.
const BOTTOM: i64 = 30;
/// Characters of a unit's name beside a chart row (the tooltip has it whole).
const NAME_CHARS: usize = 30;

const CHART_STYLE: &str = r#"
ul.settings { color: var(--muted); margin: 0 0 12px; padding-left: 20px; }
svg.fan-chart, svg.rank-chart { width: 100%; max-width: 720px; height: auto; display: block; margin: 4px 0 6px; }
svg .band { fill: #90caf9; }
svg .median { stroke: #0d47a1; stroke-width: 3; }
svg .index { fill: var(--ink); }
svg .threshold { stroke: #b26a00; stroke-width: 1.2; stroke-dasharray: 5 3; }
svg text.threshold-label { fill: #663c00; font-size: 12px; }
svg .axis { stroke: var(--line); stroke-width: 1; }
svg text.tick { fill: var(--muted); font-size: 11px; }
svg .rank-cell { fill: #1565c0; }
svg .rank-frame { fill: none; stroke: var(--ink); stroke-width: 1.2; }
svg .rank-band { fill: #bbdefb; }
svg.rank-chart .index { fill: #fff; stroke: var(--ink); stroke-width: 1.5; }
"#;

pub fn render(analysis: &Analysis<'_>, lang: Lang) -> String {
    let scheme = analysis.scheme();
    let results = analysis.results;
    let mut out = String::new();
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}: {}</title>\n<style>{STYLE}{CHART_STYLE}</style>\n</head>\n<body>\n<header>",
        lang.code(),
        lang.label(Label::UncertaintyTitle),
        esc(scheme.title())
    )
    .ok();
    if scheme.estimated() {
        writeln!(
            out,
            "<div id=\"estimated-banner\" class=\"banner\" role=\"note\"><strong>{}</strong> \
             {} <code>parscore scheme show {}</code>.</div>",
            lang.label(Label::EstimatedBanner),
            lang.estimated_note(
                &format!("<code>{}</code>", esc(scheme.id())),
                &esc(scheme.version())
            ),
            esc(scheme.id())
        )
        .ok();
    }
    writeln!(
        out,
        "<h1>{}</h1>\n<p class=\"scheme\">{} · <code>{}</code> {} {}</p>\n\
         <ul class=\"settings\" id=\"settings\"><li>{}</li><li>{}: {}</li><li>{}: {}</li></ul>",
        lang.label(Label::UncertaintyTitle),
        esc(scheme.title()),
        esc(scheme.id()),
        lang.label(Label::Version),
        esc(scheme.version()),
        code_spans(&lang.samples_and_seed(results.samples, results.seed)),
        lang.label(Label::Model),
        code_spans(&lang.model(analysis.model)),
        lang.label(Label::FactorLevel),
        lang.label(match results.sensitivity {
            Some(Level::Criteria) => Label::FactorCriteria,
            _ => Label::FactorAreas,
        })
    )
    .ok();
    if analysis.certain {
        writeln!(
            out,
            "<p class=\"banner\" id=\"nothing-varies\">{}</p>",
            esc(lang.nothing_varies())
        )
        .ok();
    }
    out.push_str("</header>\n<main>\n");
    let ranked: Vec<Row<'_>> = analysis
        .ranked()
        .into_iter()
        .filter(|r| r.unit.p05.is_some())
        .collect();
    if !ranked.is_empty() {
        fan_chart(&mut out, analysis, &ranked, lang);
        rank_charts(&mut out, analysis, &ranked, lang);
    }
    units_table(&mut out, analysis, lang);
    shares_table(&mut out, analysis, lang);
    errors(&mut out, analysis, lang);
    writeln!(
        out,
        "<p class=\"note\" id=\"method\">{}</p>\n</main>\n<footer>{}</footer>\n</body>\n</html>",
        code_spans(lang.method_note()),
        esc(&lang.made_by())
    )
    .ok();
    out
}

/// A name cut to fit beside a chart row.
fn short_name(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_string()
    } else {
        name.chars().take(NAME_CHARS - 1).collect::<String>() + "…"
    }
}

/// The index scale of the fan chart: from below the lowest p5 to above the highest p95, on
/// whole tens, within 0–100.
fn index_scale(rows: &[Row<'_>]) -> (Decimal, Decimal) {
    let figures = rows
        .iter()
        .flat_map(|r| [r.unit.p05, r.unit.p95, r.unit.index])
        .flatten();
    let (mut low, mut high) = (Decimal::ONE_HUNDRED, Decimal::ZERO);
    for d in figures {
        low = low.min(d);
        high = high.max(d);
    }
    if low > high {
        return (Decimal::ZERO, Decimal::ONE_HUNDRED);
    }
    let ten = Decimal::TEN;
    let low = ((low - Decimal::TWO) / ten).floor() * ten;
    let high = ((high + Decimal::TWO) / ten).ceil() * ten;
    let low = low.clamp(Decimal::ZERO, Decimal::from(90));
    let high = high.clamp(low + ten, Decimal::ONE_HUNDRED.max(low + ten));
    (low, high)
}

/// The x of a figure on a scale, to 0.1: exact decimals, as the evaluation report's bars.
fn x_at(value: Decimal, (low, high): (Decimal, Decimal)) -> Decimal {
    let span = Decimal::from(PLOT_RIGHT - PLOT_LEFT);
    let value = value.clamp(low, high);
    (Decimal::from(PLOT_LEFT) + (value - low) * span / (high - low)).round_dp(1)
}

fn x_of(value: Decimal, scale: (Decimal, Decimal)) -> String {
    x_at(value, scale).normalize().to_string()
}

fn fan_chart(out: &mut String, analysis: &Analysis<'_>, rows: &[Row<'_>], lang: Lang) {
    let shown = &rows[..rows.len().min(CHART_UNITS)];
    let scale = index_scale(shown);
    let height = TOP + ROW * shown.len() as i64 + BOTTOM;
    let bottom = TOP + ROW * shown.len() as i64;
    writeln!(
        out,
        "<section id=\"fan\">\n<h2>{}</h2>\n<svg class=\"fan-chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
         aria-label=\"{}\">",
        lang.label(Label::FanChart),
        lang.label(Label::FanChart)
    )
    .ok();
    // The axis, a tick every ten (five on a narrow scale).
    let step = if scale.1 - scale.0 <= Decimal::from(30) {
        Decimal::from(5)
    } else {
        Decimal::TEN
    };
    writeln!(
        out,
        "<line class=\"axis\" x1=\"{PLOT_LEFT}\" x2=\"{PLOT_RIGHT}\" y1=\"{bottom}\" y2=\"{bottom}\"/>"
    )
    .ok();
    let mut tick = scale.0;
    while tick <= scale.1 {
        let x = x_of(tick, scale);
        writeln!(
            out,
            "<line class=\"axis\" x1=\"{x}\" x2=\"{x}\" y1=\"{bottom}\" y2=\"{}\"/>\
             <text class=\"tick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            bottom + 4,
            bottom + 18,
            lang.number(&tick.normalize().to_string())
        )
        .ok();
        tick += step;
    }
    for (name, min) in analysis.grades() {
        if min <= scale.0 || min > scale.1 {
            continue;
        }
        let x = x_of(min, scale);
        writeln!(
            out,
            "<g class=\"grade\"><line class=\"threshold\" x1=\"{x}\" x2=\"{x}\" y1=\"{}\" \
             y2=\"{bottom}\"/><text class=\"threshold-label\" x=\"{x}\" y=\"14\" \
             text-anchor=\"middle\">{}</text></g>",
            TOP - 6,
            esc(&lang.grade_from(name, &min.normalize().to_string()))
        )
        .ok();
    }
    for (i, row) in shown.iter().enumerate() {
        let u = row.unit;
        let (Some(p05), Some(p50), Some(p95)) = (u.p05, u.p50, u.p95) else {
            continue;
        };
        let y = TOP + ROW * i as i64;
        let name = u.unit.as_deref().unwrap_or("?");
        let (x05, x50) = (x_of(p05, scale), x_of(p50, scale));
        // A band that does not move is still seen: at least one unit wide.
        let width = (x_at(p95, scale) - x_at(p05, scale)).max(Decimal::ONE);
        let dot = u
            .index
            .map(|index| {
                format!(
                    "<circle class=\"index\" cx=\"{}\" cy=\"{}\" r=\"4\"/>",
                    x_of(index, scale),
                    y + 13
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "<g class=\"unit\" data-unit=\"{}\"><title>{}: {} {}; p5 {}, p50 {}, p95 {}; {}</title>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect class=\"band\" x=\"{x05}\" y=\"{}\" width=\"{}\" height=\"14\" rx=\"3\"/>\
             <line class=\"median\" x1=\"{x50}\" x2=\"{x50}\" y1=\"{}\" y2=\"{}\"/>{dot}</g>",
            esc(name),
            esc(name),
            lang.label(Label::Index),
            figure(u.index, lang),
            figure(Some(p05), lang),
            figure(Some(p50), lang),
            figure(Some(p95), lang),
            esc(&lang.grade_chances(&u.grades)),
            PLOT_LEFT - 8,
            y + 17,
            esc(&short_name(name)),
            y + 6,
            width.normalize(),
            y + 3,
            y + 23,
        )
        .ok();
    }
    out.push_str("</svg>\n");
    writeln!(
        out,
        "<p class=\"note\">{}</p>",
        esc(lang.label(Label::FanLegend))
    )
    .ok();
    omitted(out, rows.len(), lang);
    out.push_str("</section>\n");
}

/// One chart per period: the probability of each rank as a cell's shade (periods of at most
/// 30 units), the rank's p5–p95 as a frame, the rank under the scheme as a dot.
fn rank_charts(out: &mut String, analysis: &Analysis<'_>, rows: &[Row<'_>], lang: Lang) {
    writeln!(
        out,
        "<section id=\"ranks\">\n<h2>{}</h2>",
        lang.label(Label::RankChart)
    )
    .ok();
    let mut periods: Vec<Option<&str>> = Vec::new();
    for row in rows {
        let period = row.unit.period.as_deref();
        if !periods.contains(&period) {
            periods.push(period);
        }
    }
    for period in periods {
        let of_period: Vec<&Row<'_>> = rows
            .iter()
            .filter(|r| r.unit.period.as_deref() == period)
            .collect();
        let ranked = of_period.len() as i64;
        let shown = &of_period[..of_period.len().min(CHART_UNITS)];
        if let Some(period) = period.filter(|_| analysis.has_periods()) {
            writeln!(
                out,
                "<h3>{} {}</h3>",
                lang.label(Label::Period),
                esc(period)
            )
            .ok();
        }
        let cell = ((PLOT_RIGHT - PLOT_LEFT) / ranked.max(1)).clamp(1, 28);
        let height = TOP + ROW * shown.len() as i64 + 4;
        writeln!(
            out,
            "<svg class=\"rank-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \
             {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
             aria-label=\"{}\">",
            lang.label(Label::RankChart)
        )
        .ok();
        // Rank numbers above the columns, at most about twenty of them.
        let every = (ranked / 20 + 1).max(1);
        for r in (1..=ranked).filter(|r| (r - 1) % every == 0) {
            writeln!(
                out,
                "<text class=\"tick\" x=\"{}\" y=\"16\" text-anchor=\"middle\">{r}</text>",
                PLOT_LEFT + (r - 1) * cell + cell / 2
            )
            .ok();
        }
        for (i, row) in shown.iter().enumerate() {
            let u = row.unit;
            let y = TOP + ROW * i as i64;
            let name = u.unit.as_deref().unwrap_or("?");
            write!(
                out,
                "<g class=\"unit\" data-unit=\"{}\"><title>{}: {} {}; {} {}</title>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                esc(name),
                esc(name),
                lang.label(Label::Rank),
                rank(u.rank),
                lang.label(Label::RankRange),
                rank_range(u),
                PLOT_LEFT - 8,
                y + 17,
                esc(&short_name(name)),
            )
            .ok();
            let x_of_rank = |r: usize| PLOT_LEFT + (r as i64 - 1) * cell;
            match &u.ranks {
                Some(chances) => {
                    for (r, p) in chances.iter().enumerate().filter(|(_, p)| **p > 0.0) {
                        write!(
                            out,
                            "<rect class=\"rank-cell\" x=\"{}\" y=\"{}\" width=\"{cell}\" \
                             height=\"18\" fill-opacity=\"{:.3}\"><title>{} {}: {}</title></rect>",
                            x_of_rank(r + 1),
                            y + 4,
                            0.12 + 0.88 * p.clamp(0.0, 1.0),
                            lang.label(Label::Rank),
                            r + 1,
                            lang.probability(*p)
                        )
                        .ok();
                    }
                }
                None => {
                    if let (Some(a), Some(b)) = (u.rank_p05, u.rank_p95) {
                        write!(
                            out,
                            "<rect class=\"rank-band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\"/>",
                            x_of_rank(a),
                            y + 4,
                            (b.saturating_sub(a) as i64 + 1) * cell
                        )
                        .ok();
                    }
                }
            }
            if let (Some(a), Some(b)) = (u.rank_p05, u.rank_p95) {
                write!(
                    out,
                    "<rect class=\"rank-frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\"/>",
                    x_of_rank(a),
                    y + 4,
                    (b.saturating_sub(a) as i64 + 1) * cell
                )
                .ok();
            }
            if let Some(r) = u.rank {
                write!(
                    out,
                    "<circle class=\"index\" cx=\"{}\" cy=\"{}\" r=\"3.5\"/>",
                    x_of_rank(r) + cell / 2,
                    y + 13
                )
                .ok();
            }
            out.push_str("</g>\n");
        }
        out.push_str("</svg>\n");
        omitted(out, of_period.len(), lang);
    }
    writeln!(
        out,
        "<p class=\"note\">{}</p>\n</section>",
        esc(lang.label(Label::RankLegend))
    )
    .ok();
}

/// Said under a chart that leaves units out.
fn omitted(out: &mut String, units: usize, lang: Lang) {
    if units > CHART_UNITS {
        let text = match lang {
            Lang::Vi => format!(
                "Biểu đồ chỉ vẽ {CHART_UNITS} đơn vị đầu theo xếp hạng trong {units}; bảng bên \
                 dưới liệt kê tất cả."
            ),
            Lang::En => format!(
                "The chart draws the first {CHART_UNITS} of {units} units by rank; the table \
                 below lists them all."
            ),
        };
        writeln!(out, "<p class=\"note\">{}</p>", esc(&text)).ok();
    }
}

fn units_table(out: &mut String, analysis: &Analysis<'_>, lang: Lang) {
    let with_period = analysis.has_periods();
    write!(
        out,
        "<section id=\"units\">\n<h2>{}</h2>\n<table class=\"units\">\n<thead><tr>\
         <th class=\"num\">{}</th><th>{}</th>",
        lang.label(Label::Units),
        lang.label(Label::Rank),
        lang.label(Label::Unit)
    )
    .ok();
    if with_period {
        write!(out, "<th>{}</th>", lang.label(Label::Period)).ok();
    }
    writeln!(
        out,
        "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th></tr></thead>\n<tbody>",
        lang.label(Label::Index),
        lang.label(Label::P05),
        lang.label(Label::P50),
        lang.label(Label::P95),
        lang.label(Label::Grade),
        lang.label(Label::GradeProbability),
        lang.label(Label::RankRange),
        lang.label(Label::Missing),
    )
    .ok();
    for row in analysis.ranked() {
        let u = row.unit;
        if u.error.is_some() {
            continue;
        }
        write!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td>",
            rank(u.rank),
            esc(u.unit.as_deref().unwrap_or("?"))
        )
        .ok();
        if with_period {
            write!(out, "<td>{}</td>", esc(u.period.as_deref().unwrap_or(""))).ok();
        }
        writeln!(
            out,
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            figure(u.index, lang),
            figure(u.p05, lang),
            figure(u.p50, lang),
            figure(u.p95, lang),
            esc(u.grade.as_deref().unwrap_or("-")),
            esc(&lang.grade_chances(&u.grades)),
            rank_range(u),
            row.missing.map_or_else(String::new, |(n, _)| n.to_string()),
        )
        .ok();
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn shares_table(out: &mut String, analysis: &Analysis<'_>, lang: Lang) {
    let factors = analysis.factors();
    if factors.is_empty() || analysis.certain {
        return;
    }
    writeln!(
        out,
        "<section id=\"variance-shares\">\n<h2>{}</h2>\n<table class=\"shares\">\n<thead><tr>\
         <th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
         <th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>",
        lang.label(Label::VarianceShares),
        lang.label(Label::Factor),
        lang.label(Label::Title),
        lang.label(Label::FirstOrder),
        lang.label(Label::TotalEffect),
        lang.label(Label::RankFirstOrder),
        lang.label(Label::RankTotalEffect),
    )
    .ok();
    let scheme = analysis.scheme();
    for factor in factors {
        let (rank_first, rank_total) = factor.rank.map_or_else(Default::default, |r| {
            (
                lang.share_se(r.first, r.first_se),
                lang.share_se(r.total, r.total_se),
            )
        });
        writeln!(
            out,
            "<tr data-code=\"{}\"><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(factor.code),
            esc(factor.code),
            esc(&factor_title(scheme, factor.code, lang)),
            lang.share_se(factor.index.first, factor.index.first_se),
            lang.share_se(factor.index.total, factor.index.total_se),
            rank_first,
            rank_total,
        )
        .ok();
    }
    writeln!(
        out,
        "</tbody>\n</table>\n<p class=\"note\">± {}</p>\n</section>",
        lang.label(Label::StandardError)
    )
    .ok();
}

fn errors(out: &mut String, analysis: &Analysis<'_>, lang: Lang) {
    let failed: Vec<Row<'_>> = analysis
        .rows()
        .into_iter()
        .filter(|r| r.unit.error.is_some())
        .collect();
    if failed.is_empty() {
        return;
    }
    writeln!(
        out,
        "<section id=\"errors\">\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th>\
         <th>{}</th></tr></thead>\n<tbody>",
        lang.label(Label::Errors),
        lang.label(Label::Place),
        lang.label(Label::Unit),
        lang.label(Label::Error)
    )
    .ok();
    for row in failed {
        writeln!(
            out,
            "<tr class=\"error\"><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&row.place.to_string()),
            esc(row.unit.unit.as_deref().unwrap_or("")),
            esc(row.unit.error.as_deref().unwrap_or(""))
        )
        .ok();
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
