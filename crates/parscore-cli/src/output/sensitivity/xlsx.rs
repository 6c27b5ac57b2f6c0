//! The Excel workbook of a study: the units (index, quantiles, grade probabilities, rank
//! range), the variance shares per factor, and the settings that reproduce the run.
//!
//! Figures become doubles here, at the edge, as in the evaluation workbook: the index and
//! its quantiles are already the scheme's rounded figures, shown with its places;
//! probabilities as percentages, shares to two places. Text is written as text.

use parscore::{Decimal, nearest_f64};
use parscore_uncertainty::Level;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::Analysis;
use super::data::factor_title;
use crate::fail::Failure;
use crate::output::lang::{Label, Lang};
use crate::output::xlsx::text;

struct Formats {
    header: Format,
    figure: Format,
    percent: Format,
    share: Format,
}

pub fn render(analysis: &Analysis<'_>, lang: Lang) -> Result<Vec<u8>, Failure> {
    build(analysis, lang).map_err(|e| Failure::Write {
        target: "the Excel workbook".into(),
        error: std::io::Error::other(e),
    })
}

fn build(analysis: &Analysis<'_>, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let places = analysis.scheme().rounding().places as usize;
    let figure = if places == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(places))
    };
    let formats = Formats {
        header: Format::new().set_bold().set_background_color("#F2F2F2"),
        figure: Format::new().set_num_format(figure),
        percent: Format::new().set_num_format("0.0%"),
        share: Format::new().set_num_format("0.00"),
    };
    let mut workbook = Workbook::new();
    units_sheet(workbook.add_worksheet(), analysis, &formats, lang)?;
    shares_sheet(workbook.add_worksheet(), analysis, &formats, lang)?;
    settings_sheet(workbook.add_worksheet(), analysis, &formats, lang)?;
    workbook.save_to_buffer()
}

fn header(sheet: &mut Worksheet, names: &[String], formats: &Formats) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, name, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    d: Option<Decimal>,
    format: &Format,
) -> Result<(), XlsxError> {
    if let Some(d) = d {
        sheet.write_number_with_format(row, col, nearest_f64(d), format)?;
    }
    Ok(())
}

fn whole(sheet: &mut Worksheet, row: u32, col: u16, n: Option<usize>) -> Result<(), XlsxError> {
    if let Some(n) = n {
        sheet.write_number(row, col, n as f64)?;
    }
    Ok(())
}

fn float(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    x: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    if let Some(x) = x.filter(|x| x.is_finite()) {
        sheet.write_number_with_format(row, col, x, format)?;
    }
    Ok(())
}

/// The units by rank within each period; `row` keeps their input order.
fn units_sheet(
    sheet: &mut Worksheet,
    analysis: &Analysis<'_>,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.label(Label::SheetUncertainty))?;
    let grades = analysis.grades();
    let mut names: Vec<String> = [
        Label::Row,
        Label::Source,
        Label::Unit,
        Label::Period,
        Label::Status,
        Label::Index,
        Label::Grade,
        Label::Rank,
        Label::P05,
        Label::P50,
        Label::P95,
        Label::RankRange,
        Label::Missing,
        Label::Error,
    ]
    .iter()
    .map(|&l| lang.label(l).to_string())
    .collect();
    let first_grade = names.len() as u16;
    names.extend(grades.iter().map(|(name, _)| format!("P({name})")));
    header(sheet, &names, formats)?;
    for (line, row) in analysis.ranked().iter().enumerate() {
        let u = row.unit;
        let r = line as u32 + 1;
        sheet.write_number(r, 0, u.row as f64)?;
        text(sheet, r, 1, &row.place.to_string())?;
        text(sheet, r, 2, u.unit.as_deref().unwrap_or(""))?;
        text(sheet, r, 3, u.period.as_deref().unwrap_or(""))?;
        if let Some(error) = &u.error {
            sheet.write_string(r, 4, lang.label(Label::StatusError))?;
            text(sheet, r, 13, error)?;
            continue;
        }
        sheet.write_string(r, 4, lang.label(Label::StatusOk))?;
        number(sheet, r, 5, u.index, &formats.figure)?;
        text(sheet, r, 6, u.grade.as_deref().unwrap_or(""))?;
        whole(sheet, r, 7, u.rank)?;
        number(sheet, r, 8, u.p05, &formats.figure)?;
        number(sheet, r, 9, u.p50, &formats.figure)?;
        number(sheet, r, 10, u.p95, &formats.figure)?;
        text(sheet, r, 11, &super::data::rank_range(u))?;
        whole(sheet, r, 12, row.missing.map(|(n, _)| n))?;
        for (j, (name, _)) in grades.iter().enumerate() {
            let p = u.grades.iter().find(|(g, _)| g == name).map(|(_, p)| *p);
            float(sheet, r, first_grade + j as u16, p, &formats.percent)?;
        }
    }
    let last = analysis.results.units.len() as u32;
    sheet.autofilter(0, 0, last, names.len() as u16 - 1)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(2, 30)?;
    Ok(())
}

fn shares_sheet(
    sheet: &mut Worksheet,
    analysis: &Analysis<'_>,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.label(Label::SheetShares))?;
    let se = lang.label(Label::StandardError);
    let names: Vec<String> = vec![
        lang.label(Label::Factor).into(),
        lang.label(Label::Title).into(),
        lang.label(Label::FirstOrder).into(),
        se.into(),
        lang.label(Label::TotalEffect).into(),
        se.into(),
        lang.label(Label::RankFirstOrder).into(),
        se.into(),
        lang.label(Label::RankTotalEffect).into(),
        se.into(),
    ];
    header(sheet, &names, formats)?;
    let scheme = analysis.scheme();
    for (line, factor) in analysis.factors().iter().enumerate() {
        let r = line as u32 + 1;
        text(sheet, r, 0, factor.code)?;
        text(sheet, r, 1, &factor_title(scheme, factor.code, lang))?;
        let share = &formats.share;
        float(sheet, r, 2, factor.index.first, share)?;
        float(sheet, r, 3, factor.index.first_se, share)?;
        float(sheet, r, 4, factor.index.total, share)?;
        float(sheet, r, 5, factor.index.total_se, share)?;
        if let Some(rank) = factor.rank {
            float(sheet, r, 6, rank.first, share)?;
            float(sheet, r, 7, rank.first_se, share)?;
            float(sheet, r, 8, rank.total, share)?;
            float(sheet, r, 9, rank.total_se, share)?;
        }
    }
    sheet.set_column_width(1, 48)?;
    Ok(())
}

fn settings_sheet(
    sheet: &mut Worksheet,
    analysis: &Analysis<'_>,
    formats: &Formats,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_name(lang.label(Label::SheetSettings))?;
    let scheme = analysis.scheme();
    let results = analysis.results;
    let yes_no = |b: bool| {
        lang.label(if b { Label::Yes } else { Label::No })
            .to_string()
    };
    let rows: Vec<(String, String)> = vec![
        (lang.label(Label::Scheme).into(), scheme.id().into()),
        (lang.label(Label::Title).into(), scheme.title().into()),
        (lang.label(Label::Version).into(), scheme.version().into()),
        (
            lang.label(Label::Estimated).into(),
            yes_no(scheme.estimated()),
        ),
        (
            lang.label(Label::Samples).into(),
            results.samples.to_string(),
        ),
        (lang.label(Label::Seed).into(), results.seed.to_string()),
        (lang.label(Label::Model).into(), lang.model(analysis.model)),
        (
            lang.label(Label::FactorLevel).into(),
            lang.label(match results.sensitivity {
                Some(Level::Criteria) => Label::FactorCriteria,
                _ => Label::FactorAreas,
            })
            .into(),
        ),
    ];
    for (r, (name, value)) in rows.iter().enumerate() {
        sheet.write_string_with_format(r as u32, 0, name, &formats.header)?;
        text(sheet, r as u32, 1, value)?;
    }
    let note = rows.len() as u32 + 1;
    if analysis.certain {
        text(sheet, note, 0, lang.nothing_varies())?;
    }
    text(sheet, note + 1, 0, lang.method_note())?;
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(1, 60)?;
    Ok(())
}
