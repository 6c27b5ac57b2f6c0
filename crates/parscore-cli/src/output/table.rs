//! The terminal table: one line per unit in input order, with the criteria it lacks input
//! for, and a summary line. A failed row shows as an error with a short reason; the whole
//! message, with its place, is on standard error, once.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use parscore::InputError;

use super::escape;
use super::figures;
use super::lang::{Label, Lang};
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
