//! The Excel workbook: the units by rank, every criterion of every unit, the failing targets
//! by lead unit, the criteria without input, and the scheme's provenance; in the language
//! asked for.
//!
//! Excel stores every number as an IEEE double, so decimals become `f64` here and only here,
//! at the edge of the program. The figures written are the reported ones, already rounded to
//! the scheme's places, and a number format shows exactly those places (with the decimal
//! separator of the reader's Excel); a reader who needs exact digits uses the JSON or CSV
//! output. Text is always written as text, never as a formula, whatever it starts with.

use parscore::{Decimal, Evaluation, Scheme, Status, Value, nearest_f64};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::figures;
use super::lang::{Label, Lang};
use super::report_data::{rank_order, scheme_forms};
use super::summary::SummaryData;
use crate::fail::Failure;
use crate::run::Run;

/// The width, in characters, of columns that hold titles and reasons.
const WIDE: f64 = 48.0;

/// The most characters a cell holds (Excel's limit); longer text is cut, with `…`.
const CELL_CHARS: usize = 32_767;

pub fn render(run: &Run, lang: Lang) -> Result<Vec<u8>, Failure> {
    build(run, lang).map_err(|e| Failure::Write {
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

fn build(run: &Run, lang: Lang) -> Result<Vec<u8>, XlsxError> {
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
    results_sheet(workbook.add_worksheet(), run, &formats, lang)?;
    criteria_sheet(workbook.add_worksheet(), run, &formats, lang)?;
    failing_sheet(workbook.add_worksheet(), run, &formats, lang)?;
    gaps_sheet(workbook.add_worksheet(), run, &formats, lang)?;
    scheme_sheet(workbook.add_worksheet(), scheme, &formats, lang)?;
    workbook.save_to_buffer()
}

/// Text as a text cell, cut to what a cell holds.
pub(super) fn text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
) -> Result<(), XlsxError> {
    if value.chars().count() <= CELL_CHARS {
        sheet.write_string(row, col, value)?;
    } else {
        let cut: String = value.chars().take(CELL_CHARS - 1).collect();
        sheet.write_string(row, col, cut + "…")?;
    }
    Ok(())
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

/// The name of a criterion's status in `lang`.
fn status_name(status: Status, lang: Lang) -> &'static str {
    lang.label(match status {
        Status::Scored => Label::Scored,
        Status::Missing => Label::Missing,
        Status::NotApplicable => Label::NotApplicableStatus,
    })
}

/// Units by rank within each period; `row` keeps their input order.
fn results_sheet(
    sheet: &mut Worksheet,
    run: &Run,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    let scheme = &run.batch.scheme;
    sheet.set_name(lang.label(Label::SheetResults))?;
    let areas: Vec<&str> = scheme.areas().map(|a| a.code.as_str()).collect();
    let mut names: Vec<&str> = [
        Label::Row,
        Label::Source,
        Label::Unit,
        Label::Period,
        Label::Status,
        Label::Points,
        Label::MaxPoints,
        Label::Index,
        Label::Grade,
        Label::Rank,
        Label::Missing,
        Label::MissingPoints,
        Label::Error,
    ]
    .iter()
    .map(|&l| lang.label(l))
    .collect();
    let first_area = names.len() as u16;
    names.extend(areas.iter().copied());
    // After the areas, so that the other columns keep their places.
    let sections = [
        scheme.bonus().map(|_| Label::BonusPoints),
        scheme.penalties().map(|_| Label::PenaltyPoints),
    ];
    let first_section = names.len() as u16;
    names.extend(sections.iter().flatten().map(|&l| lang.label(l)));
    header(sheet, &names, formats)?;
    for (line, i) in rank_order(&run.batch.results).into_iter().enumerate() {
        let result = &run.batch.results[i];
        let row = line as u32 + 1;
        sheet.write_number(row, 0, result.row as f64)?;
        text(sheet, row, 1, &run.places[i].to_string())?;
        text(sheet, row, 2, result.unit.as_deref().unwrap_or(""))?;
        text(sheet, row, 3, result.period.as_deref().unwrap_or(""))?;
        match &result.outcome {
            Ok(evaluation) => {
                sheet.write_string(row, 4, lang.label(Label::StatusOk))?;
                figure(sheet, row, 5, scheme, evaluation.points(), formats)?;
                figure(sheet, row, 6, scheme, evaluation.max_points(), formats)?;
                if let Some(index) = evaluation.index_rounded() {
                    figure(sheet, row, 7, scheme, index, formats)?;
                }
                text(sheet, row, 8, figures::grade(evaluation))?;
                if let Some(rank) = result.rank {
                    sheet.write_number(row, 9, rank as f64)?;
                }
                let (missing, missing_points) = evaluation.missing_summary();
                sheet.write_number(row, 10, missing as f64)?;
                figure(sheet, row, 11, scheme, missing_points, formats)?;
                for (j, area) in evaluation.areas().enumerate() {
                    figure(
                        sheet,
                        row,
                        first_area + j as u16,
                        scheme,
                        area.points(),
                        formats,
                    )?;
                }
                let counted = [evaluation.bonus_points(), evaluation.penalty_points()];
                for (j, points) in counted.into_iter().flatten().enumerate() {
                    figure(
                        sheet,
                        row,
                        first_section + j as u16,
                        scheme,
                        points,
                        formats,
                    )?;
                }
            }
            Err(error) => {
                sheet.write_string(row, 4, lang.label(Label::StatusError))?;
                text(sheet, row, 12, &error.to_string())?;
            }
        }
    }
    let last = run.batch.results.len() as u32;
    sheet.autofilter(0, 0, last, names.len() as u16 - 1)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(2, 30)?;
    sheet.set_column_width(12, WIDE)?;
    Ok(())
}

fn criteria_sheet(
    sheet: &mut Worksheet,
    run: &Run,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    let scheme = &run.batch.scheme;
    sheet.set_name(lang.label(Label::SheetCriteria))?;
    let names: Vec<&str> = [
        Label::Unit,
        Label::Period,
        Label::Code,
        Label::Title,
        Label::Indicator,
        Label::Value,
        Label::Target,
        Label::Passed,
        Label::Margin,
        Label::Points,
        Label::MaxPoints,
        Label::LostPoints,
        Label::RecoverablePoints,
        Label::Status,
        Label::Explanation,
        Label::LeadUnit,
    ]
    .iter()
    .map(|&l| lang.label(l))
    .collect();
    header(sheet, &names, formats)?;
    let mut row = 0;
    for i in rank_order(&run.batch.results) {
        let Ok(evaluation) = &run.batch.results[i].outcome else {
            continue;
        };
        for c in evaluation.criteria() {
            row += 1;
            unit_cells(sheet, row, evaluation)?;
            text(sheet, row, 2, c.code())?;
            text(sheet, row, 3, c.title())?;
            text(sheet, row, 4, &c.indicator().id)?;
            value_cell(sheet, row, 5, c.value(), lang)?;
            text(
                sheet,
                row,
                6,
                &c.target().map(|t| t.to_string()).unwrap_or_default(),
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
            sheet.write_string(row, 13, status_name(c.status(), lang))?;
            text(sheet, row, 14, &c.explanation())?;
            text(sheet, row, 15, c.criterion().lead.as_deref().unwrap_or(""))?;
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

/// Every criterion that lost points against its target or its yes/no, by lead unit.
fn failing_sheet(
    sheet: &mut Worksheet,
    run: &Run,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    let scheme = &run.batch.scheme;
    sheet.set_name(lang.label(Label::SheetFailing))?;
    let names: Vec<&str> = [
        Label::LeadUnit,
        Label::Unit,
        Label::Period,
        Label::Code,
        Label::Title,
        Label::Value,
        Label::Target,
        Label::Margin,
        Label::LostPoints,
        Label::Timeline,
        Label::CoordinatingUnits,
    ]
    .iter()
    .map(|&l| lang.label(l))
    .collect();
    header(sheet, &names, formats)?;
    // Lead units in the order the scheme first names them; within each, units by rank and
    // criteria in scheme order.
    let mut leads: Vec<&str> = Vec::new();
    for c in scheme.leaves() {
        let lead = c.lead.as_deref().unwrap_or("");
        if !leads.contains(&lead) {
            leads.push(lead);
        }
    }
    let order = rank_order(&run.batch.results);
    let mut row = 0;
    for lead in leads {
        for &i in &order {
            let Ok(evaluation) = &run.batch.results[i].outcome else {
                continue;
            };
            for c in evaluation.failed_targets() {
                let criterion = c.criterion();
                if criterion.lead.as_deref().unwrap_or("") != lead {
                    continue;
                }
                row += 1;
                text(sheet, row, 0, lead)?;
                unit_cells_at(sheet, row, 1, evaluation)?;
                text(sheet, row, 3, c.code())?;
                text(sheet, row, 4, c.title())?;
                value_cell(sheet, row, 5, c.value(), lang)?;
                text(
                    sheet,
                    row,
                    6,
                    &c.target().map(|t| t.to_string()).unwrap_or_default(),
                )?;
                if let Some(margin) = c.margin() {
                    sheet.write_number(row, 7, nearest_f64(margin))?;
                }
                figure(sheet, row, 8, scheme, c.lost_points(), formats)?;
                text(sheet, row, 9, criterion.timeline.as_deref().unwrap_or(""))?;
                text(
                    sheet,
                    row,
                    10,
                    criterion.coordinating.as_deref().unwrap_or(""),
                )?;
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

/// The criteria scored 0 for want of input, apart from the failures: a gap to fill, not a
/// target missed.
fn gaps_sheet(
    sheet: &mut Worksheet,
    run: &Run,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    let scheme = &run.batch.scheme;
    sheet.set_name(lang.label(Label::SheetGaps))?;
    let names: Vec<&str> = [
        Label::Unit,
        Label::Period,
        Label::Code,
        Label::Title,
        Label::Indicator,
        Label::MaxPoints,
        Label::LeadUnit,
    ]
    .iter()
    .map(|&l| lang.label(l))
    .collect();
    header(sheet, &names, formats)?;
    let mut row = 0;
    for i in rank_order(&run.batch.results) {
        let Ok(evaluation) = &run.batch.results[i].outcome else {
            continue;
        };
        for c in evaluation.missing() {
            row += 1;
            unit_cells(sheet, row, evaluation)?;
            text(sheet, row, 2, c.code())?;
            text(sheet, row, 3, c.title())?;
            text(sheet, row, 4, &c.indicator().id)?;
            figure(sheet, row, 5, scheme, c.max_points(), formats)?;
            text(sheet, row, 6, c.criterion().lead.as_deref().unwrap_or(""))?;
        }
    }
    sheet.autofilter(0, 0, row, names.len() as u16 - 1)?;
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(3, WIDE)?;
    sheet.set_column_width(4, 28)?;
    sheet.set_column_width(6, 36)?;
    Ok(())
}

fn scheme_sheet(
    sheet: &mut Worksheet,
    scheme: &Scheme,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.label(Label::SheetScheme))?;
    let mut row = 0;
    if scheme.estimated() {
        sheet.write_string_with_format(row, 0, lang.label(Label::EstimatedSheet), &formats.note)?;
        row += 2;
    }
    let forms = scheme_forms(scheme, lang);
    let lines = [
        (Label::Id, scheme.id().to_string()),
        (Label::Title, scheme.title().to_string()),
        (Label::Version, scheme.version().to_string()),
        (
            Label::PointsKind,
            lang.label(if scheme.estimated() {
                Label::Estimated
            } else {
                Label::Official
            })
            .to_string(),
        ),
        (
            Label::Maximum,
            figures::points(scheme, scheme.max_points(), lang),
        ),
        (Label::Provenance, scheme.provenance().trim().to_string()),
        (
            Label::MadeBy,
            format!("parscore {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (name, value) in lines.into_iter().chain(forms) {
        sheet.write_string_with_format(row, 0, lang.label(name), &formats.header)?;
        text(sheet, row, 1, &value)?;
        row += 1;
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 120)?;
    Ok(())
}

fn unit_cells(sheet: &mut Worksheet, row: u32, evaluation: &Evaluation) -> Result<(), XlsxError> {
    unit_cells_at(sheet, row, 0, evaluation)
}

fn unit_cells_at(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    evaluation: &Evaluation,
) -> Result<(), XlsxError> {
    text(sheet, row, col, evaluation.unit())?;
    text(sheet, row, col + 1, evaluation.period().unwrap_or(""))?;
    Ok(())
}

/// A value as a number when it is one, so that it sorts and sums; counts, yes/no and not
/// applicable as text, as the reports show them.
fn value_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Value>,
    lang: Lang,
) -> Result<(), XlsxError> {
    match value {
        Some(Value::Number(d)) => sheet.write_number(row, col, nearest_f64(d)).map(|_| ()),
        Some(Value::Bool(b)) => sheet.write_boolean(row, col, b).map(|_| ()),
        None => Ok(()),
        other => text(sheet, row, col, &figures::value(other, lang)),
    }
}

/// The workbook of a batch too large to list unit by unit: its summary, the distribution of
/// the index and the grades, the highest and lowest units, the criteria most often failed,
/// a sample of the bad rows, and the scheme.
pub fn render_summary(data: &SummaryData, scheme: &Scheme) -> Result<Vec<u8>, Failure> {
    build_summary(data, scheme).map_err(|e| Failure::Write {
        target: "the Excel workbook".into(),
        error: std::io::Error::other(e),
    })
}

fn build_summary(data: &SummaryData, scheme: &Scheme) -> Result<Vec<u8>, XlsxError> {
    let lang = data.lang;
    let formats = Formats {
        header: Format::new().set_bold().set_background_color("#F2F2F2"),
        figure: Format::new(),
        note: Format::new().set_bold().set_font_color("#B26A00"),
    };
    let mut workbook = Workbook::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.label(Label::SheetSummary))?;
    let mut row = 0;
    if data.scheme.estimated {
        sheet.write_string_with_format(row, 0, lang.label(Label::EstimatedSheet), &formats.note)?;
        row += 2;
    }
    let headline = [
        (
            Label::UnitCount,
            lang.table_summary(data.units, data.ok, data.errors),
        ),
        (
            Label::MeanIndex,
            data.mean_index
                .clone()
                .unwrap_or_else(|| lang.label(Label::NotApplicable).to_string()),
        ),
        (Label::Grades, data.grade_counts()),
        (
            Label::Missing,
            data.gaps_line().unwrap_or_else(|| "0".into()),
        ),
    ];
    for (label, value) in headline {
        sheet.write_string_with_format(row, 0, lang.label(label), &formats.header)?;
        text(sheet, row, 1, &value)?;
        row += 1;
    }
    text(sheet, row, 0, &lang.summary_note(data.units, data.limit))?;
    row += 2;
    sheet.write_string_with_format(row, 0, lang.label(Label::Distribution), &formats.note)?;
    row += 1;
    for (col, label) in [Label::IndexRange, Label::UnitCount].iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, lang.label(*label), &formats.header)?;
    }
    for bin in &data.distribution {
        row += 1;
        text(sheet, row, 0, &bin.range)?;
        sheet.write_number(row, 1, bin.units as f64)?;
    }
    row += 2;
    sheet.write_string_with_format(row, 0, lang.label(Label::GradesHeading), &formats.note)?;
    row += 1;
    for (col, label) in [Label::Grade, Label::UnitCount].iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, lang.label(*label), &formats.header)?;
    }
    for (grade, n) in &data.grades {
        row += 1;
        text(sheet, row, 0, grade)?;
        sheet.write_number(row, 1, *n as f64)?;
    }
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(1, 60)?;

    for (name, units) in [
        (Label::SheetBest, &data.best),
        (Label::SheetWorst, &data.worst),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(lang.label(name))?;
        let names: Vec<&str> = [
            Label::Unit,
            Label::Period,
            Label::Rank,
            Label::Index,
            Label::Grade,
        ]
        .iter()
        .map(|&l| lang.label(l))
        .collect();
        header(sheet, &names, &formats)?;
        for (i, unit) in units.iter().enumerate() {
            let row = i as u32 + 1;
            text(sheet, row, 0, &unit.unit)?;
            text(sheet, row, 1, &unit.period)?;
            text(sheet, row, 2, &unit.rank)?;
            text(sheet, row, 3, &unit.index)?;
            text(sheet, row, 4, &unit.grade)?;
        }
        sheet.set_column_width(0, 36)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.label(Label::SheetMostFailed))?;
    let names: Vec<&str> = [
        Label::Code,
        Label::Title,
        Label::LeadUnit,
        Label::UnitsFailing,
        Label::UnitsMissing,
    ]
    .iter()
    .map(|&l| lang.label(l))
    .collect();
    header(sheet, &names, &formats)?;
    for (i, c) in data.failing.iter().enumerate() {
        let row = i as u32 + 1;
        text(sheet, row, 0, &c.code)?;
        text(sheet, row, 1, &c.title)?;
        text(sheet, row, 2, &c.lead)?;
        sheet.write_number(row, 3, c.failing as f64)?;
        sheet.write_number(row, 4, c.missing as f64)?;
    }
    sheet.set_column_width(1, WIDE)?;
    sheet.set_column_width(2, 36)?;

    if !data.sections.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(lang.label(Label::SheetSections))?;
        let names: Vec<&str> = [
            Label::Section,
            Label::UnitsGiven,
            Label::SectionTotal,
            Label::SectionLargest,
        ]
        .iter()
        .map(|&l| lang.label(l))
        .collect();
        header(sheet, &names, &formats)?;
        for (i, section) in data.sections.iter().enumerate() {
            let row = i as u32 + 1;
            text(sheet, row, 0, &section.title)?;
            sheet.write_number(row, 1, section.units as f64)?;
            sheet.write_number(row, 2, nearest_f64(section.total))?;
            sheet.write_number(row, 3, nearest_f64(section.largest))?;
        }
        sheet.set_column_width(0, 36)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.label(Label::SheetErrors))?;
    let names: Vec<&str> = [Label::Place, Label::Unit, Label::Error]
        .iter()
        .map(|&l| lang.label(l))
        .collect();
    header(sheet, &names, &formats)?;
    for (i, failure) in data.listed_errors.iter().enumerate() {
        let row = i as u32 + 1;
        text(sheet, row, 0, &failure.place)?;
        text(sheet, row, 1, &failure.unit)?;
        text(sheet, row, 2, &failure.reason)?;
    }
    if data.unlisted_errors() > 0 {
        let row = data.listed_errors.len() as u32 + 1;
        text(sheet, row, 0, &lang.more_errors(data.unlisted_errors()))?;
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(2, WIDE)?;

    scheme_sheet(workbook.add_worksheet(), scheme, &formats, lang)?;
    workbook.save_to_buffer()
}
