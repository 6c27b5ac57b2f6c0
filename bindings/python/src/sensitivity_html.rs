//! A study as HTML for a notebook: a fan chart of each unit's index against the grade
//! thresholds, a rank-stability chart per period, the units and the variance shares. Inline
//! SVG and inline styles (a notebook may drop a `<style>`), nothing fetched, no script. The
//! charts carry the classes of the command's HTML report (`svg.fan-chart` with a `g.unit` per
//! unit: `rect.band` p5–p95, `line.median`, `circle.index`, and a `line.threshold` per grade;
//! `svg.rank-chart`), so that a reader of one finds their way in the other.
//!
//! Positions are drawn in floating point: they place marks on a picture and are never read
//! back as figures; every figure written out is the study's exact decimal.

use std::fmt::Write;

use html_escape::encode_quoted_attribute as escape;
use parscore::{Decimal, nearest_f64};
use parscore_uncertainty::UnitUncertainty;

use crate::html::Lang;
use crate::sensitivity::{PySensitivity, factor_title};

/// Units drawn in a chart; the table lists them all.
const CHART_UNITS: usize = 60;
const WIDTH: f64 = 720.0;
const LEFT: f64 = 200.0;
const RIGHT: f64 = 700.0;
const ROW: f64 = 22.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 26.0;
const NAME_CHARS: usize = 28;

const CELL: &str = "style=\"padding:2px 6px;border-bottom:1px solid #ddd;text-align:left\"";
const NUMBER: &str = "style=\"padding:2px 6px;border-bottom:1px solid #ddd;text-align:right\"";

struct Words {
    title: &'static str,
    samples: &'static str,
    seed: &'static str,
    nothing_varies: &'static str,
    fan: &'static str,
    ranks: &'static str,
    unit: &'static str,
    period: &'static str,
    index: &'static str,
    range: &'static str,
    grade: &'static str,
    probability: &'static str,
    rank: &'static str,
    rank_range: &'static str,
    shares: &'static str,
    factor: &'static str,
    first: &'static str,
    total: &'static str,
    error: &'static str,
    estimates: &'static str,
}

const VI: Words = Words {
    title: "Độ tin cậy của Chỉ số CCHC: phân tích bất định và độ nhạy",
    samples: "mẫu",
    seed: "hạt giống (seed)",
    nothing_varies: "Mô hình không có yếu tố bất định: mọi mẫu là bộ tiêu chí như hiện có.",
    fan: "Khoảng chỉ số (p5–p95) so với ngưỡng xếp loại",
    ranks: "Độ ổn định của xếp hạng (p5–p95)",
    unit: "đơn vị",
    period: "kỳ",
    index: "Chỉ số CCHC",
    range: "p5 – p50 – p95",
    grade: "xếp loại",
    probability: "xác suất",
    rank: "xếp hạng",
    rank_range: "khoảng xếp hạng",
    shares: "Tỷ trọng phương sai của chỉ số",
    factor: "yếu tố",
    first: "bậc một (± sai số chuẩn)",
    total: "toàn phần (± sai số chuẩn)",
    error: "lỗi",
    estimates: "Xác suất và tỷ trọng phương sai là ước lượng từ các mẫu (số thực); chỉ số và các phân vị là số thập phân chính xác.",
};

const EN: Words = Words {
    title: "How sure the index is: uncertainty and sensitivity",
    samples: "samples",
    seed: "seed",
    nothing_varies: "Nothing varies under this model: every sample is the scheme as it is.",
    fan: "Index range (p5–p95) against the grade thresholds",
    ranks: "Rank stability (p5–p95)",
    unit: "unit",
    period: "period",
    index: "index",
    range: "p5 – p50 – p95",
    grade: "grade",
    probability: "probability",
    rank: "rank",
    rank_range: "rank range",
    shares: "Share of the index's variance",
    factor: "factor",
    first: "first-order (± standard error)",
    total: "total (± standard error)",
    error: "error",
    estimates: "Probabilities and variance shares are estimates from the samples (floats); the index and its quantiles are exact decimals.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// An exact figure in the reader's digits (`85,12` in Vietnamese); `-` for none.
fn figure(d: Option<Decimal>, lang: Lang) -> String {
    let Some(d) = d else { return "-".into() };
    let text = d.to_string();
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A probability or share as a percent with one decimal.
fn percent(p: Option<f64>, lang: Lang) -> String {
    let Some(p) = p else { return "-".into() };
    let text = format!("{:.1}%", p * 100.0);
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

fn short(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_string()
    } else {
        name.chars().take(NAME_CHARS - 1).collect::<String>() + "…"
    }
}

pub fn render(study: &PySensitivity, lang: Lang) -> String {
    let w = words(lang);
    let results = &study.results;
    let scheme = &study.batch().scheme;
    let mut out = String::from("<div class=\"parscore-sensitivity\">");
    write!(
        out,
        "<p><b>{}</b><br>{} · <code>{}</code> · {} {} · {} {}</p>",
        w.title,
        escape(scheme.title()),
        escape(scheme.id()),
        results.samples,
        w.samples,
        w.seed,
        results.seed
    )
    .ok();
    if study.certain {
        write!(
            out,
            "<p style=\"background:#fff4ce;padding:4px 8px\">{}</p>",
            w.nothing_varies
        )
        .ok();
    }
    // By period, then by the index as scored, highest first: the order of a ranking.
    let mut shown: Vec<&UnitUncertainty> =
        results.units.iter().filter(|u| u.p05.is_some()).collect();
    shown.sort_by(|a, b| a.period.cmp(&b.period).then(b.index.cmp(&a.index)));
    if !shown.is_empty() {
        fan_chart(
            &mut out,
            study,
            &shown[..shown.len().min(CHART_UNITS)],
            lang,
        );
        let mut periods: Vec<Option<&str>> = shown.iter().map(|u| u.period.as_deref()).collect();
        periods.dedup();
        for period in periods {
            let units: Vec<&UnitUncertainty> = shown
                .iter()
                .copied()
                .filter(|u| u.period.as_deref() == period)
                .take(CHART_UNITS)
                .collect();
            rank_chart(&mut out, &units, period, lang);
        }
    }
    units_table(&mut out, study, lang);
    if !results.variance_share.is_empty() {
        write!(
            out,
            "<p><b>{}</b></p><table class=\"variance-shares\" style=\"border-collapse:collapse;\
             font-size:90%\"><thead><tr><th {CELL}>{}</th><th {CELL}></th><th {NUMBER}>{}</th>\
             <th {NUMBER}>{}</th></tr></thead><tbody>",
            w.shares, w.factor, w.first, w.total
        )
        .ok();
        for share in &results.variance_share {
            let with_se = |v: Option<f64>, se: Option<f64>| match (v, se) {
                (Some(_), Some(_)) => format!("{} ± {}", percent(v, lang), percent(se, lang)),
                _ => percent(v, lang),
            };
            write!(
                out,
                "<tr><td {CELL}><code>{}</code></td><td {CELL}>{}</td><td {NUMBER}>{}</td>\
                 <td {NUMBER}>{}</td></tr>",
                escape(&share.code),
                escape(&factor_title(scheme, &share.code)),
                with_se(share.first, share.first_se),
                with_se(share.total, share.total_se)
            )
            .ok();
        }
        out.push_str("</tbody></table>");
    }
    write!(
        out,
        "<p style=\"color:#666;font-size:85%\">{}</p></div>",
        w.estimates
    )
    .ok();
    out
}

/// The index scale: from below the lowest p5 to above the highest p95, on whole tens.
fn scale(units: &[&UnitUncertainty]) -> (f64, f64) {
    let figures = units
        .iter()
        .flat_map(|u| [u.p05, u.p95, u.index])
        .flatten()
        .map(nearest_f64);
    let (low, high) = figures.fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    if low > high {
        return (0.0, 100.0);
    }
    let top = (((high + 2.0) / 10.0).ceil() * 10.0).max(low + 10.0);
    let low = (((low - 2.0) / 10.0).floor() * 10.0).clamp(0.0, 90.0);
    // Within 100, unless a bonus takes an index past it.
    let top = if high <= 100.0 { top.min(100.0) } else { top };
    (low, top.max(low + 10.0))
}

fn fan_chart(out: &mut String, study: &PySensitivity, units: &[&UnitUncertainty], lang: Lang) {
    let w = words(lang);
    let (low, high) = scale(units);
    let x = |d: Decimal| {
        let v = nearest_f64(d).clamp(low, high);
        LEFT + (v - low) / (high - low) * (RIGHT - LEFT)
    };
    let bottom = TOP + ROW * units.len() as f64;
    let height = bottom + BOTTOM;
    write!(
        out,
        "<p><b>{}</b></p><svg class=\"fan-chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
         aria-label=\"{}\" style=\"max-width:100%;height:auto\">",
        w.fan, w.fan
    )
    .ok();
    write!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{bottom}\" y2=\"{bottom}\" \
         stroke=\"#999\"/>"
    )
    .ok();
    let step = if high - low <= 30.0 { 5.0 } else { 10.0 };
    let mut tick = low;
    while tick <= high + 1e-9 {
        let tx = LEFT + (tick - low) / (high - low) * (RIGHT - LEFT);
        write!(
            out,
            "<text class=\"tick\" x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#666\" \
             text-anchor=\"middle\">{tick}</text>",
            bottom + 16.0
        )
        .ok();
        tick += step;
    }
    for grade in study.batch().scheme.grades() {
        let v = nearest_f64(grade.min_index);
        if v < low || v > high {
            continue;
        }
        let gx = x(grade.min_index);
        write!(
            out,
            "<line class=\"threshold\" x1=\"{gx:.1}\" x2=\"{gx:.1}\" y1=\"{:.1}\" y2=\"{bottom}\" \
             stroke=\"#b26a00\" stroke-dasharray=\"5 3\"/><text class=\"threshold-label\" \
             x=\"{gx:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#663c00\" text-anchor=\"middle\">\
             {} {}</text>",
            TOP - 4.0,
            TOP - 8.0,
            escape(&grade.name),
            figure(Some(grade.min_index.normalize()), lang)
        )
        .ok();
    }
    for (i, unit) in units.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let name = unit.unit.as_deref().unwrap_or("-");
        let (Some(p05), Some(p50), Some(p95)) = (unit.p05, unit.p50, unit.p95) else {
            continue;
        };
        let tooltip = format!(
            "{name}: {} {} ({} {} – {} – {})",
            w.index,
            figure(unit.index, lang),
            w.range,
            figure(Some(p05), lang),
            figure(Some(p50), lang),
            figure(Some(p95), lang)
        );
        write!(
            out,
            "<g class=\"unit\"><title>{}</title><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" \
             text-anchor=\"end\">{}</text><rect class=\"band\" x=\"{:.1}\" y=\"{:.1}\" \
             width=\"{:.1}\" height=\"{:.1}\" fill=\"#90caf9\"/>",
            escape(&tooltip),
            LEFT - 6.0,
            y + ROW * 0.65,
            escape(&short(name)),
            x(p05),
            y + 5.0,
            (x(p95) - x(p05)).max(1.0),
            ROW - 10.0,
        )
        .ok();
        let (mx, y1, y2) = (x(p50), y + 3.0, y + ROW - 3.0);
        write!(
            out,
            "<line class=\"median\" x1=\"{mx:.1}\" x2=\"{mx:.1}\" y1=\"{y1:.1}\" y2=\"{y2:.1}\" \
             stroke=\"#0d47a1\" stroke-width=\"3\"/>"
        )
        .ok();
        if let Some(index) = unit.index {
            write!(
                out,
                "<circle class=\"index\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#222\"/>",
                x(index),
                y + ROW / 2.0
            )
            .ok();
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
}

fn rank_chart(out: &mut String, units: &[&UnitUncertainty], period: Option<&str>, lang: Lang) {
    let w = words(lang);
    let n = units
        .iter()
        .filter_map(|u| u.rank_p95.max(u.rank))
        .max()
        .unwrap_or(1)
        .max(1);
    let x = |rank: usize| {
        if n == 1 {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + (rank as f64 - 1.0) / (n as f64 - 1.0) * (RIGHT - LEFT)
        }
    };
    let bottom = TOP + ROW * units.len() as f64;
    let height = bottom + BOTTOM;
    let heading = match period {
        Some(p) => format!("{} · {} {}", w.ranks, w.period, p),
        None => w.ranks.to_string(),
    };
    write!(
        out,
        "<p><b>{}</b></p><svg class=\"rank-chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" \
         aria-label=\"{}\" style=\"max-width:100%;height:auto\">",
        escape(&heading),
        escape(&heading)
    )
    .ok();
    for rank in 1..=n {
        if n <= 20 || rank == 1 || rank == n || rank % 5 == 0 {
            write!(
                out,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#666\" \
                 text-anchor=\"middle\">{rank}</text>",
                x(rank),
                bottom + 16.0
            )
            .ok();
        }
    }
    for (i, unit) in units.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let name = unit.unit.as_deref().unwrap_or("-");
        let (Some(best), Some(worst)) = (unit.rank_p05, unit.rank_p95) else {
            continue;
        };
        let tooltip = format!(
            "{name}: {} {} ({} {best}–{worst})",
            w.rank,
            unit.rank.map_or("-".into(), |r| r.to_string()),
            w.rank_range
        );
        write!(
            out,
            "<g class=\"unit\"><title>{}</title><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" \
             text-anchor=\"end\">{}</text><rect class=\"rank-band\" x=\"{:.1}\" y=\"{:.1}\" \
             width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"#bbdefb\"/>",
            escape(&tooltip),
            LEFT - 6.0,
            y + ROW * 0.65,
            escape(&short(name)),
            x(best) - 5.0,
            y + 5.0,
            x(worst) - x(best) + 10.0,
            ROW - 10.0
        )
        .ok();
        if let Some(rank) = unit.rank {
            write!(
                out,
                "<circle class=\"index\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#fff\" \
                 stroke=\"#222\" stroke-width=\"1.5\"/>",
                x(rank),
                y + ROW / 2.0
            )
            .ok();
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
}

fn units_table(out: &mut String, study: &PySensitivity, lang: Lang) {
    let w = words(lang);
    write!(
        out,
        "<table class=\"units\" style=\"border-collapse:collapse;font-size:90%\"><thead><tr>\
         <th {CELL}>{}</th><th {CELL}>{}</th><th {NUMBER}>{}</th><th {NUMBER}>{}</th>\
         <th {CELL}>{}</th><th {NUMBER}>{}</th><th {NUMBER}>{}</th><th {NUMBER}>{}</th>\
         </tr></thead><tbody>",
        w.unit, w.period, w.index, w.range, w.grade, w.probability, w.rank, w.rank_range
    )
    .ok();
    for unit in &study.results.units {
        if let Some(error) = &unit.error {
            write!(
                out,
                "<tr style=\"background:#fbe3e3\"><td {CELL}>{}</td><td {CELL}>{}</td>\
                 <td {CELL} colspan=\"6\">{}: {}</td></tr>",
                escape(unit.unit.as_deref().unwrap_or("-")),
                escape(unit.period.as_deref().unwrap_or("")),
                w.error,
                escape(error)
            )
            .ok();
            continue;
        }
        let probability = unit
            .grade
            .as_ref()
            .and_then(|g| unit.grades.iter().find(|(name, _)| name == g))
            .map(|(_, p)| *p);
        let range = format!(
            "{} – {} – {}",
            figure(unit.p05, lang),
            figure(unit.p50, lang),
            figure(unit.p95, lang)
        );
        let ranks = match (unit.rank_p05, unit.rank_p95) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "-".into(),
        };
        write!(
            out,
            "<tr><td {CELL}>{}</td><td {CELL}>{}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td>\
             <td {CELL}>{}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td></tr>",
            escape(unit.unit.as_deref().unwrap_or("-")),
            escape(unit.period.as_deref().unwrap_or("")),
            figure(unit.index, lang),
            range,
            escape(unit.grade.as_deref().unwrap_or("-")),
            percent(probability, lang),
            unit.rank.map_or("-".into(), |r| r.to_string()),
            ranks
        )
        .ok();
    }
    out.push_str("</tbody></table>");
}
