//! The Markdown report: what an office reads or pastes into its report upward.

use std::fmt::Write;

use parscore::Decimal;

use super::report_data::{DETAIL_LIMIT, ReportData, UnitDetail};

/// Characters of the longest bar in the text chart.
const BAR_WIDTH: usize = 24;

pub fn render(data: &ReportData) -> String {
    let mut out = String::new();
    let scheme = &data.scheme;
    writeln!(out, "# PAR Index report: {}\n", inline(&scheme.title)).ok();
    if scheme.estimated {
        writeln!(
            out,
            "> **ESTIMATED POINTS — NOT OFFICIAL.** The points of scheme `{}` ({}) are an \
             estimate, not an official methodology: use them to see what to fix, not as \
             official scores. See [Provenance](#provenance).\n",
            scheme.id, scheme.version
        )
        .ok();
    }
    headline(&mut out, data);
    units_table(&mut out, data);
    if data.details_omitted() {
        writeln!(
            out,
            "Details per unit are shown for up to {DETAIL_LIMIT} units; this report has {}. \
             `parscore explain --unit UNIT` explains one unit, and `--format xlsx` lists \
             every unit's criteria.\n",
            data.units
        )
        .ok();
    }
    let scale = data.chart_scale();
    for detail in &data.details {
        unit_detail(&mut out, detail, scale);
    }
    if !data.failures.is_empty() {
        writeln!(out, "## Rows with errors\n").ok();
        writeln!(out, "| where | unit | error |\n|---|---|---|").ok();
        for failure in &data.failures {
            writeln!(
                out,
                "| {} | {} | {} |",
                cell(&failure.place),
                cell(&failure.unit),
                code_cell(&failure.reason)
            )
            .ok();
        }
        out.push('\n');
    }
    provenance(&mut out, data);
    out
}

fn headline(out: &mut String, data: &ReportData) {
    if let [only] = data.details.as_slice() {
        writeln!(
            out,
            "**{}: index {}, grade {}** ({} of {} points)\n",
            inline(&only.heading()),
            only.index,
            inline(&only.grade),
            only.points,
            only.max_points
        )
        .ok();
    } else {
        let mean = data.mean_index.as_deref().unwrap_or("n/a");
        writeln!(
            out,
            "**Mean index {mean}** over {} scored units ({} with errors). Grades: {}.\n",
            data.ok,
            data.errors,
            inline(&data.grade_counts())
        )
        .ok();
    }
}

fn units_table(out: &mut String, data: &ReportData) {
    let with_period = data.has_periods();
    writeln!(out, "## Units\n").ok();
    if with_period {
        writeln!(
            out,
            "| rank | unit | period | points | max | index | grade | status |\n\
             |---:|---|---|---:|---:|---:|---|---|"
        )
        .ok();
    } else {
        writeln!(
            out,
            "| rank | unit | points | max | index | grade | status |\n\
             |---:|---|---:|---:|---:|---|---|"
        )
        .ok();
    }
    for row in &data.rows {
        let unit = match &row.anchor {
            Some(anchor) => format!("[{}](#{anchor})", cell(&row.unit)),
            None => cell(&row.unit),
        };
        let period = if with_period {
            format!(" {} |", cell(&row.period))
        } else {
            String::new()
        };
        writeln!(
            out,
            "| {} | {unit} |{period} {} | {} | {} | {} | {} |",
            row.rank,
            row.points,
            row.max_points,
            row.index,
            cell(&row.grade),
            row.status
        )
        .ok();
    }
    out.push('\n');
}

fn unit_detail(out: &mut String, detail: &UnitDetail, scale: Decimal) {
    writeln!(
        out,
        "<a id=\"{}\"></a>\n\n## {}\n",
        detail.anchor,
        inline(&detail.heading())
    )
    .ok();
    let rank = detail
        .rank
        .as_ref()
        .map(|r| format!(", {r}"))
        .unwrap_or_default();
    writeln!(
        out,
        "**Index {} · {}** — {} of {} points{rank}.\n",
        detail.index,
        inline(&detail.grade),
        detail.points,
        detail.max_points
    )
    .ok();

    writeln!(out, "### Points and lost points per area\n").ok();
    let code_width = detail
        .areas
        .iter()
        .map(|a| a.code.chars().count())
        .max()
        .unwrap_or(0);
    out.push_str("```text\n");
    for area in &detail.areas {
        let whole = cells_of(area.max, scale);
        let filled = cells_of(area.points, scale).min(whole);
        let lost = if area.lost > Decimal::ZERO {
            format!(", lost {}", area.lost_text)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:<code_width$}  {}{}{}  {} of {}{lost}",
            area.code,
            "█".repeat(filled),
            "░".repeat(whole - filled),
            " ".repeat(BAR_WIDTH - whole),
            area.points_text,
            area.max_text
        )
        .ok();
    }
    out.push_str("```\n\n█ points, ░ lost points.\n\n");
    writeln!(
        out,
        "| area | title | points | max | lost | index |\n|---|---|---:|---:|---:|---:|"
    )
    .ok();
    for area in &detail.areas {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&area.code),
            cell(&area.title),
            area.points_text,
            area.max_text,
            area.lost_text,
            area.index_text
        )
        .ok();
    }
    out.push('\n');

    writeln!(out, "### Failing targets by lead unit\n").ok();
    if detail.failing.is_empty() {
        writeln!(out, "{}\n", inline(&detail.no_failing_note())).ok();
    }
    for group in &detail.failing {
        writeln!(out, "**{}**\n", inline(&group.lead)).ok();
        writeln!(
            out,
            "| criterion | title | value | target | margin | lost points | timeline |\n\
             |---|---|---:|---|---:|---:|---|"
        )
        .ok();
        for t in &group.targets {
            writeln!(
                out,
                "| {} | {} | {} | `{}` | {} | {} | {} |",
                cell(&t.code),
                cell(&t.title),
                cell(&t.value),
                t.target,
                t.margin,
                t.lost,
                cell(&t.timeline)
            )
            .ok();
        }
        out.push('\n');
    }

    writeln!(out, "### Largest recoverable points\n").ok();
    if detail.recoverable.is_empty() {
        writeln!(out, "No points to recover.\n").ok();
    } else {
        writeln!(
            out,
            "| points | criterion | title | lead unit |\n|---:|---|---|---|"
        )
        .ok();
        for r in &detail.recoverable {
            writeln!(
                out,
                "| +{} | {} | {} | {} |",
                r.points,
                cell(&r.code),
                cell(&r.title),
                cell(&r.lead)
            )
            .ok();
        }
        out.push('\n');
    }

    if !detail.missing.is_empty() {
        writeln!(out, "### Missing values (scored 0)\n").ok();
        for (code, title, indicator) in &detail.missing {
            writeln!(
                out,
                "- {} {}: no value for `{indicator}`",
                inline(code),
                inline(title)
            )
            .ok();
        }
        out.push('\n');
    }
}

fn provenance(out: &mut String, data: &ReportData) {
    let scheme = &data.scheme;
    writeln!(out, "<a id=\"provenance\"></a>\n\n## Provenance\n").ok();
    writeln!(
        out,
        "- Scheme: {} (`{}`, version {})",
        inline(&scheme.title),
        scheme.id,
        inline(&scheme.version)
    )
    .ok();
    writeln!(
        out,
        "- Points: {}",
        if scheme.estimated {
            "**estimated**, not an official methodology"
        } else {
            "as the scheme states them (official)"
        }
    )
    .ok();
    writeln!(out, "- Maximum: {} points", scheme.max_points).ok();
    writeln!(out, "- Rounding: {}", scheme.rounding).ok();
    let grades: Vec<String> = scheme
        .grades
        .iter()
        .map(|(name, min)| format!("{} from {min}", inline(name)))
        .collect();
    if !grades.is_empty() {
        writeln!(out, "- Grades: {}", grades.join(", ")).ok();
    }
    if !scheme.provenance.is_empty() {
        out.push('\n');
        for line in scheme.provenance.lines() {
            writeln!(out, "> {}", inline(line)).ok();
        }
    }
    writeln!(out, "\nMade by parscore {}.", env!("CARGO_PKG_VERSION")).ok();
}

/// Bar cells standing for `points` when `scale` fills the whole bar.
fn cells_of(points: Decimal, scale: Decimal) -> usize {
    if scale <= Decimal::ZERO || points <= Decimal::ZERO {
        return 0;
    }
    let cells = (points * Decimal::from(BAR_WIDTH) / scale)
        .round()
        .normalize();
    cells
        .to_string()
        .parse::<usize>()
        .map_or(0, |c| c.min(BAR_WIDTH))
}

/// Text inside a table cell: a `|` would end the cell and a line break the row.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// A message whose `code spans` should show as code: inside them a backslash is shown as
/// is, so only what would break the table is replaced.
fn code_cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

/// Text on one line, with the characters Markdown would read as markup escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
