//! The terminal table: one line per unit in input order, with the criteria it lacks input
//! for, and a summary line. A failed row shows as an error with a short reason; the whole
//! message, with its place, is on standard error, once.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use parscore::InputError;

use super::escape;
use super::figures;
use super::lang::{Label, Lang};
use super::summary::SummaryData;
use crate::run::Run;

/// Characters of an error's reason shown in the table's status column.
const SHORT_REASON: usize = 40;

pub fn render(run: &Run, width: Option<u16>, lang: Lang) -> String {
    let batch = &run.batch;
    let scheme = &batch.scheme;
    let with_period = batch.results.iter().any(|r| r.period.is_some());
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if let Some(width) = width {
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    let mut header = vec![Label::Rank, Label::Unit];
    if with_period {
        header.push(Label::Period);
    }
    header.extend([Label::Points, Label::MaxPoints]);
    let (bonus, penalties) = (scheme.bonus().is_some(), scheme.penalties().is_some());
    if bonus {
        header.push(Label::BonusPoints);
    }
    if penalties {
        header.push(Label::PenaltyPoints);
    }
    header.extend([Label::Index, Label::Grade, Label::Missing, Label::Status]);
    table.set_header(header.iter().map(|&l| lang.label(l)));
    for result in &batch.results {
        let mut line = vec![
            result.rank.map_or_else(|| "-".into(), |r| r.to_string()),
            result.unit.clone().unwrap_or_else(|| "?".into()),
        ];
        if with_period {
            line.push(result.period.clone().unwrap_or_default());
        }
        match &result.outcome {
            Ok(evaluation) => {
                let (gaps, gap_points) = evaluation.missing_summary();
                line.extend([
                    figures::points(scheme, evaluation.points(), lang),
                    figures::points(scheme, evaluation.max_points(), lang),
                ]);
                let sections = [evaluation.bonus_points(), evaluation.penalty_points()];
                line.extend(
                    sections
                        .into_iter()
                        .flatten()
                        .map(|points| figures::points(scheme, points, lang)),
                );
                line.extend([
                    figures::index(evaluation, lang),
                    figures::grade(evaluation).to_string(),
                    if gaps == 0 {
                        "0".into()
                    } else {
                        format!("{gaps} ({})", figures::points(scheme, gap_points, lang))
                    },
                    lang.label(Label::StatusOk).into(),
                ]);
            }
            Err(error) => {
                let sections = usize::from(bonus) + usize::from(penalties);
                line.extend(std::iter::repeat_n(String::new(), 5 + sections));
                line.push(format!(
                    "{}: {}",
                    lang.label(Label::StatusError),
                    short_reason(error)
                ));
            }
        }
        table.add_row(line.iter().map(|text| escape::terminal(text)));
    }
    for (i, label) in header.iter().enumerate() {
        if matches!(
            label,
            Label::Rank
                | Label::Points
                | Label::MaxPoints
                | Label::BonusPoints
                | Label::PenaltyPoints
                | Label::Index
                | Label::Missing
        ) && let Some(column) = table.column_mut(i)
        {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }

    let mut out = format!(
        "{} {} — {}{}\n",
        escape::terminal(scheme.id()),
        escape::terminal(scheme.version()),
        escape::terminal(scheme.title()),
        if scheme.estimated() {
            format!(" {}", lang.label(Label::EstimatedTable))
        } else {
            String::new()
        }
    );
    out.push_str(&table.to_string());
    out.push('\n');
    let summary = batch.summary();
    out.push_str(&lang.table_summary(summary.units, summary.ok, summary.errors));
    if let Some(mean) = summary.mean_index {
        out.push_str(&format!(
            "; {} {}",
            lang.label(Label::MeanIndex),
            lang.number(&mean.to_string())
        ));
    }
    let grades: Vec<String> = summary
        .grades
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{} {n}", escape::terminal(name)))
        .collect();
    if !grades.is_empty() {
        out.push_str(&format!("; {}", grades.join(", ")));
    }
    out.push('\n');
    out
}

/// What went wrong, in a few words: the indicator or criterion at fault, else the start of
/// the reason.
fn short_reason(error: &InputError) -> String {
    let text = match error {
        InputError::UnknownIndicator(id) => format!("`{id}`?"),
        InputError::InvalidValue { indicator, .. } => format!("`{indicator}`"),
        InputError::Missing { code, .. } | InputError::Rule { code, .. } => code.clone(),
        InputError::Row { reason, .. } => reason.clone(),
        other => other.to_string(),
    };
    if text.chars().count() <= SHORT_REASON {
        return text;
    }
    let cut: String = text.chars().take(SHORT_REASON - 1).collect();
    format!("{cut}…")
}

/// The summary of a batch too large to list unit by unit, for a terminal.
pub fn render_summary(data: &SummaryData, width: Option<u16>) -> String {
    let lang = data.lang;
    let scheme = &data.scheme;
    let table = |header: Vec<&str>, rows: Vec<Vec<String>>, right: &[usize]| {
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        if let Some(width) = width {
            table
                .set_width(width)
                .set_content_arrangement(ContentArrangement::Dynamic);
        }
        table.set_header(header);
        for row in rows {
            table.add_row(row.iter().map(|text| escape::terminal(text)));
        }
        for &i in right {
            if let Some(column) = table.column_mut(i) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        table.to_string()
    };
    let mut out = format!(
        "{} {} — {}{}\n",
        escape::terminal(&scheme.id),
        escape::terminal(&scheme.version),
        escape::terminal(&scheme.title),
        if scheme.estimated {
            format!(" {}", lang.label(Label::EstimatedTable))
        } else {
            String::new()
        }
    );
    out.push_str(&lang.table_summary(data.units, data.ok, data.errors));
    if let Some(mean) = &data.mean_index {
        out.push_str(&format!("; {} {mean}", lang.label(Label::MeanIndex)));
    }
    out.push('\n');
    if let Some(gaps) = data.gaps_line() {
        out.push_str(&gaps);
        out.push('\n');
    }
    out.push_str(&lang.summary_note(data.units, data.limit));
    out.push_str("\n\n");

    out.push_str(data.label(Label::Distribution));
    out.push('\n');
    let bins = data
        .distribution
        .iter()
        .map(|bin| {
            let cells = (bin.bar * parscore::Decimal::from(30))
                .round()
                .to_string()
                .parse::<usize>()
                .unwrap_or(0);
            vec![
                bin.range.clone(),
                lang.count(bin.units),
                bin.share.clone(),
                "█".repeat(cells),
            ]
        })
        .collect();
    out.push_str(&table(
        vec![
            lang.label(Label::IndexRange),
            lang.label(Label::UnitCount),
            lang.label(Label::Share),
            "",
        ],
        bins,
        &[1, 2],
    ));
    out.push_str("\n\n");

    out.push_str(data.label(Label::GradesHeading));
    out.push('\n');
    let grades = data
        .grades
        .iter()
        .map(|(grade, n)| vec![grade.clone(), lang.count(*n)])
        .collect();
    out.push_str(&table(
        vec![lang.label(Label::Grade), lang.label(Label::UnitCount)],
        grades,
        &[1],
    ));
    out.push_str("\n\n");

    let with_period = data.has_periods();
    for (heading, units) in [
        (Label::BestUnits, &data.best),
        (Label::WorstUnits, &data.worst),
    ] {
        out.push_str(data.label(heading));
        out.push('\n');
        let mut header = vec![lang.label(Label::Unit), lang.label(Label::Rank)];
        if with_period {
            header.push(lang.label(Label::Period));
        }
        header.extend([lang.label(Label::Index), lang.label(Label::Grade)]);
        let rows = units
            .iter()
            .map(|unit| {
                let mut row = vec![unit.unit.clone(), unit.rank.clone()];
                if with_period {
                    row.push(unit.period.clone());
                }
                row.extend([unit.index.clone(), unit.grade.clone()]);
                row
            })
            .collect();
        let index = if with_period { 3 } else { 2 };
        out.push_str(&table(header, rows, &[1, index]));
        out.push_str("\n\n");
    }

    out.push_str(data.label(Label::MostFailed));
    out.push('\n');
    if data.failing.is_empty() {
        out.push_str(lang.none_failed());
        out.push('\n');
    } else {
        let rows = data
            .failing
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    c.title.clone(),
                    lang.count(c.failing),
                    c.failing_share.clone(),
                    lang.count(c.missing),
                ]
            })
            .collect();
        out.push_str(&table(
            vec![
                lang.label(Label::Criterion),
                lang.label(Label::Title),
                lang.label(Label::UnitsFailing),
                lang.label(Label::Share),
                lang.label(Label::UnitsMissing),
            ],
            rows,
            &[2, 3, 4],
        ));
        out.push('\n');
    }
    if !data.sections.is_empty() {
        out.push('\n');
        out.push_str(data.label(Label::Sections));
        out.push('\n');
        let rows = data
            .sections
            .iter()
            .map(|s| {
                vec![
                    s.title.clone(),
                    lang.count(s.units),
                    s.share.clone(),
                    data.points(s.total),
                    data.points(s.largest),
                ]
            })
            .collect();
        out.push_str(&table(
            vec![
                lang.label(Label::Section),
                lang.label(Label::UnitsGiven),
                lang.label(Label::Share),
                lang.label(Label::SectionTotal),
                lang.label(Label::SectionLargest),
            ],
            rows,
            &[1, 2, 3, 4],
        ));
        out.push('\n');
    }
    out
}
