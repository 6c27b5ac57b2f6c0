//! The comparison as a workbook: the units side by side, every criterion of every unit
//! compared, between rounds the criteria the appraisal lowered, and the scheme. Figures are
//! the reported ones, rounded to the scheme's places and stored as the nearest double (the
//! JSON and CSV keep exact digits); text is written as text, never as a formula.

use parscore::{Decimal, nearest_f64};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::view::View;
use crate::fail::Failure;
use crate::output::lang::Label;

/// The most characters a cell holds (Excel's limit); longer text is cut, with `…`.
const CELL_CHARS: usize = 32_767;

pub fn render(view: &View<'_>) -> Result<Vec<u8>, Failure> {
    build(view).map_err(|e| Failure::Write {
        target: "the Excel workbook".into(),
        error: std::io::Error::other(e),
    })
}

struct Sheet<'v, 'a> {
    view: &'v View<'a>,
    header: Format,
    figure: Format,
}

fn build(view: &View<'_>) -> Result<Vec<u8>, XlsxError> {
    let places = view.scheme.rounding().places as usize;
    let figure = if places == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(places))
    };
    let sheet = Sheet {
        view,
        header: Format::new().set_bold().set_background_color("#F2F2F2"),
        figure: Format::new().set_num_format(figure),
    };
    let mut workbook = Workbook::new();
    sheet.units(workbook.add_worksheet())?;
    sheet.criteria(workbook.add_worksheet())?;
    if view.c.appraisal.is_some() {
        sheet.appraisal(workbook.add_worksheet())?;
    }
    sheet.scheme(workbook.add_worksheet())?;
    workbook.save_to_buffer()
}

impl Sheet<'_, '_> {
    fn head(&self, sheet: &mut Worksheet, names: &[String]) -> Result<(), XlsxError> {
        for (col, name) in names.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, name, &self.header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(())
    }

    fn figure(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        d: Option<Decimal>,
    ) -> Result<(), XlsxError> {
        if let Some(d) = d {
            let rounded = self.view.scheme.rounding().round(d);
            sheet.write_number_with_format(row, col, nearest_f64(rounded), &self.figure)?;
        }
        Ok(())
    }

    fn label(&self, label: Label) -> String {
        self.view.label(label).to_string()
    }

    fn units(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        let view = self.view;
        sheet.set_name(view.label(Label::SheetCompare))?;
        let names = [
            self.label(Label::Unit),
            view.of_side(Label::Period, false),
            view.of_side(Label::Period, true),
            view.of_side(Label::Index, false),
            view.of_side(Label::Index, true),
            self.label(Label::Difference),
            view.of_side(Label::Points, false),
            view.of_side(Label::Points, true),
            view.of_side(Label::Grade, false),
            view.of_side(Label::Grade, true),
            view.of_side(Label::Rank, false),
            view.of_side(Label::Rank, true),
            view.of_side(Label::Missing, false),
            view.of_side(Label::Missing, true),
            self.label(Label::Changes),
            self.label(Label::NotCompared),
        ];
        self.head(sheet, &names)?;
        for (i, u) in view.c.units.iter().enumerate() {
            let row = i as u32 + 1;
            text(sheet, row, 0, &u.unit)?;
            text(sheet, row, 1, u.period_before.as_deref().unwrap_or(""))?;
            text(sheet, row, 2, u.period_after.as_deref().unwrap_or(""))?;
            self.figure(sheet, row, 3, u.index_before)?;
            self.figure(sheet, row, 4, u.index_after)?;
            self.figure(sheet, row, 5, u.delta)?;
            self.figure(sheet, row, 6, u.points_before)?;
            self.figure(sheet, row, 7, u.points_after)?;
            text(sheet, row, 8, u.grade_before.as_deref().unwrap_or(""))?;
            text(sheet, row, 9, u.grade_after.as_deref().unwrap_or(""))?;
            for (col, n) in [
                (10, u.rank_before),
                (11, u.rank_after),
                (12, u.missing_before),
                (13, u.missing_after),
            ] {
                if let Some(n) = n {
                    sheet.write_number(row, col, n as f64)?;
                }
            }
            text(sheet, row, 14, &view.changes(u))?;
            text(sheet, row, 15, &view.not_compared(u).unwrap_or_default())?;
        }
        sheet.autofilter(0, 0, view.c.units.len() as u32, names.len() as u16 - 1)?;
        sheet.set_column_width(0, 30)?;
        sheet.set_column_width(14, 36)?;
        sheet.set_column_width(15, 48)?;
        Ok(())
    }

    fn criteria(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        let view = self.view;
        sheet.set_name(view.label(Label::SheetCriteria))?;
        let names = [
            self.label(Label::Unit),
            self.label(Label::Code),
            self.label(Label::Title),
            view.of_side(Label::Value, false),
            view.of_side(Label::Value, true),
            view.of_side(Label::Points, false),
            view.of_side(Label::Points, true),
            self.label(Label::Difference),
            view.of_side(Label::Passed, false),
            view.of_side(Label::Passed, true),
            self.label(Label::Changes),
            self.label(Label::LeadUnit),
        ];
        self.head(sheet, &names)?;
        let mut row = 0;
        for u in &view.c.units {
            for c in &u.criteria {
                row += 1;
                text(sheet, row, 0, &u.unit)?;
                text(sheet, row, 1, &c.code)?;
                text(sheet, row, 2, &c.title)?;
                text(sheet, row, 3, &view.value(c.value_before))?;
                text(sheet, row, 4, &view.value(c.value_after))?;
                self.figure(sheet, row, 5, Some(c.points_before))?;
                self.figure(sheet, row, 6, Some(c.points_after))?;
                self.figure(sheet, row, 7, Some(c.delta))?;
                for (col, passed) in [(8, c.passed_before), (9, c.passed_after)] {
                    if let Some(passed) = passed {
                        sheet.write_boolean(row, col, passed)?;
                    }
                }
                text(sheet, row, 10, view.change(c.change))?;
                text(sheet, row, 11, view.lead(&c.lead))?;
            }
        }
        sheet.autofilter(0, 0, row, names.len() as u16 - 1)?;
        sheet.set_column_width(0, 30)?;
        sheet.set_column_width(2, 48)?;
        sheet.set_column_width(11, 36)?;
        Ok(())
    }

    fn appraisal(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        let view = self.view;
        sheet.set_name(view.label(Label::SheetAppraisal))?;
        let names = [
            self.label(Label::Unit),
            self.label(Label::Code),
            self.label(Label::Title),
            view.of_side(Label::Points, false),
            view.of_side(Label::Points, true),
            self.label(Label::Difference),
            view.of_side(Label::Value, false),
            view.of_side(Label::Value, true),
            self.label(Label::LeadUnit),
            self.label(Label::ExplanationDue),
        ];
        self.head(sheet, &names)?;
        let lowered = view.c.appraisal.as_deref().unwrap_or_default();
        for (i, l) in lowered.iter().enumerate() {
            let row = i as u32 + 1;
            text(sheet, row, 0, &l.unit)?;
            text(sheet, row, 1, &l.code)?;
            text(sheet, row, 2, &l.title)?;
            self.figure(sheet, row, 3, Some(l.points_before))?;
            self.figure(sheet, row, 4, Some(l.points_after))?;
            self.figure(sheet, row, 5, Some(l.delta))?;
            text(sheet, row, 6, &view.value(l.value_before))?;
            text(sheet, row, 7, &view.value(l.value_after))?;
            text(sheet, row, 8, view.lead(&l.lead))?;
            sheet.write_boolean(row, 9, l.explanation_due)?;
        }
        sheet.autofilter(0, 0, lowered.len() as u32, names.len() as u16 - 1)?;
        sheet.set_column_width(0, 30)?;
        sheet.set_column_width(2, 48)?;
        sheet.set_column_width(8, 36)?;
        Ok(())
    }

    fn scheme(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        let view = self.view;
        let scheme = view.scheme;
        sheet.set_name(view.label(Label::SheetScheme))?;
        let mut row = 0;
        if scheme.estimated() {
            text(sheet, row, 0, view.label(Label::EstimatedSheet))?;
            row += 2;
        }
        let lines = [
            (Label::Id, scheme.id().to_string()),
            (Label::Title, scheme.title().to_string()),
            (Label::Version, scheme.version().to_string()),
            (Label::CompareTitle, view.headline()),
            (
                Label::MadeBy,
                format!("parscore {}", env!("CARGO_PKG_VERSION")),
            ),
        ];
        for (name, value) in lines {
            sheet.write_string_with_format(row, 0, view.label(name), &self.header)?;
            text(sheet, row, 1, &value)?;
            row += 1;
        }
        sheet.set_column_width(0, 22)?;
        sheet.set_column_width(1, 120)?;
        Ok(())
    }
}

/// Text as a text cell, cut to what a cell holds.
fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    if value.chars().count() <= CELL_CHARS {
        sheet.write_string(row, col, value)?;
    } else {
        let cut: String = value.chars().take(CELL_CHARS - 1).collect();
        sheet.write_string(row, col, cut + "…")?;
    }
    Ok(())
}
