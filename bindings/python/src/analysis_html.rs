//! HTML for notebooks of a comparison and of a year tracked from records: compact tables in
//! the style of the results' (`html.rs`), with small bar and line charts drawn in inline
//! SVG, in Vietnamese by default (decimal commas), in English on request.

use std::fmt::Write;

// Text and attribute values alike: `&`, `<`, `>` and both quotes.
use html_escape::encode_quoted_attribute as escape;
use parscore::Decimal;
use parscore_compare::{Comparison, Presence};
use parscore_records::{Counts, TrackStatus, Untracked, UntrackedReason, YearTracking};

pub use crate::html::Lang;

const TABLE: &str = "<table style=\"border-collapse:collapse;font-size:90%\">";
const CELL: &str = "style=\"padding:2px 6px;border-bottom:1px solid #ddd;text-align:left\"";
const NUMBER: &str = "style=\"padding:2px 6px;border-bottom:1px solid #ddd;text-align:right\"";
const GOOD: &str = "#e3f4e6";
const BAD: &str = "#fbe3e3";
const GREY: &str = "#ececec";
const AMBER: &str = "#fdf0d5";

struct Words {
    unit: &'static str,
    index: &'static str,
    delta: &'static str,
    grade: &'static str,
    rank: &'static str,
    code: &'static str,
    criterion: &'static str,
    points: &'static str,
    change: &'static str,
    lead: &'static str,
    explanation: &'static str,
    yes: &'static str,
    no: &'static str,
    appraisal: &'static str,
    moved: &'static str,
    areas: &'static str,
    units: &'static str,
    both: &'static str,
    before_only: &'static str,
    after_only: &'static str,
    mean: &'static str,
    so_far: &'static str,
    target: &'static str,
    expected: &'static str,
    needed: &'static str,
    status: &'static str,
    from: &'static str,
    as_of: &'static str,
    days_left: &'static str,
    trend: &'static str,
    rate: &'static str,
}

const VI: Words = Words {
    unit: "đơn vị",
    index: "Chỉ số CCHC",
    delta: "chênh lệch",
    grade: "xếp loại",
    rank: "xếp hạng",
    code: "mã",
    criterion: "tiêu chí",
    points: "điểm",
    change: "thay đổi",
    lead: "đơn vị chủ trì",
    explanation: "cần giải trình",
    yes: "có",
    no: "không",
    appraisal: "Tiêu chí bị hạ điểm khi thẩm định",
    moved: "Tiêu chí thay đổi",
    areas: "Chênh lệch điểm theo lĩnh vực",
    units: "đơn vị",
    both: "có ở cả hai",
    before_only: "chỉ có ở",
    after_only: "chỉ có ở",
    mean: "Chỉ số CCHC bình quân",
    so_far: "đến nay",
    target: "chỉ tiêu",
    expected: "hồ sơ dự kiến",
    needed: "cần đạt",
    status: "tình trạng",
    from: "dự kiến theo",
    as_of: "Số liệu đến ngày",
    days_left: "ngày còn lại trong năm",
    trend: "Diễn biến theo tháng (lũy kế)",
    rate: "tỷ lệ",
};

const EN: Words = Words {
    unit: "unit",
    index: "index",
    delta: "delta",
    grade: "grade",
    rank: "rank",
    code: "code",
    criterion: "criterion",
    points: "points",
    change: "change",
    lead: "lead unit",
    explanation: "explanation due",
    yes: "yes",
    no: "no",
    appraisal: "Criteria the appraisal lowered",
    moved: "Criteria that changed",
    areas: "Change of points per area",
    units: "units",
    both: "on both sides",
    before_only: "only in",
    after_only: "only in",
    mean: "mean index",
    so_far: "so far",
    target: "target",
    expected: "expected",
    needed: "needed",
    status: "status",
    from: "expected from",
    as_of: "Records as of",
    days_left: "days left in the year",
    trend: "Month by month (year to date)",
    rate: "rate",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// A figure as its readers write it: `90,57` in Vietnamese, `90.57` in English.
fn number(lang: Lang, d: Decimal) -> String {
    let text = d.normalize().to_string();
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

fn signed(lang: Lang, d: Decimal) -> String {
    let text = number(lang, d);
    if d > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

fn optional(lang: Lang, d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".to_string(), |d| number(lang, d))
}

fn header(out: &mut String, columns: &[&str]) {
    out.push_str("<thead><tr>");
    for column in columns {
        write!(out, "<th {CELL}>{}</th>", escape(column)).ok();
    }
    out.push_str("</tr></thead><tbody>");
}

/// A horizontal bar for a change: to the right in green for a gain, to the left in red for
/// a loss, scaled to `largest`.
fn bar(delta: Decimal, largest: Decimal) -> String {
    if largest <= Decimal::ZERO {
        return String::new();
    }
    // A drawing only: the figure beside it is the exact one.
    let share = (delta.abs() / largest).min(Decimal::ONE);
    let width = (share * Decimal::from(40)).round().to_string();
    let (x, colour) = if delta < Decimal::ZERO {
        (
            format!("{}", 40 - width.parse::<i64>().unwrap_or(0)),
            "#c0392b",
        )
    } else {
        ("40".to_string(), "#27ae60")
    };
    format!(
        "<svg width=\"80\" height=\"10\"><line x1=\"40\" y1=\"0\" x2=\"40\" y2=\"10\" \
         stroke=\"#999\"/><rect x=\"{x}\" y=\"2\" width=\"{width}\" height=\"6\" \
         fill=\"{colour}\"/></svg>"
    )
}

fn change_word(lang: Lang, change: &str) -> &'static str {
    match (lang, change) {
        (Lang::Vi, "newly_failed") => "mới không đạt",
        (Lang::Vi, "newly_passed") => "mới đạt",
        (Lang::Vi, "up") => "tăng",
        (Lang::Vi, "down") => "giảm",
        (Lang::Vi, _) => "không đổi",
        (Lang::En, "newly_failed") => "newly failed",
        (Lang::En, "newly_passed") => "newly passed",
        (Lang::En, "up") => "up",
        (Lang::En, "down") => "down",
        (Lang::En, _) => "same",
    }
}

/// The comparison: units with both sides and the change, the change per area, the criteria
/// that moved, and between rounds the appraisal list.
pub fn comparison(c: &Comparison, lang: Lang) -> String {
    let w = words(lang);
    let (before, after) = (&c.labels.before, &c.labels.after);
    let s = &c.summary;
    let mut out = String::from("<div class=\"parscore-comparison\">");
    write!(
        out,
        "<div><b>{}</b> {} — {} → {}: {} {}, {} {}",
        escape(&c.scheme.id),
        escape(&c.scheme.version),
        escape(before),
        escape(after),
        s.units,
        w.units,
        s.both,
        w.both
    )
    .ok();
    if let (Some(b), Some(a), Some(d)) = (s.mean_index_before, s.mean_index_after, s.mean_delta) {
        write!(
            out,
            "; {} {} → <b>{}</b> ({})",
            w.mean,
            number(lang, b),
            number(lang, a),
            signed(lang, d)
        )
        .ok();
    }
    out.push_str("</div>");
    out.push_str(TABLE);
    let (ib, ia) = (
        format!("{} ({})", w.index, before),
        format!("{} ({})", w.index, after),
    );
    let (gb, ga) = (
        format!("{} ({})", w.grade, before),
        format!("{} ({})", w.grade, after),
    );
    header(&mut out, &[w.unit, &ib, &ia, w.delta, "", &gb, &ga, w.rank]);
    let largest = c
        .units
        .iter()
        .filter_map(|u| u.delta.map(|d| d.abs()))
        .max()
        .unwrap_or_default();
    for u in &c.units {
        let colour = match u.delta {
            Some(d) if d > Decimal::ZERO => GOOD,
            Some(d) if d < Decimal::ZERO => BAD,
            _ => "transparent",
        };
        let rank = match (u.rank_before, u.rank_after) {
            (Some(b), Some(a)) => {
                let arrow = match a.cmp(&b) {
                    std::cmp::Ordering::Less => "▲",
                    std::cmp::Ordering::Greater => "▼",
                    std::cmp::Ordering::Equal => "=",
                };
                format!("{b} → {a} {arrow}")
            }
            (Some(b), None) => format!("{b} → —"),
            (None, Some(a)) => format!("— → {a}"),
            (None, None) => "—".into(),
        };
        let note = match u.presence {
            Presence::Both => String::new(),
            Presence::BeforeOnly => format!(" <i>({} {})</i>", w.before_only, escape(before)),
            Presence::AfterOnly => format!(" <i>({} {})</i>", w.after_only, escape(after)),
        };
        let error = u
            .error_before
            .iter()
            .chain(&u.error_after)
            .map(|e| format!("<br><span style=\"color:#c0392b\">{}</span>", escape(e)))
            .collect::<String>();
        write!(
            out,
            "<tr><td {CELL}>{}{note}{error}</td><td {NUMBER}>{}</td><td {NUMBER}>{}</td>\
             <td {NUMBER} bgcolor=\"{colour}\">{}</td><td {CELL}>{}</td><td {CELL}>{}</td>\
             <td {CELL}>{}</td><td {CELL}>{}</td></tr>",
            escape(&u.unit),
            optional(lang, u.index_before),
            optional(lang, u.index_after),
            u.delta.map_or_else(|| "—".into(), |d| signed(lang, d)),
            u.delta.map(|d| bar(d, largest)).unwrap_or_default(),
            escape(u.grade_before.as_deref().unwrap_or("—")),
            escape(u.grade_after.as_deref().unwrap_or("—")),
            rank,
        )
        .ok();
    }
    out.push_str("</tbody></table>");
    // The change per area, unit by unit: where the points came from or went.
    let compared: Vec<_> = c.units.iter().filter(|u| !u.areas.is_empty()).collect();
    if let Some(first) = compared.first() {
        write!(
            out,
            "<div style=\"margin-top:6px\"><b>{}</b></div>",
            w.areas
        )
        .ok();
        out.push_str(TABLE);
        let codes: Vec<&str> = first.areas.iter().map(|a| a.code.as_str()).collect();
        let mut columns = vec![w.unit];
        columns.extend(codes.iter().copied());
        header(&mut out, &columns);
        let largest = compared
            .iter()
            .flat_map(|u| u.areas.iter().map(|a| a.delta.abs()))
            .max()
            .unwrap_or_default();
        for u in &compared {
            write!(out, "<tr><td {CELL}>{}</td>", escape(&u.unit)).ok();
            for a in &u.areas {
                write!(
                    out,
                    "<td {NUMBER}>{} {}</td>",
                    signed(lang, a.delta),
                    bar(a.delta, largest)
                )
                .ok();
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
    }
    let moved: Vec<_> = c
        .units
        .iter()
        .flat_map(|u| u.criteria.iter().map(move |k| (u, k)))
        .filter(|(_, k)| k.change.name() != "same")
        .collect();
    if !moved.is_empty() {
        write!(
            out,
            "<div style=\"margin-top:6px\"><b>{}</b></div>",
            w.moved
        )
        .ok();
        out.push_str(TABLE);
        let (pb, pa) = (
            format!("{} ({})", w.points, before),
            format!("{} ({})", w.points, after),
        );
        header(
            &mut out,
            &[w.unit, w.code, w.criterion, &pb, &pa, w.delta, w.change],
        );
        for (u, k) in moved {
            let colour = match k.change.name() {
                "newly_failed" | "down" => BAD,
                _ => GOOD,
            };
            write!(
                out,
                "<tr><td {CELL}>{}</td><td {CELL}>{}</td><td {CELL}>{}</td><td {NUMBER}>{}</td>\
                 <td {NUMBER}>{}</td><td {NUMBER}>{}</td><td {CELL} bgcolor=\"{colour}\">{}</td></tr>",
                escape(&u.unit),
                escape(&k.code),
                escape(&k.title),
                number(lang, k.points_before),
                number(lang, k.points_after),
                signed(lang, k.delta),
                change_word(lang, k.change.name()),
            )
            .ok();
        }
        out.push_str("</tbody></table>");
    }
    if let Some(list) = &c.appraisal {
        write!(
            out,
            "<div style=\"margin-top:6px\"><b>{}</b> ({})</div>",
            w.appraisal,
            list.len()
        )
        .ok();
        if !list.is_empty() {
            out.push_str(TABLE);
            let (pb, pa) = (
                format!("{} ({})", w.points, before),
                format!("{} ({})", w.points, after),
            );
            header(
                &mut out,
                &[
                    w.unit,
                    w.code,
                    w.criterion,
                    &pb,
                    &pa,
                    w.delta,
                    w.lead,
                    w.explanation,
                ],
            );
            for l in list {
                write!(
                    out,
                    "<tr><td {CELL}>{}</td><td {CELL}>{}</td><td {CELL}>{}</td>\
                     <td {NUMBER}>{}</td><td {NUMBER}>{}</td><td {NUMBER} bgcolor=\"{BAD}\">{}</td>\
                     <td {CELL}>{}</td><td {CELL}>{}</td></tr>",
                    escape(&l.unit),
                    escape(&l.code),
                    escape(&l.title),
                    number(lang, l.points_before),
                    number(lang, l.points_after),
                    signed(lang, l.delta),
                    escape(l.lead.as_deref().unwrap_or("—")),
                    if l.explanation_due { w.yes } else { w.no },
                )
                .ok();
            }
            out.push_str("</tbody></table>");
        }
    }
    out.push_str("</div>");
    out
}

fn status_word(lang: Lang, status: TrackStatus) -> (&'static str, &'static str) {
    let (vi, en, colour) = match status {
        TrackStatus::Secured => ("chắc chắn đạt", "secured", GOOD),
        TrackStatus::OnTrack => ("đúng hướng", "on track", GOOD),
        TrackStatus::AtRisk => ("có nguy cơ", "at risk", AMBER),
        TrackStatus::Impossible => ("không thể đạt", "impossible", BAD),
    };
    (if lang == Lang::Vi { vi } else { en }, colour)
}

fn from_word(lang: Lang, from: &str) -> &'static str {
    match (lang, from) {
        (Lang::Vi, "given") => "số đã cho",
        (Lang::Vi, "previous_year") => "cùng kỳ năm trước",
        (Lang::Vi, _) => "tốc độ đến nay",
        (Lang::En, "given") => "given",
        (Lang::En, "previous_year") => "previous year",
        (Lang::En, _) => "pace so far",
    }
}

/// Why a criterion is not tracked, in the report's language (the records crate says it in
/// English).
fn untracked_reason(lang: Lang, u: &Untracked) -> String {
    match (lang, u.reason) {
        (Lang::En, _) => u.message.clone(),
        (Lang::Vi, UntrackedReason::NoTarget) => "không có chỉ tiêu cần đạt".into(),
        (Lang::Vi, UntrackedReason::NotAFloor) => {
            "chỉ tiêu không phải một mức tối thiểu của tỷ lệ".into()
        }
        (Lang::Vi, UntrackedReason::NothingCounted) => {
            "chưa có hồ sơ nào được tính và không dự kiến hồ sơ nào".into()
        }
        (Lang::Vi, UntrackedReason::NotSaid) => "hồ sơ không ghi thông tin của tỷ lệ này".into(),
    }
}

/// `met/total` and its percent to two places, or the counts alone when nothing is counted.
fn rate(lang: Lang, counts: Counts) -> String {
    if counts.total == 0 {
        return counts.to_string();
    }
    let percent = (Decimal::from(counts.met) * Decimal::ONE_HUNDRED / Decimal::from(counts.total))
        .round_dp(2);
    format!("{counts} ({}%)", number(lang, percent))
}

/// A line of the year-to-date rate, month by month, with the target dashed.
fn sparkline(counts: &[Counts], target: Option<Decimal>) -> String {
    const W: i64 = 120;
    const H: i64 = 24;
    let n = counts.len().max(2) as i64 - 1;
    // A drawing only: positions are whole pixels of exact shares.
    let y = |share: Decimal| -> i64 {
        let share = share.clamp(Decimal::ZERO, Decimal::ONE);
        H - 2
            - (share * Decimal::from(H - 4))
                .round()
                .to_string()
                .parse::<i64>()
                .unwrap_or(0)
    };
    let points: Vec<String> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.total > 0)
        .map(|(i, c)| {
            let share = Decimal::from(c.met) / Decimal::from(c.total);
            format!("{},{}", 2 + (i as i64) * (W - 4) / n, y(share))
        })
        .collect();
    let mut svg = format!("<svg width=\"{W}\" height=\"{H}\">");
    if let Some(t) = target {
        let ty = y(t / Decimal::ONE_HUNDRED);
        write!(
            svg,
            "<line x1=\"0\" y1=\"{ty}\" x2=\"{W}\" y2=\"{ty}\" stroke=\"#c0392b\" \
             stroke-dasharray=\"3,2\"/>"
        )
        .ok();
    }
    write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#2c7fb8\" stroke-width=\"2\"/></svg>",
        points.join(" ")
    )
    .ok();
    svg
}

/// The year tracked: each unit's criteria with what the rest of the year must deliver, then
/// each rate month by month with a small chart of its year-to-date value against the target.
pub fn tracking(t: &YearTracking, lang: Lang) -> String {
    let w = words(lang);
    let mut out = String::from("<div class=\"parscore-tracking\">");
    write!(
        out,
        "<div>{} <b>{}</b> — {} {}</div>",
        w.as_of,
        match lang {
            // As Vietnamese write a day: 15/06/2024.
            Lang::Vi => {
                let (y, m, d) = t.as_of.ymd();
                format!("{d:02}/{m:02}/{y:04}")
            }
            Lang::En => t.as_of.to_string(),
        },
        t.days_left,
        w.days_left
    )
    .ok();
    out.push_str(TABLE);
    header(
        &mut out,
        &[
            w.unit,
            w.criterion,
            w.so_far,
            w.target,
            w.expected,
            w.needed,
            w.status,
            w.from,
        ],
    );
    for line in &t.criteria {
        let (status, colour) = status_word(lang, line.status);
        write!(
            out,
            "<tr><td {CELL}>{}</td><td {CELL}>{} {}</td><td {NUMBER}>{}</td><td {CELL}>{}</td>\
             <td {NUMBER}>{}</td><td {NUMBER}>{}</td><td {CELL} bgcolor=\"{colour}\">{}</td>\
             <td {CELL}>{}</td></tr>",
            escape(&line.unit),
            escape(&line.criterion),
            escape(&line.title),
            rate(lang, line.so_far),
            escape(&line.target),
            line.expected,
            line.needed,
            status,
            from_word(lang, line.expected_from.name()),
        )
        .ok();
    }
    out.push_str("</tbody></table>");
    if !t.trends.is_empty() {
        write!(
            out,
            "<div style=\"margin-top:6px\"><b>{}</b></div>",
            w.trend
        )
        .ok();
        out.push_str(TABLE);
        let months: Vec<String> = t
            .trends
            .iter()
            .max_by_key(|trend| trend.months.len())
            .map(|trend| trend.months.iter().map(|m| m.month.clone()).collect())
            .unwrap_or_default();
        let mut columns = vec![w.unit, w.rate];
        columns.extend(months.iter().map(String::as_str));
        columns.push("");
        header(&mut out, &columns);
        for trend in &t.trends {
            write!(
                out,
                "<tr><td {CELL}>{}</td><td {CELL}>{}</td>",
                escape(&trend.unit),
                escape(&trend.rate)
            )
            .ok();
            for month in &trend.months {
                write!(out, "<td {NUMBER}>{}</td>", month.year_to_date).ok();
            }
            let ytd: Vec<Counts> = trend.months.iter().map(|m| m.year_to_date).collect();
            write!(
                out,
                "<td {CELL}>{}</td></tr>",
                sparkline(&ytd, trend.target)
            )
            .ok();
        }
        out.push_str("</tbody></table>");
    }
    if !t.untracked.is_empty() {
        out.push_str("<div style=\"color:#666;margin-top:4px\">");
        for u in &t.untracked {
            write!(
                out,
                "<div style=\"background:{GREY}\">{} {}: {}</div>",
                escape(&u.unit),
                escape(&u.criterion),
                escape(&untracked_reason(lang, u))
            )
            .ok();
        }
        out.push_str("</div>");
    }
    out.push_str("</div>");
    out
}
