//! The terminal table of a study: a line per unit (index, its p5–p95, grade probabilities,
//! rank range), then the variance shares per factor.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::Analysis;
use super::data::{factor_title, figure, rank, rank_range};
use crate::output::escape;
use crate::output::lang::{Label, Lang};

/// Characters of a factor's title shown in the table.
const TITLE_CHARS: usize = 48;

pub fn render(analysis: &Analysis<'_>, width: Option<u16>, lang: Lang) -> String {
    let scheme = analysis.scheme();
    let results = analysis.results;
    let mut out = format!(
        "{} {} — {}{}\n{}\n{}: {}\n",
        escape::terminal(scheme.id()),
        escape::terminal(scheme.version()),
        escape::terminal(scheme.title()),
        if scheme.estimated() {
            format!(" {}", lang.label(Label::EstimatedTable))
        } else {
            String::new()
        },
        lang.samples_and_seed(results.samples, results.seed),
        lang.label(Label::Model),
        escape::terminal(&lang.model(analysis.model)),
    );
    let with_period = analysis.has_periods();
    let mut header = vec![Label::Rank, Label::Unit];
    if with_period {
        header.push(Label::Period);
    }
    header.extend([
        Label::Index,
        Label::P05,
        Label::P50,
        Label::P95,
        Label::Grade,
        Label::GradeProbability,
        Label::RankRange,
        Label::Missing,
    ]);
    let mut table = new_table(width);
    table.set_header(header.iter().map(|&l| lang.label(l)));
    for row in analysis.rows() {
        let u = row.unit;
        let mut line = vec![rank(u.rank), u.unit.clone().unwrap_or_else(|| "?".into())];
        if with_period {
            line.push(u.period.clone().unwrap_or_default());
        }
        match &u.error {
            Some(error) => {
                line.push(format!("{}: {error}", lang.label(Label::StatusError)));
                line.resize(header.len(), String::new());
            }
            None => line.extend([
                figure(u.index, lang),
                figure(u.p05, lang),
                figure(u.p50, lang),
                figure(u.p95, lang),
                u.grade.clone().unwrap_or_else(|| "-".into()),
                lang.grade_chances(&u.grades),
                rank_range(u),
                row.missing.map_or_else(String::new, |(n, _)| n.to_string()),
            ]),
        }
        table.add_row(line.iter().map(|text| escape::terminal(text)));
    }
    align_right(
        &mut table,
        &header,
        &[
            Label::Rank,
            Label::Index,
            Label::P05,
            Label::P50,
            Label::P95,
            Label::Missing,
        ],
    );
    out.push_str(&table.to_string());
    out.push('\n');
    if analysis.certain {
        out.push_str(lang.nothing_varies());
        out.push('\n');
        return out;
    }
    let factors = analysis.factors();
    if factors.is_empty() {
        return out;
    }
    out.push_str(lang.label(Label::VarianceShares));
    out.push('\n');
    let header = [
        Label::Factor,
        Label::Title,
        Label::FirstOrder,
        Label::TotalEffect,
        Label::RankFirstOrder,
        Label::RankTotalEffect,
    ];
    let mut table = new_table(width);
    table.set_header(header.iter().map(|&l| lang.label(l)));
    for factor in factors {
        let title = factor_title(scheme, factor.code, lang);
        let title = if title.chars().count() > TITLE_CHARS {
            title.chars().take(TITLE_CHARS - 1).collect::<String>() + "…"
        } else {
            title
        };
        let line = [
            factor.code.to_string(),
            title,
            lang.share_se(factor.index.first, factor.index.first_se),
            lang.share_se(factor.index.total, factor.index.total_se),
            factor
                .rank
                .map_or_else(String::new, |r| lang.share_se(r.first, r.first_se)),
            factor
                .rank
                .map_or_else(String::new, |r| lang.share_se(r.total, r.total_se)),
        ];
        table.add_row(line.iter().map(|text| escape::terminal(text)));
    }
    align_right(
        &mut table,
        &header,
        &[
            Label::FirstOrder,
            Label::TotalEffect,
            Label::RankFirstOrder,
            Label::RankTotalEffect,
        ],
    );
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

fn new_table(width: Option<u16>) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if let Some(width) = width {
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    table
}

fn align_right(table: &mut Table, header: &[Label], right: &[Label]) {
    for (i, label) in header.iter().enumerate() {
        if right.contains(label)
            && let Some(column) = table.column_mut(i)
        {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}
