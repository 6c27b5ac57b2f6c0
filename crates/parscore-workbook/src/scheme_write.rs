//! Writing a scheme as a workbook laid out like a published instrument, which reads back
//! as the same scheme.

use std::borrow::Cow;

use parscore::Scheme;
use parscore::file::{CriterionFile, IndicatorKind, Num, SchemeFile};
use parscore::text::{NO, YES};
use rust_xlsxwriter::{Color, DataValidation, DataValidationRule, Workbook, Worksheet, XlsxError};

use crate::error::WorkbookError;
use crate::layout::{
    BONUS_SHEET, CRITERIA_SHEET, CRITERION_COLUMNS, CriterionField, GRADE_COLUMNS, GRADES_SHEET,
    INDICATOR_COLUMNS, INDICATOR_KINDS, INDICATORS_SHEET, IndicatorField, NA_POLICIES,
    PENALTIES_SHEET, ROUNDING_MODES, ROUNDING_SCOPES, RULE_KINDS, SETTINGS, SETTINGS_HEADER,
    SETTINGS_SHEET, Setting, TIES, name_of, names,
};
use crate::rule_text::{write_penalty, write_rule};
use crate::sheet_write::{
    AREA_COLOURS, VALIDATED_ROWS, decimal_cell, header_cell, header_format, list_validation,
    text_cell, text_format, wrap_format,
};

/// The scheme as a workbook: the criteria sheet laid out like the instrument (one row per
/// area, criterion and sub-criterion, with its level, code, points, target, rule and plan),
/// the bonus and penalties sheets when the scheme has them (laid out alike, the section's
/// row first with its cap), the indicators, the grades and the settings; with notes on every
/// header, drop-down lists for the words a column takes, frozen headers and readable widths.
/// [`read_scheme`](crate::read_scheme) reads it back as the same scheme.
pub fn write_scheme(scheme: &Scheme) -> Result<Vec<u8>, WorkbookError> {
    let file = scheme.file();
    let mut workbook = Workbook::new();
    let mut areas = Vec::new();
    for area in &file.areas {
        flatten(area, 1, &mut areas);
    }
    criteria_sheet(workbook.add_worksheet(), CRITERIA_SHEET[0], file, &areas)?;
    if let Some(bonus) = &file.bonus {
        let mut rows = vec![section_row(&bonus.code, &bonus.title, bonus.cap)];
        for criterion in &bonus.criteria {
            flatten(criterion, 2, &mut rows);
        }
        criteria_sheet(workbook.add_worksheet(), BONUS_SHEET[0], file, &rows)?;
    }
    if let Some(penalties) = &file.penalties {
        let mut rows = vec![section_row(
            &penalties.code,
            &penalties.title,
            penalties.cap,
        )];
        rows.extend(penalties.criteria.iter().map(|penalty| SheetRow {
            criterion: Cow::Owned(CriterionFile {
                indicator: Some(penalty.indicator.clone()),
                lead: penalty.lead.clone(),
                evidence: penalty.evidence.clone(),
                ..bare(&penalty.code, &penalty.title)
            }),
            level: 2,
            rule: Some(write_penalty(penalty.per, penalty.cap)),
        }));
        criteria_sheet(workbook.add_worksheet(), PENALTIES_SHEET[0], file, &rows)?;
    }
    indicators_sheet(workbook.add_worksheet(), file)?;
    grades_sheet(workbook.add_worksheet(), file)?;
    settings_sheet(workbook.add_worksheet(), file)?;
    Ok(workbook.save_to_buffer()?)
}

/// A row of a sheet laid out as the criteria sheet: a criterion, its level, and its rule
/// cells when they are not its rule's (a penalty's).
struct SheetRow<'a> {
    criterion: Cow<'a, CriterionFile>,
    level: usize,
    rule: Option<(&'static str, String)>,
}

/// A criterion with its code and title alone.
fn bare(code: &str, title: &str) -> CriterionFile {
    CriterionFile {
        code: code.to_string(),
        title: title.to_string(),
        task: None,
        indicator: None,
        max_points: None,
        target: None,
        rule: None,
        not_applicable: None,
        lead: None,
        coordinating: None,
        timeline: None,
        result: None,
        evidence: None,
        criteria: Vec::new(),
    }
}

/// The first row of the bonus or penalties sheet: the section, its cap as its maximum.
fn section_row(code: &str, title: &str, cap: Num) -> SheetRow<'static> {
    SheetRow {
        criterion: Cow::Owned(CriterionFile {
            max_points: Some(cap),
            ..bare(code, title)
        }),
        level: 1,
        rule: None,
    }
}

fn criteria_sheet(
    sheet: &mut Worksheet,
    name: &str,
    file: &SchemeFile,
    rows: &[SheetRow<'_>],
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let header = header_format();
    for (column, spec) in CRITERION_COLUMNS.iter().enumerate() {
        let column = column as u16;
        header_cell(sheet, 0, column, spec.names[0], spec.field.note(), &header)?;
        sheet.set_column_width(column, spec.field.width())?;
        if matches!(
            spec.field,
            CriterionField::Code | CriterionField::Indicator | CriterionField::Target
        ) {
            sheet.set_column_format(column, &text_format())?;
        }
    }
    sheet.set_row_height(0, 32)?;
    sheet.set_freeze_panes(1, 3)?;

    let mut row = 1u32;
    let mut colour = AREA_COLOURS[0];
    let mut areas = 0;
    for SheetRow {
        criterion,
        level,
        rule: written,
    } in rows
    {
        if *level == 1 {
            colour = AREA_COLOURS[areas % AREA_COLOURS.len()];
            areas += 1;
        }
        let mut format = wrap_format();
        if !criterion.criteria.is_empty() || *level == 1 {
            format = format.set_bold();
        }
        if *level == 1 {
            format = format.set_background_color(Color::RGB(colour));
        }
        let percent = criterion.indicator.as_ref().is_some_and(|id| {
            file.indicators
                .iter()
                .any(|i| &i.id == id && i.kind == IndicatorKind::Percent)
        });
        let (rule, parameters) = written.clone().unwrap_or_else(|| {
            criterion
                .rule
                .as_ref()
                .map(|rule| write_rule(rule, percent))
                .unwrap_or_default()
        });
        for (column, spec) in CRITERION_COLUMNS.iter().enumerate() {
            let column = column as u16;
            let text = |value: &Option<String>| value.clone().unwrap_or_default();
            let value = match spec.field {
                CriterionField::Level => {
                    sheet.write_number_with_format(row, column, *level as f64, &format)?;
                    continue;
                }
                CriterionField::MaxPoints => {
                    match criterion.max_points {
                        Some(max) => decimal_cell(sheet, row, column, max.0, &format)?,
                        None => {
                            sheet.write_blank(row, column, &format)?;
                        }
                    }
                    continue;
                }
                CriterionField::Title => {
                    let indented = format.clone().set_indent((*level - 1).min(15) as u8);
                    text_cell(sheet, row, column, &criterion.title, &indented)?;
                    continue;
                }
                CriterionField::Code => criterion.code.clone(),
                CriterionField::Task => text(&criterion.task),
                CriterionField::Indicator => text(&criterion.indicator),
                CriterionField::Target => text(&criterion.target),
                CriterionField::Rule => rule.to_string(),
                CriterionField::Parameters => parameters.clone(),
                CriterionField::NotApplicable => criterion
                    .not_applicable
                    .map(|p| name_of(NA_POLICIES, p).to_string())
                    .unwrap_or_default(),
                CriterionField::Lead => text(&criterion.lead),
                CriterionField::Coordinating => text(&criterion.coordinating),
                CriterionField::Timeline => text(&criterion.timeline),
                CriterionField::Result => text(&criterion.result),
                CriterionField::Evidence => text(&criterion.evidence),
            };
            text_cell(sheet, row, column, &value, &format)?;
        }
        row += 1;
    }
    let last_column = CRITERION_COLUMNS.len() as u16 - 1;
    sheet.autofilter(0, 0, row.max(1) - 1, last_column)?;
    let column_of = |field| {
        CRITERION_COLUMNS
            .iter()
            .position(|c| c.field == field)
            .map_or(0, |p| p as u16)
    };
    list_validation(
        sheet,
        1,
        column_of(CriterionField::Rule),
        &names(RULE_KINDS),
        "Phương pháp chấm điểm: chọn trong danh sách, hoặc ghi thẳng các mức (từ 99%: 2; dưới 99%: 0).",
    )?;
    list_validation(
        sheet,
        1,
        column_of(CriterionField::NotApplicable),
        &names(NA_POLICIES),
        "Khi không áp dụng: loại trừ hoặc đủ điểm; để trống thì theo trang Thông tin.",
    )?;
    let level = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(1, 20))
        .set_error_message("Cấp là số nguyên: 1 cho lĩnh vực, 2 cho tiêu chí, 3, …")?;
    let level_column = column_of(CriterionField::Level);
    sheet.add_data_validation(1, level_column, VALIDATED_ROWS, level_column, &level)?;
    let points = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_message("Điểm tối đa là một số ≥ 0.")?;
    let max_column = column_of(CriterionField::MaxPoints);
    sheet.add_data_validation(1, max_column, VALIDATED_ROWS, max_column, &points)?;
    Ok(())
}

/// Each area and criterion with its level (1 for an area), in the file's order.
fn flatten<'a>(criterion: &'a CriterionFile, level: usize, out: &mut Vec<SheetRow<'a>>) {
    out.push(SheetRow {
        criterion: Cow::Borrowed(criterion),
        level,
        rule: None,
    });
    for child in &criterion.criteria {
        flatten(child, level + 1, out);
    }
}

fn indicators_sheet(sheet: &mut Worksheet, file: &SchemeFile) -> Result<(), XlsxError> {
    sheet.set_name(INDICATORS_SHEET[0])?;
    let header = header_format();
    for (column, spec) in INDICATOR_COLUMNS.iter().enumerate() {
        let column = column as u16;
        header_cell(sheet, 0, column, spec.names[0], spec.field.note(), &header)?;
        sheet.set_column_width(column, spec.field.width())?;
        if spec.field != IndicatorField::Title {
            sheet.set_column_format(column, &text_format())?;
        }
    }
    sheet.set_row_height(0, 32)?;
    sheet.set_freeze_panes(1, 1)?;
    let format = wrap_format();
    for (i, indicator) in file.indicators.iter().enumerate() {
        let row = i as u32 + 1;
        for (column, spec) in INDICATOR_COLUMNS.iter().enumerate() {
            let column = column as u16;
            let text = |value: &Option<String>| value.clone().unwrap_or_default();
            let value = match spec.field {
                IndicatorField::Id => indicator.id.clone(),
                IndicatorField::Title => indicator.title.clone(),
                IndicatorField::Kind => name_of(INDICATOR_KINDS, indicator.kind).to_string(),
                IndicatorField::Numerator => text(&indicator.numerator),
                IndicatorField::Denominator => text(&indicator.denominator),
                IndicatorField::Baseline => text(&indicator.baseline),
                IndicatorField::Current => text(&indicator.current),
                IndicatorField::Min | IndicatorField::Max => {
                    let bound = if spec.field == IndicatorField::Min {
                        indicator.min
                    } else {
                        indicator.max
                    };
                    match bound {
                        Some(bound) => decimal_cell(sheet, row, column, bound.0, &format)?,
                        None => {
                            sheet.write_blank(row, column, &format)?;
                        }
                    }
                    continue;
                }
            };
            text_cell(sheet, row, column, &value, &format)?;
        }
    }
    let kind_column = INDICATOR_COLUMNS
        .iter()
        .position(|c| c.field == IndicatorField::Kind)
        .map_or(0, |p| p as u16);
    list_validation(
        sheet,
        1,
        kind_column,
        &names(INDICATOR_KINDS),
        "Loại: tỷ lệ %, số lượng, có/không, điểm hoặc số.",
    )?;
    Ok(())
}

fn grades_sheet(sheet: &mut Worksheet, file: &SchemeFile) -> Result<(), XlsxError> {
    sheet.set_name(GRADES_SHEET[0])?;
    let header = header_format();
    header_cell(
        sheet,
        0,
        0,
        GRADE_COLUMNS[0].names[0],
        "Tên xếp loại, ví dụ Tốt. Xếp loại cao nhất ở trên cùng.",
        &header,
    )?;
    header_cell(
        sheet,
        0,
        1,
        GRADE_COLUMNS[1].names[0],
        "Chỉ số (0–100, đã làm tròn như báo cáo) thấp nhất được xếp loại này, tính cả bằng.",
        &header,
    )?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_freeze_panes(1, 0)?;
    let format = wrap_format();
    for (i, grade) in file.grades.iter().enumerate() {
        let row = i as u32 + 1;
        text_cell(sheet, row, 0, &grade.name, &format)?;
        decimal_cell(sheet, row, 1, grade.min_index.0, &format)?;
    }
    Ok(())
}

fn settings_sheet(sheet: &mut Worksheet, file: &SchemeFile) -> Result<(), XlsxError> {
    sheet.set_name(SETTINGS_SHEET[0])?;
    let header = header_format();
    for (column, text) in SETTINGS_HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *text, &header)?;
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 60)?;
    let format = wrap_format();
    let label = wrap_format().set_bold();
    let note = wrap_format()
        .set_italic()
        .set_font_color(Color::RGB(0x595959));
    let yes_no = [YES[0], NO[0]];
    for (i, setting) in SETTINGS.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, setting.names[0], &label)?;
        sheet.write_string_with_format(row, 2, setting.field.note(), &note)?;
        let text = match setting.field {
            Setting::Id => file.id.clone(),
            Setting::Title => file.title.clone(),
            Setting::Version => file.version.clone(),
            Setting::Provenance => file.provenance.clone(),
            Setting::Estimated => {
                let validation = DataValidation::new().allow_list_strings(&yes_no)?;
                sheet.add_data_validation(row, 1, row, 1, &validation)?;
                (if file.estimated { YES[0] } else { NO[0] }).to_string()
            }
            Setting::NotApplicable => {
                list_one(sheet, row, &names(NA_POLICIES))?;
                name_of(NA_POLICIES, file.not_applicable).to_string()
            }
            Setting::Places => {
                sheet.write_number_with_format(row, 1, f64::from(file.rounding.places), &format)?;
                continue;
            }
            Setting::Mode => {
                list_one(sheet, row, &names(ROUNDING_MODES))?;
                name_of(ROUNDING_MODES, file.rounding.mode).to_string()
            }
            Setting::Apply => {
                list_one(sheet, row, &names(ROUNDING_SCOPES))?;
                name_of(ROUNDING_SCOPES, file.rounding.apply).to_string()
            }
            Setting::IndexAbove100 => {
                let validation = DataValidation::new().allow_list_strings(&yes_no)?;
                sheet.add_data_validation(row, 1, row, 1, &validation)?;
                let above = file.bonus.as_ref().is_some_and(|b| b.index_above_100);
                (if above { YES[0] } else { NO[0] }).to_string()
            }
            Setting::Ties => {
                list_one(sheet, row, &names(TIES))?;
                name_of(TIES, file.ranking.ties).to_string()
            }
            Setting::TieBreak => file.ranking.tie_break.join("; "),
        };
        text_cell(sheet, row, 1, &text, &format.clone().set_num_format("@"))?;
    }
    Ok(())
}

/// A drop-down on the value cell of one setting.
fn list_one(sheet: &mut Worksheet, row: u32, words: &[&str]) -> Result<(), XlsxError> {
    let validation = DataValidation::new()
        .allow_list_strings(words)?
        .set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Warning);
    sheet.add_data_validation(row, 1, row, 1, &validation)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_criteria_sheet_keeps_the_file_order() {
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        let mut rows = Vec::new();
        for area in &scheme.file().areas {
            flatten(area, 1, &mut rows);
        }
        let codes: Vec<&str> = rows.iter().map(|r| r.criterion.code.as_str()).collect();
        let compiled: Vec<&str> = scheme.criteria().iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, compiled);
        assert_eq!(rows[4].level, 3); // I.3.a
    }
}
