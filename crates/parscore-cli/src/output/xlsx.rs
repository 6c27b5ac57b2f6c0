//! The Excel workbook: a results sheet, a per-criterion sheet, the failing targets by lead
//! unit, and the scheme's provenance.
//!
//! Excel stores every number as an IEEE double, so decimals become `f64` here and only here,
//! at the edge of the program. The figures written are the reported ones, already rounded to
//! the scheme's places, and a number format shows exactly those places; a reader who needs
//! exact digits uses the JSON or CSV output.

use parscore::{Decimal, Evaluation, Scheme, Value, nearest_f64};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::figures;
use crate::fail::Failure;
use crate::run::Run;

/// The width, in characters, of columns that hold titles and reasons.
const WIDE: f64 = 48.0;

pub fn render(run: &Run) -> Result<Vec<u8>, Failure> {
    build(run).map_err(|e| Failure::Write {
        target: "the Excel workbook".into(),
        error: std::io::Error::other(e),
    })
}

/// Cell formats of a workbook.
struct Formats {
    header: Format,
    figure: Format,
    note: Format,
}

fn build(run: &Run) -> Result<Vec<u8>, XlsxError> {
    let scheme = &run.batch.scheme;
    let places = scheme.rounding().places as usize;
    let figure_format = if places == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(places))
    };
    let formats = Formats {
        header: Format::new().set_bold().set_background_color("#F2F2F2"),
        figure: Format::new().set_num_format(figure_format),
        note: Format::new().set_bold().set_font_color("#B26A00"),
    };
    let mut workbook = Workbook::new();
    results_sheet(workbook.add_worksheet(), run, &formats)?;
    criteria_sheet(workbook.add_worksheet(), run, &formats)?;
    failing_sheet(workbook.add_worksheet(), run, &formats)?;
    scheme_sheet(workbook.add_worksheet(), scheme, &formats)?;
    workbook.save_to_buffer()
}

fn header(sheet: &mut Worksheet, names: &[&str], formats: &Formats) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A reported figure: rounded as the scheme rounds, then stored as the nearest double.
fn figure(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    scheme: &Scheme,
    d: Decimal,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let rounded = scheme.rounding().round(d);
    sheet.write_number_with_format(row, col, nearest_f64(rounded), &formats.figure)?;
    Ok(())
}

fn results_sheet(sheet: &mut Worksheet, run: &Run, formats: &Formats) -> Result<(), XlsxError> {
    let scheme = &run.batch.scheme;
    sheet.set_name("Results")?;
    let areas: Vec<&str> = scheme.areas().map(|a| a.code.as_str()).collect();
    let mut names = vec![
        "row",
        "source",
        "unit",
        "period",
        "status",
        "points",
        "max points",
        "index",
        "grade",
        "rank",
        "error",
    ];
    names.extend(areas.iter().copied());
    header(sheet, &names, formats)?;
    for (i, result) in run.batch.results.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, result.row as f64)?;
        sheet.write_string(row, 1, run.places[i].to_string())?;
        sheet.write_string(row, 2, result.unit.as_deref().unwrap_or(""))?;
        sheet.write_string(row, 3, result.period.as_deref().unwrap_or(""))?;
        match &result.outcome {
            Ok(evaluation) => {
                sheet.write_string(row, 4, "ok")?;
                figure(sheet, row, 5, scheme, evaluation.points(), formats)?;
                figure(sheet, row, 6, scheme, evaluation.max_points(), formats)?;
                if let Some(index) = evaluation.index_rounded() {
                    figure(sheet, row, 7, scheme, index, formats)?;
                }
                sheet.write_string(row, 8, figures::grade(evaluation))?;
                if let Some(rank) = result.rank {
                    sheet.write_number(row, 9, rank as f64)?;
                }
                for (j, area) in evaluation.areas().enumerate() {
                    figure(sheet, row, 11 + j as u16, scheme, area.points(), formats)?;
                }
            }
            Err(error) => {
                sheet.write_string(row, 4, "error")?;
                sheet.write_string(row, 10, error.to_string())?;
            }
        }
    }
    let last = run.batch.results.len() as u32;
    sheet.autofilter(0, 0, last, names.len() as u16 - 1)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(2, 30)?;
    sheet.set_column_width(10, WIDE)?;
    Ok(())
}

fn criteria_sheet(sheet: &mut Worksheet, run: &Run, formats: &Formats) -> Result<(), XlsxError> {
    let scheme = &run.batch.scheme;
    sheet.set_name("Criteria")?;
    let names = [
        "unit",
        "period",
        "code",
        "title",
        "indicator",
        "value",
        "target",
        "passed",
        "margin",
        "points",
        "max points",
        "lost points",
        "recoverable",
        "status",
        "explanation",
        "lead unit",
    ];
    header(sheet, &names, formats)?;
    let mut row = 0;
    for result in &run.batch.results {
        let Ok(evaluation) = &result.outcome else {
            continue;
        };
        for c in evaluation.criteria() {
            row += 1;
            unit_cells(sheet, row, evaluation)?;
            sheet.write_string(row, 2, c.code())?;
            sheet.write_string(row, 3, c.title())?;
            sheet.write_string(row, 4, &c.indicator().id)?;
            value_cell(sheet, row, 5, c.value())?;
            sheet.write_string(
                row,
                6,
                c.target().map(|t| t.to_string()).unwrap_or_default(),
            )?;
            if let Some(passed) = c.passed() {
                sheet.write_boolean(row, 7, passed)?;
            }
            if let Some(margin) = c.margin() {
                sheet.write_number(row, 8, nearest_f64(margin))?;
            }
            figure(sheet, row, 9, scheme, c.points(), formats)?;
            figure(sheet, row, 10, scheme, c.max_points(), formats)?;
            figure(sheet, row, 11, scheme, c.lost_points(), formats)?;
            figure(sheet, row, 12, scheme, c.recoverable(), formats)?;
            sheet.write_string(row, 13, c.status().name())?;
            sheet.write_string(row, 14, c.explanation())?;
            sheet.write_string(row, 15, c.criterion().lead.as_deref().unwrap_or(""))?;
        }
    }
    sheet.autofilter(0, 0, row, names.len() as u16 - 1)?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(3, WIDE)?;
    sheet.set_column_width(4, 28)?;
    sheet.set_column_width(14, WIDE)?;
    sheet.set_column_width(15, 36)?;
    Ok(())
}

fn failing_sheet(sheet: &mut Worksheet, run: &Run, formats: &Formats) -> Result<(), XlsxError> {
    let scheme = &run.batch.scheme;
    sheet.set_name("Failing targets")?;
    let names = [
        "lead unit",
        "unit",
        "period",
        "code",
        "title",
        "value",
        "target",
        "margin",
        "lost points",
        "timeline",
        "coordinating units",
    ];
    header(sheet, &names, formats)?;
    // Lead units in the order the scheme first names them; within each, units in input
    // order and criteria in scheme order.
    let mut leads: Vec<&str> = Vec::new();
    for c in scheme.leaves() {
        let lead = c.lead.as_deref().unwrap_or("");
        if !leads.contains(&lead) {
            leads.push(lead);
        }
    }
    let mut row = 0;
    for lead in leads {
        for result in &run.batch.results {
            let Ok(evaluation) = &result.outcome else {
                continue;
            };
            for c in evaluation.failed_targets() {
                let criterion = c.criterion();
                if criterion.lead.as_deref().unwrap_or("") != lead {
                    continue;
                }
                row += 1;
                sheet.write_string(row, 0, lead)?;
                sheet.write_string(row, 1, evaluation.unit())?;
                sheet.write_string(row, 2, evaluation.period().unwrap_or(""))?;
                sheet.write_string(row, 3, c.code())?;
                sheet.write_string(row, 4, c.title())?;
                value_cell(sheet, row, 5, c.value())?;
                sheet.write_string(
                    row,
                    6,
                    c.target().map(|t| t.to_string()).unwrap_or_default(),
                )?;
                if let Some(margin) = c.margin() {
                    sheet.write_number(row, 7, nearest_f64(margin))?;
                }
                figure(sheet, row, 8, scheme, c.lost_points(), formats)?;
                sheet.write_string(row, 9, criterion.timeline.as_deref().unwrap_or(""))?;
                sheet.write_string(row, 10, criterion.coordinating.as_deref().unwrap_or(""))?;
            }
        }
    }
    sheet.autofilter(0, 0, row, names.len() as u16 - 1)?;
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(4, WIDE)?;
    sheet.set_column_width(9, 24)?;
    sheet.set_column_width(10, 36)?;
    Ok(())
}

fn scheme_sheet(
    sheet: &mut Worksheet,
    scheme: &Scheme,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Scheme")?;
    let mut row = 0;
    if scheme.estimated() {
        sheet.write_string_with_format(
            row,
            0,
            "ESTIMATED POINTS — NOT OFFICIAL: the scheme's points are an estimate.",
            &formats.note,
        )?;
        row += 2;
    }
    let lines = [
        ("id", scheme.id().to_string()),
        ("title", scheme.title().to_string()),
        ("version", scheme.version().to_string()),
        (
            "points",
            if scheme.estimated() {
                "estimated"
            } else {
                "official"
            }
            .to_string(),
        ),
        ("maximum", figures::points(scheme, scheme.max_points())),
        ("provenance", scheme.provenance().trim().to_string()),
        ("made by", format!("parscore {}", env!("CARGO_PKG_VERSION"))),
    ];
    for (name, text) in lines {
        sheet.write_string_with_format(row, 0, name, &formats.header)?;
        sheet.write_string(row, 1, text)?;
        row += 1;
    }
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 120)?;
    Ok(())
}

fn unit_cells(sheet: &mut Worksheet, row: u32, evaluation: &Evaluation) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, evaluation.unit())?;
    sheet.write_string(row, 1, evaluation.period().unwrap_or(""))?;
    Ok(())
}

/// A value as a number when it is one, so that it sorts and sums; counts, yes/no and n/a
/// as text, as `figures::value` shows them.
fn value_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Value>,
) -> Result<(), XlsxError> {
    match value {
        Some(Value::Number(d)) => sheet.write_number(row, col, nearest_f64(d)).map(|_| ()),
        Some(Value::Bool(b)) => sheet.write_boolean(row, col, b).map(|_| ()),
        None => Ok(()),
        other => sheet
            .write_string(row, col, figures::value(other))
            .map(|_| ()),
    }
}
