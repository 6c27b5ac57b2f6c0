//! The terminal table: one line per unit and criterion tracked, the criteria that cannot be,
//! then each rate month by month.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::view::View;
use crate::output::escape;
use crate::output::lang::Label;

pub fn render(view: &View<'_>, width: Option<u16>) -> String {
    let scheme = view.tracked.scheme;
    let mut out = format!(
        "{} {} — {}{}\n{}: {}\n",
        escape::terminal(scheme.id()),
        escape::terminal(scheme.version()),
        escape::terminal(scheme.title()),
        if scheme.estimated() {
            format!(" {}", view.label(Label::EstimatedTable))
        } else {
            String::new()
        },
        view.label(Label::TrackTitle),
        view.headline()
    );
    if view.t.criteria.is_empty() {
        out.push_str(match view.lang {
            crate::output::Lang::Vi => "Không có tiêu chí nào theo dõi được từ hồ sơ.\n",
            crate::output::Lang::En => "No criterion could be tracked from the records.\n",
        });
    } else {
        let header = [
            Label::Unit,
            Label::Criterion,
            Label::SoFar,
            Label::Target,
            Label::Expected,
            Label::Needed,
            Label::Status,
            Label::ExpectedFrom,
        ];
        let mut table = new_table(width);
        table.set_header(header.iter().map(|&l| view.label(l)));
        for line in &view.t.criteria {
            let cells = [
                line.unit.clone(),
                format!("{} {}", line.criterion, line.title),
                view.rate(line.so_far),
                line.target.clone(),
                view.number(line.expected),
                view.number(line.needed),
                view.status(line.status).to_string(),
                view.expected_from(line.expected_from).to_string(),
            ];
            table.add_row(cells.iter().map(|text| escape::terminal(text)));
        }
        for i in [2, 4, 5] {
            if let Some(column) = table.column_mut(i) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&table.to_string());
        out.push('\n');
        out.push_str(&view.status_counts());
        out.push('\n');
    }
    if !view.t.untracked.is_empty() {
        out.push_str(&format!("\n{}:\n", view.label(Label::Untracked)));
        for u in &view.t.untracked {
            let line = format!("  {} {}: {}", u.unit, u.criterion, view.untracked(u));
            out.push_str(&escape::terminal(&line));
            out.push('\n');
        }
    }
    if !view.t.trends.is_empty() {
        out.push_str(&format!(
            "\n{} ({}, %)\n",
            view.label(Label::Trend),
            view.label(Label::YearToDate)
        ));
        let months = view.t.trends[0].months.len();
        let mut table = new_table(width);
        let mut header = vec![
            view.label(Label::Unit).to_string(),
            view.label(Label::Rate).to_string(),
        ];
        header.extend(
            view.t.trends[0]
                .months
                .iter()
                .map(|m| View::month(&m.month).to_string()),
        );
        table.set_header(header);
        for trend in &view.t.trends {
            let mut cells = vec![trend.unit.clone(), trend.rate.clone()];
            cells.extend(trend.months.iter().map(|m| view.percent(m.year_to_date)));
            table.add_row(cells.iter().map(|text| escape::terminal(text)));
        }
        for i in 2..2 + months {
            if let Some(column) = table.column_mut(i) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&table.to_string());
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
