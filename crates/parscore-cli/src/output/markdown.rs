//! The Markdown report: what an office reads or pastes into its report upward.

use std::fmt::Write;

use parscore::Decimal;

use super::escape;
use super::lang::Label;
use super::report_data::{DETAIL_LIMIT, Provenance, ReportData, UnitDetail};
use super::summary::SummaryData;

/// Characters of the longest bar in the text chart.
const BAR_WIDTH: usize = 24;

pub fn render(data: &ReportData) -> String {
    let mut out = String::new();
    let scheme = &data.scheme;
    writeln!(
        out,
        "# {}: {}\n",
        data.label(Label::ReportTitle),
        inline(&scheme.title)
    )
    .ok();
    if scheme.estimated {
        writeln!(
            out,
            "> **{}** {} [{}](#provenance).\n",
            data.label(Label::EstimatedBanner),
            data.lang
                .estimated_note(&code_span(&scheme.id), &inline(&scheme.version)),
            data.label(Label::ProvenanceLink)
        )
        .ok();
    }
    headline(&mut out, data);
    units_table(&mut out, data);
    if data.details_omitted() {
        writeln!(
            out,
            "{}\n",
            data.lang.details_omitted(DETAIL_LIMIT, data.units)
        )
        .ok();
    }
    let scale = data.chart_scale();
    for detail in &data.details {
        unit_detail(&mut out, data, detail, scale);
    }
    if !data.failures.is_empty() {
        writeln!(out, "## {}\n", data.label(Label::Errors)).ok();
        writeln!(
            out,
            "| {} | {} | {} |\n|---|---|---|",
            data.label(Label::Place),
            data.label(Label::Unit),
            data.label(Label::Error)
        )
        .ok();
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
    provenance(&mut out, &Provenance::of(data));
    out
}

fn headline(out: &mut String, data: &ReportData) {
    let lang = data.lang;
    if let [only] = data.details.as_slice() {
        writeln!(
            out,
            "**{}** ({})\n",
            inline(&lang.unit_headline(&only.heading(), &only.index, &only.grade)),
            lang.points_of(&only.points, &only.max_points)
        )
        .ok();
    } else {
        let mean = data
            .mean_index
            .as_deref()
            .unwrap_or(data.label(Label::NotApplicable));
        writeln!(
            out,
            "**{}** {}\n",
            lang.mean_headline(mean),
            inline(&lang.mean_over(data.ok, data.errors, &data.grade_counts()))
        )
        .ok();
    }
    if let Some(gaps) = data.gaps_line() {
        writeln!(out, "**{}**\n", inline(&gaps)).ok();
    }
}

fn units_table(out: &mut String, data: &ReportData) {
    let with_period = data.has_periods();
    writeln!(out, "## {}\n", data.label(Label::Units)).ok();
    let mut names = vec![Label::Rank, Label::Unit];
    if with_period {
        names.push(Label::Period);
    }
    names.extend([Label::Points, Label::MaxPoints]);
    if data.bonus {
        names.push(Label::BonusPoints);
    }
    if data.penalties {
        names.push(Label::PenaltyPoints);
    }
    names.extend([Label::Index, Label::Grade, Label::Missing, Label::Status]);
    let header: Vec<&str> = names.iter().map(|&l| data.label(l)).collect();
    let rule: Vec<&str> = names
        .iter()
        .map(|l| match l {
            Label::Rank
            | Label::Points
            | Label::MaxPoints
            | Label::BonusPoints
            | Label::PenaltyPoints
            | Label::Index
            | Label::Missing => "---:",
            _ => "---",
        })
        .collect();
    writeln!(out, "| {} |\n|{}|", header.join(" | "), rule.join("|")).ok();
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
        let mut sections = String::new();
        if data.bonus {
            write!(sections, " {} |", row.bonus).ok();
        }
        if data.penalties {
            write!(sections, " {} |", row.penalty).ok();
        }
        writeln!(
            out,
            "| {} | {unit} |{period} {} | {} |{sections} {} | {} | {} | {} |",
            row.rank,
            row.points,
            row.max_points,
            row.index,
            cell(&row.grade),
            row.gaps,
            data.status(row)
        )
        .ok();
    }
    out.push('\n');
}

fn unit_detail(out: &mut String, data: &ReportData, detail: &UnitDetail, scale: Decimal) {
    let lang = data.lang;
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
        "**{} {} · {}** — {}{rank}.\n",
        data.label(Label::IndexHeading),
        detail.index,
        inline(&detail.grade),
        lang.points_of(&detail.points, &detail.max_points)
    )
    .ok();
    if let Some(gaps) = &detail.gaps_line {
        writeln!(out, "**{}**\n", inline(gaps)).ok();
    }

    writeln!(out, "### {}\n", data.label(Label::AreaChart)).ok();
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
            format!(", {}", lang.lost(&area.lost_text))
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:<code_width$}  {}{}{}  {}{lost}",
            escape::terminal(&area.code),
            "█".repeat(filled),
            "░".repeat(whole - filled),
            " ".repeat(BAR_WIDTH - whole),
            lang.points_of(&area.points_text, &area.max_text),
        )
        .ok();
    }
    writeln!(out, "```\n\n{}\n", data.label(Label::BarLegend)).ok();
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|---:|",
        data.label(Label::Area),
        data.label(Label::Title),
        data.label(Label::Points),
        data.label(Label::MaxPoints),
        data.label(Label::LostPoints),
        data.label(Label::Index)
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

    if !detail.sections.is_empty() {
        writeln!(out, "### {}\n", data.label(Label::Sections)).ok();
    }
    for section in &detail.sections {
        writeln!(out, "**{}**: {}\n", inline(&section.title), section.total).ok();
        writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---|---:|---:|",
            data.label(Label::Criterion),
            data.label(Label::Title),
            data.label(Label::Value),
            data.label(Label::PointsKind)
        )
        .ok();
        for item in &section.items {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&item.code),
                cell(&item.title),
                cell(&item.value),
                item.points
            )
            .ok();
        }
        out.push('\n');
    }

    writeln!(out, "### {}\n", data.label(Label::FailingTargets)).ok();
    if detail.failing.is_empty() {
        writeln!(out, "{}\n", inline(&lang.none_failing(detail.gaps.len()))).ok();
    }
    for group in &detail.failing {
        writeln!(out, "**{}**\n", inline(&group.lead)).ok();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---:|---|---:|---:|---|",
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
                code_span(&t.target)
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&t.code),
                cell(&t.title),
                cell(&t.value),
                target,
                t.margin,
                t.lost,
                cell(&t.timeline)
            )
            .ok();
        }
        out.push('\n');
    }

    writeln!(out, "### {}\n", data.label(Label::Recoverable)).ok();
    if detail.recoverable.is_empty() {
        writeln!(out, "{}\n", data.label(Label::NothingToRecover)).ok();
    } else {
        writeln!(
            out,
            "| {} | {} | {} | {} |\n|---:|---|---|---|",
            data.label(Label::PointsKind),
            data.label(Label::Criterion),
            data.label(Label::Title),
            data.label(Label::LeadUnit)
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

    if !detail.gaps.is_empty() {
        writeln!(out, "### {}\n", data.label(Label::Gaps)).ok();
        for gap in &detail.gaps {
            writeln!(
                out,
                "- {} {}: {} {} ({})",
                inline(&gap.code),
                inline(&gap.title),
                data.label(Label::NoValueFor),
                code_span(&gap.indicator),
                lang.points_of("0", &gap.max_points)
            )
            .ok();
        }
        out.push('\n');
    }
}

fn provenance(out: &mut String, data: &Provenance<'_>) {
    let scheme = &data.scheme;
    let label = |l| capitalised(data.label(l));
    writeln!(
        out,
        "<a id=\"provenance\"></a>\n\n## {}\n",
        data.label(Label::Provenance)
    )
    .ok();
    writeln!(
        out,
        "- {}: {} ({}, {} {})",
        label(Label::Scheme),
        inline(&scheme.title),
        code_span(&scheme.id),
        data.label(Label::Version),
        inline(&scheme.version)
    )
    .ok();
    let kind = if scheme.estimated {
        format!(
            "**{}**{}",
            data.label(Label::Estimated),
            data.label(Label::NotOfficial)
        )
    } else {
        data.label(Label::Official).to_string()
    };
    writeln!(out, "- {}: {kind}", label(Label::PointsKind)).ok();
    writeln!(
        out,
        "- {}: {}",
        label(Label::Maximum),
        data.lang.points_count(&scheme.max_points)
    )
    .ok();
    writeln!(out, "- {}: {}", label(Label::Rounding), scheme.rounding).ok();
    if !scheme.grades.is_empty() {
        let grades: Vec<String> = scheme.grades.iter().map(|g| inline(g)).collect();
        writeln!(out, "- {}: {}", label(Label::Grades), grades.join(", ")).ok();
    }
    for (name, rule) in &scheme.forms {
        writeln!(out, "- {}: {}", label(*name), inline(rule)).ok();
    }
    if !scheme.provenance.is_empty() {
        out.push('\n');
        for line in scheme.provenance.lines() {
            writeln!(out, "> {}", inline(line)).ok();
        }
    }
    writeln!(out, "\n{}", data.lang.made_by()).ok();
}

/// `điểm tối đa` → `Điểm tối đa`, for the start of a list item.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
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
pub(super) fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// A message whose `code spans` should show as code: inside them a backslash is shown as
/// is, so only what would break the table is replaced, and control characters are made
/// visible.
pub(super) fn code_cell(text: &str) -> String {
    escape::terminal(&text.replace(['\n', '\r'], " ")).replace('|', "\\|")
}

/// Text as a code span: as many backticks around it as it needs, and nothing inside it
/// that would end the line or the table cell.
pub(super) fn code_span(text: &str) -> String {
    let text = escape::terminal(&text.replace(['\n', '\r'], " ")).replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Text on one line, with the characters Markdown would read as markup escaped, and
/// control characters made visible.
pub(super) fn inline(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let text = escape::terminal(&text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The summarised report of a batch too large to show unit by unit.
pub fn render_summary(data: &SummaryData) -> String {
    let mut out = String::new();
    let scheme = &data.scheme;
    let lang = data.lang;
    writeln!(
        out,
        "# {}: {}\n",
        data.label(Label::ReportTitle),
        inline(&scheme.title)
    )
    .ok();
    if scheme.estimated {
        writeln!(
            out,
            "> **{}** {} [{}](#provenance).\n",
            data.label(Label::EstimatedBanner),
            lang.estimated_note(&code_span(&scheme.id), &inline(&scheme.version)),
            data.label(Label::ProvenanceLink)
        )
        .ok();
    }
    let mean = data
        .mean_index
        .as_deref()
        .unwrap_or(data.label(Label::NotApplicable));
    writeln!(
        out,
        "**{}** {}\n",
        lang.mean_headline(mean),
        inline(&lang.mean_over(data.ok, data.errors, &data.grade_counts()))
    )
    .ok();
    if let Some(gaps) = data.gaps_line() {
        writeln!(out, "**{}**\n", inline(&gaps)).ok();
    }
    writeln!(out, "{}\n", lang.summary_note(data.units, data.limit)).ok();

    writeln!(out, "## {}\n", data.label(Label::Distribution)).ok();
    writeln!(
        out,
        "| {} | {} | {} | |\n|---|---:|---:|---|",
        capitalised(data.label(Label::IndexRange)),
        data.label(Label::UnitCount),
        data.label(Label::Share)
    )
    .ok();
    for bin in &data.distribution {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            bin.range,
            lang.count(bin.units),
            bin.share,
            "█".repeat(cells_of(bin.bar, Decimal::ONE))
        )
        .ok();
    }
    out.push('\n');

    writeln!(out, "## {}\n", data.label(Label::GradesHeading)).ok();
    writeln!(
        out,
        "| {} | {} |\n|---|---:|",
        data.label(Label::Grade),
        data.label(Label::UnitCount)
    )
    .ok();
    for (grade, n) in &data.grades {
        writeln!(out, "| {} | {} |", cell(grade), lang.count(*n)).ok();
    }
    out.push('\n');

    for (heading, units) in [
        (Label::BestUnits, &data.best),
        (Label::WorstUnits, &data.worst),
    ] {
        writeln!(out, "## {}\n", data.label(heading)).ok();
        let with_period = data.has_periods();
        let period = if with_period {
            format!(" {} |", data.label(Label::Period))
        } else {
            String::new()
        };
        writeln!(
            out,
            "| {} | {} |{period} {} | {} |\n|---|---|{}---:|---|",
            data.label(Label::Unit),
            data.label(Label::Rank),
            data.label(Label::Index),
            data.label(Label::Grade),
            if with_period { "---|" } else { "" }
        )
        .ok();
        for unit in units {
            let period = if with_period {
                format!(" {} |", cell(&unit.period))
            } else {
                String::new()
            };
            writeln!(
                out,
                "| {} | {} |{period} {} | {} |",
                cell(&unit.unit),
                unit.rank,
                unit.index,
                cell(&unit.grade)
            )
            .ok();
        }
        out.push('\n');
    }

    writeln!(out, "## {}\n", data.label(Label::MostFailed)).ok();
    if data.failing.is_empty() {
        writeln!(out, "{}\n", lang.none_failed()).ok();
    } else {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---:|---:|---:|",
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
                "| {} | {} | {} | {} | {} | {} |",
                cell(&c.code),
                cell(&c.title),
                cell(&c.lead),
                lang.count(c.failing),
                c.failing_share,
                lang.count(c.missing)
            )
            .ok();
        }
        out.push('\n');
    }

    if !data.sections.is_empty() {
        writeln!(out, "## {}\n", data.label(Label::Sections)).ok();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
            capitalised(data.label(Label::Section)),
            data.label(Label::UnitsGiven),
            data.label(Label::Share),
            data.label(Label::SectionTotal),
            data.label(Label::SectionLargest)
        )
        .ok();
        for section in &data.sections {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&section.title),
                lang.count(section.units),
                section.share,
                data.points(section.total),
                data.points(section.largest)
            )
            .ok();
        }
        out.push('\n');
    }

    if !data.listed_errors.is_empty() {
        writeln!(out, "## {}\n", data.label(Label::Errors)).ok();
        writeln!(
            out,
            "| {} | {} | {} |\n|---|---|---|",
            data.label(Label::Place),
            data.label(Label::Unit),
            data.label(Label::Error)
        )
        .ok();
        for failure in &data.listed_errors {
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
        if data.unlisted_errors() > 0 {
            writeln!(out, "{}\n", lang.more_errors(data.unlisted_errors())).ok();
        }
    }
    provenance(
        &mut out,
        &Provenance {
            scheme: &data.scheme,
            lang,
        },
    );
    out
}
