//! The Markdown report of a study: the settings, the units with their index range and
//! grade probabilities, the variance shares, the rows with errors, and how to read them.

use std::fmt::Write;

use parscore_uncertainty::Level;

use super::Analysis;
use super::data::{factor_title, figure, rank, rank_range};
use crate::output::lang::{Label, Lang};
use crate::output::markdown::{cell, code_cell, code_span, inline};

pub fn render(analysis: &Analysis<'_>, lang: Lang) -> String {
    let scheme = analysis.scheme();
    let results = analysis.results;
    let mut out = String::new();
    writeln!(
        out,
        "# {}\n\n{} · {} {}\n",
        lang.label(Label::UncertaintyTitle),
        inline(scheme.title()),
        code_span(scheme.id()),
        inline(scheme.version())
    )
    .ok();
    if scheme.estimated() {
        writeln!(
            out,
            "> **{}** {} {}.\n",
            lang.label(Label::EstimatedBanner),
            lang.estimated_note(&code_span(scheme.id()), &inline(scheme.version())),
            code_span(&format!("parscore scheme show {}", scheme.id()))
        )
        .ok();
    }
    writeln!(
        out,
        "- {}\n- {}: {}\n- {}: {}\n",
        with_code(&lang.samples_and_seed(results.samples, results.seed)),
        lang.label(Label::Model),
        inline(&lang.model(analysis.model)),
        lang.label(Label::FactorLevel),
        lang.label(match results.sensitivity {
            Some(Level::Criteria) => Label::FactorCriteria,
            _ => Label::FactorAreas,
        })
    )
    .ok();
    if analysis.certain {
        writeln!(out, "{}\n", lang.nothing_varies()).ok();
    }
    units(&mut out, analysis, lang);
    shares(&mut out, analysis, lang);
    errors(&mut out, analysis, lang);
    writeln!(out, "{}", with_code(lang.method_note())).ok();
    out
}

fn units(out: &mut String, analysis: &Analysis<'_>, lang: Lang) {
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
    writeln!(out, "## {}\n", lang.label(Label::Units)).ok();
    let labels: Vec<&str> = header.iter().map(|&l| lang.label(l)).collect();
    writeln!(out, "| {} |", labels.join(" | ")).ok();
    let aligns: Vec<&str> = header
        .iter()
        .map(|l| match l {
            Label::Unit | Label::Period | Label::Grade | Label::GradeProbability => "---",
            _ => "---:",
        })
        .collect();
    writeln!(out, "|{}|", aligns.join("|")).ok();
    for row in analysis.ranked() {
        let u = row.unit;
        if u.error.is_some() {
            continue;
        }
        let mut line = vec![rank(u.rank), cell(u.unit.as_deref().unwrap_or("?"))];
        if with_period {
            line.push(cell(u.period.as_deref().unwrap_or("")));
        }
        line.extend([
            figure(u.index, lang),
            figure(u.p05, lang),
            figure(u.p50, lang),
            figure(u.p95, lang),
            cell(u.grade.as_deref().unwrap_or("-")),
            cell(&lang.grade_chances(&u.grades)),
            rank_range(u),
            row.missing.map_or_else(String::new, |(n, _)| n.to_string()),
        ]);
        writeln!(out, "| {} |", line.join(" | ")).ok();
    }
    out.push('\n');
}

fn shares(out: &mut String, analysis: &Analysis<'_>, lang: Lang) {
    let factors = analysis.factors();
    if factors.is_empty() || analysis.certain {
        return;
    }
    writeln!(
        out,
        "## {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|---:|",
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
        let rank = |f: fn(&parscore_uncertainty::VarianceShare) -> (Option<f64>, Option<f64>)| {
            factor.rank.map_or_else(String::new, |r| {
                let (x, se) = f(r);
                lang.share_se(x, se)
            })
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            code_cell(factor.code),
            cell(&factor_title(scheme, factor.code, lang)),
            lang.share_se(factor.index.first, factor.index.first_se),
            lang.share_se(factor.index.total, factor.index.total_se),
            rank(|r| (r.first, r.first_se)),
            rank(|r| (r.total, r.total_se)),
        )
        .ok();
    }
    writeln!(out, "\n± {}\n", lang.label(Label::StandardError)).ok();
}

fn errors(out: &mut String, analysis: &Analysis<'_>, lang: Lang) {
    let failed: Vec<_> = analysis
        .rows()
        .into_iter()
        .filter(|r| r.unit.error.is_some())
        .collect();
    if failed.is_empty() {
        return;
    }
    writeln!(
        out,
        "## {}\n\n| {} | {} | {} |\n|---|---|---|",
        lang.label(Label::Errors),
        lang.label(Label::Place),
        lang.label(Label::Unit),
        lang.label(Label::Error)
    )
    .ok();
    for row in failed {
        writeln!(
            out,
            "| {} | {} | {} |",
            cell(&row.place.to_string()),
            cell(row.unit.unit.as_deref().unwrap_or("")),
            code_cell(row.unit.error.as_deref().unwrap_or(""))
        )
        .ok();
    }
    out.push('\n');
}

/// Text whose `code spans` stay code, the rest escaped.
fn with_code(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                code_span(part)
            } else {
                inline(part)
            }
        })
        .collect()
}
