//! The Markdown comparison: the headline, the units side by side, between rounds the
//! criteria the appraisal lowered, then each unit's areas and the criteria that changed.

use std::fmt::Write;

use parscore_compare::{Change, UnitChange};

use super::view::View;
use crate::output::lang::Label;
use crate::output::markdown::{cell, code_span, inline};

pub fn render(view: &View<'_>) -> String {
    let scheme = view.scheme;
    let mut out = String::new();
    writeln!(
        out,
        "# {}: {}\n",
        view.label(Label::CompareTitle),
        inline(scheme.title())
    )
    .ok();
    if scheme.estimated() {
        writeln!(out, "> **{}**\n", view.label(Label::EstimatedSheet)).ok();
    }
    writeln!(out, "**{}**\n", inline(&view.headline())).ok();
    if let Some(gaps) = view.gaps_line() {
        writeln!(out, "**{}**\n", inline(&gaps)).ok();
    }
    units_table(&mut out, view);
    appraisal(&mut out, view);
    if let Some(omitted) = view.details_omitted() {
        writeln!(out, "{}\n", inline(&omitted)).ok();
    }
    for unit in view.details() {
        unit_detail(&mut out, view, unit);
    }
    writeln!(
        out,
        "---\n\n{}: {} ({}, {} {}). {}",
        view.label(Label::Provenance),
        inline(scheme.title()),
        code_span(scheme.id()),
        view.label(Label::Version),
        inline(scheme.version()),
        view.lang.made_by()
    )
    .ok();
    out
}

fn units_table(out: &mut String, view: &View<'_>) {
    writeln!(out, "## {}\n", view.label(Label::Units)).ok();
    let header = [
        view.label(Label::Unit).to_string(),
        view.label(Label::Period).into(),
        view.of_side(Label::Index, false),
        view.of_side(Label::Index, true),
        view.label(Label::Difference).into(),
        view.label(Label::Grade).into(),
        view.label(Label::Rank).into(),
        view.label(Label::Changes).into(),
    ];
    let header: Vec<String> = header.iter().map(|h| cell(h)).collect();
    writeln!(
        out,
        "| {} |\n|---|---|---:|---:|---:|---|---:|---|",
        header.join(" | ")
    )
    .ok();
    for u in &view.c.units {
        let mut changes = view.changes(u);
        if let Some(why) = view.not_compared(u) {
            if !changes.is_empty() {
                changes.push_str("; ");
            }
            changes.push_str(&why);
        }
        if let Some(gaps) = view.unit_gaps(u) {
            changes.push_str(&format!(" ({gaps})"));
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&u.unit),
            cell(&view.periods(u)),
            view.maybe(u.index_before),
            view.maybe(u.index_after),
            view.signed(u.delta),
            cell(&view.grades(u)),
            view.ranks(u),
            cell(&changes)
        )
        .ok();
    }
    out.push('\n');
}

fn appraisal(out: &mut String, view: &View<'_>) {
    let Some(lowered) = &view.c.appraisal else {
        return;
    };
    writeln!(out, "## {}\n", view.label(Label::AppraisalList)).ok();
    if lowered.is_empty() {
        writeln!(out, "{}\n", view.label(Label::NothingLowered)).ok();
        return;
    }
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---:|---:|---:|---|---|---|",
        view.label(Label::Unit),
        view.label(Label::Criterion),
        view.label(Label::Title),
        cell(&view.of_side(Label::Points, false)),
        cell(&view.of_side(Label::Points, true)),
        view.label(Label::Difference),
        view.label(Label::Value),
        view.label(Label::LeadUnit),
        view.label(Label::ExplanationDue)
    )
    .ok();
    for l in lowered {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&l.unit),
            cell(&l.code),
            cell(&l.title),
            view.points(l.points_before),
            view.points(l.points_after),
            view.signed(Some(l.delta)),
            cell(&view.both(&view.value(l.value_before), &view.value(l.value_after))),
            cell(view.lead(&l.lead)),
            view.yes_no(l.explanation_due)
        )
        .ok();
    }
    out.push('\n');
}

fn unit_detail(out: &mut String, view: &View<'_>, u: &UnitChange) {
    writeln!(out, "## {}\n", inline(&u.unit)).ok();
    writeln!(
        out,
        "**{} {} → {} ({})** · {} · {} {}{}\n",
        view.label(Label::IndexHeading),
        view.maybe(u.index_before),
        view.maybe(u.index_after),
        view.signed(u.delta),
        inline(&view.grades(u)),
        view.label(Label::Rank),
        view.ranks(u),
        view.unit_gaps(u)
            .map(|g| format!(" · {}", inline(&g)))
            .unwrap_or_default()
    )
    .ok();
    writeln!(out, "### {}\n", view.label(Label::AreaChanges)).ok();
    writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|",
        view.label(Label::Area),
        view.label(Label::Title),
        cell(&view.of_side(Label::Points, false)),
        cell(&view.of_side(Label::Points, true)),
        view.label(Label::Difference)
    )
    .ok();
    for area in &u.areas {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&area.code),
            cell(&area.title),
            view.points(area.points_before),
            view.points(area.points_after),
            view.signed(Some(area.delta))
        )
        .ok();
    }
    writeln!(out, "\n### {}\n", view.label(Label::CriteriaChanged)).ok();
    let changed: Vec<_> = u
        .criteria
        .iter()
        .filter(|c| c.change != Change::Same)
        .collect();
    if changed.is_empty() {
        writeln!(out, "{}\n", view.label(Label::NoCriterionChanged)).ok();
        return;
    }
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---:|---:|---:|---|---|",
        view.label(Label::Criterion),
        view.label(Label::Title),
        view.label(Label::Value),
        cell(&view.of_side(Label::Points, false)),
        cell(&view.of_side(Label::Points, true)),
        view.label(Label::Difference),
        view.label(Label::Changes),
        view.label(Label::LeadUnit)
    )
    .ok();
    for c in changed {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&c.code),
            cell(&c.title),
            cell(&view.both(&view.value(c.value_before), &view.value(c.value_after))),
            view.points(c.points_before),
            view.points(c.points_after),
            view.signed(Some(c.delta)),
            view.change(c.change),
            cell(view.lead(&c.lead))
        )
        .ok();
    }
    out.push('\n');
}
