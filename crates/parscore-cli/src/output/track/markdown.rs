//! The Markdown tracking report: the criteria tracked by status, those that cannot be, and
//! each unit's rates month by month.

use std::fmt::Write;

use super::view::View;
use crate::output::lang::Label;
use crate::output::markdown::{cell, code_span, inline};

pub fn render(view: &View<'_>) -> String {
    let scheme = view.tracked.scheme;
    let mut out = String::new();
    writeln!(
        out,
        "# {}: {}\n",
        view.label(Label::TrackTitle),
        inline(scheme.title())
    )
    .ok();
    if scheme.estimated() {
        writeln!(out, "> **{}**\n", view.label(Label::EstimatedSheet)).ok();
    }
    writeln!(
        out,
        "**{}** {}.\n",
        inline(&view.headline()),
        inline(&view.status_counts())
    )
    .ok();
    writeln!(out, "{}\n", inline(view.method())).ok();
    if !view.t.criteria.is_empty() {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---:|---|---:|---:|---|---|",
            view.label(Label::Unit),
            view.label(Label::Criterion),
            view.label(Label::Title),
            view.label(Label::SoFar),
            view.label(Label::Target),
            view.label(Label::Expected),
            view.label(Label::Needed),
            view.label(Label::Status),
            view.label(Label::ExpectedFrom)
        )
        .ok();
        for line in &view.t.criteria {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(&line.unit),
                cell(&line.criterion),
                cell(&line.title),
                view.rate(line.so_far),
                code_span(&line.target),
                view.number(line.expected),
                view.number(line.needed),
                view.status(line.status),
                view.expected_from(line.expected_from)
            )
            .ok();
        }
        out.push('\n');
    }
    if !view.t.untracked.is_empty() {
        writeln!(out, "## {}\n", view.label(Label::Untracked)).ok();
        for u in &view.t.untracked {
            writeln!(
                out,
                "- {} {}: {}",
                inline(&u.unit),
                code_span(&u.criterion),
                inline(&view.untracked(u))
            )
            .ok();
        }
        out.push('\n');
    }
    for unit in view.units() {
        writeln!(out, "## {}: {}\n", inline(unit), view.label(Label::Trend)).ok();
        for trend in view.trends_of(unit) {
            writeln!(
                out,
                "### {}\n\n| {} | {} | {} |\n|---|---:|---:|",
                inline(&view.caption(trend)),
                view.label(Label::Month),
                view.label(Label::MonthCount),
                view.label(Label::YearToDate)
            )
            .ok();
            for month in &trend.months {
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    month.month,
                    view.rate(month.count),
                    view.rate(month.year_to_date)
                )
                .ok();
            }
            out.push('\n');
        }
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
