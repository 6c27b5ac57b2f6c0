//! The terminal table: one line per unit, then (between rounds) the criteria the appraisal
//! lowered, then a summary line. Text from the inputs shows its control characters as
//! escapes.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::view::View;
use crate::output::escape;
use crate::output::lang::Label;

pub fn render(view: &View<'_>, width: Option<u16>) -> String {
    let c = view.c;
    let scheme = view.scheme;
    let mut out = format!(
        "{} {} — {}{}\n{}: {} → {}\n",
        escape::terminal(scheme.id()),
        escape::terminal(scheme.version()),
        escape::terminal(scheme.title()),
        if scheme.estimated() {
            format!(" {}", view.label(Label::EstimatedTable))
        } else {
            String::new()
        },
        view.label(Label::CompareTitle),
        escape::terminal(&c.labels.before),
        escape::terminal(&c.labels.after),
    );
    let with_period = c
        .units
        .iter()
        .any(|u| u.period_before.is_some() || u.period_after.is_some());
    let mut header = vec![view.label(Label::Unit).to_string()];
    if with_period {
        header.push(view.label(Label::Period).into());
    }
    header.extend([
        view.of_side(Label::Index, false),
        view.of_side(Label::Index, true),
        view.label(Label::Difference).into(),
        view.label(Label::Grade).into(),
        view.label(Label::Rank).into(),
        view.label(Label::Changes).into(),
    ]);
    let numeric = |i: usize| {
        let first = if with_period { 2 } else { 1 };
        (first..first + 3).contains(&i)
    };
    let mut table = new_table(width);
    table.set_header(&header);
    for u in &c.units {
        let mut line = vec![u.unit.clone()];
        if with_period {
            line.push(view.periods(u));
        }
        line.extend([
            view.maybe(u.index_before),
            view.maybe(u.index_after),
            view.signed(u.delta),
            view.grades(u),
            view.ranks(u),
        ]);
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
        line.push(changes);
        table.add_row(line.iter().map(|text| escape::terminal(text)));
    }
    align_right(&mut table, header.len(), numeric);
    out.push_str(&table.to_string());
    out.push('\n');

    if let Some(lowered) = &c.appraisal {
        out.push_str(&format!("\n{}\n", view.label(Label::AppraisalList)));
        if lowered.is_empty() {
            out.push_str(view.label(Label::NothingLowered));
            out.push('\n');
        } else {
            let header = [
                view.label(Label::Unit).to_string(),
                view.label(Label::Criterion).into(),
                view.of_side(Label::Points, false),
                view.of_side(Label::Points, true),
                view.label(Label::Difference).into(),
                view.label(Label::LeadUnit).into(),
                view.label(Label::ExplanationDue).into(),
            ];
            let mut table = new_table(width);
            table.set_header(&header);
            for l in lowered {
                let line = [
                    l.unit.clone(),
                    format!("{} {}", l.code, l.title),
                    view.points(l.points_before),
                    view.points(l.points_after),
                    view.signed(Some(l.delta)),
                    view.lead(&l.lead).to_string(),
                    view.yes_no(l.explanation_due).to_string(),
                ];
                table.add_row(line.iter().map(|text| escape::terminal(text)));
            }
            align_right(&mut table, header.len(), |i| (2..5).contains(&i));
            out.push_str(&table.to_string());
            out.push('\n');
        }
    }
    out.push_str(&escape::terminal(&view.headline()));
    out.push('\n');
    if let Some(gaps) = view.gaps_line() {
        out.push_str(&escape::terminal(&gaps));
        out.push('\n');
    }
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

fn align_right(table: &mut Table, columns: usize, numeric: impl Fn(usize) -> bool) {
    for i in (0..columns).filter(|&i| numeric(i)) {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}
