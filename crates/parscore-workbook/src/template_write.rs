//! Input workbooks to fill in: a table of units by indicators, or a self-assessment form
//! with a sheet per unit.

use std::collections::HashSet;

use parscore::file::IndicatorKind;
use parscore::text::{NO, NOT_APPLICABLE, YES};
use parscore::{Decimal, Scheme};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, Formula, Workbook,
    Worksheet, XlsxError,
};

use crate::error::WorkbookError;
use crate::layout::{INDICATOR_KINDS, name_of};
use crate::number::decimal_text;
use crate::sheet_write::{
    AREA_COLOURS, VALIDATED_ROWS, decimal_cell, header_cell, header_format, text_cell, text_format,
    wrap_format,
};
use crate::template_plan::{Input, files, inputs, rule_line, top_groups};

/// Labels a template's reader finds its cells by: the first is the one written.
pub(crate) const UNIT_LABELS: &[&str] = &["Đơn vị", "Tên đơn vị", "Unit"];
pub(crate) const PERIOD_LABELS: &[&str] = &["Kỳ đánh giá", "Kỳ", "Năm đánh giá", "Period"];
pub(crate) const ID_LABELS: &[&str] = &["Mã chỉ tiêu", "Indicator"];
pub(crate) const VALUE_LABELS: &[&str] = &["Giá trị tự đánh giá", "Giá trị", "Value"];

const TABLE_SHEET: &str = "Nhập liệu";
const GUIDE_SHEET: &str = "Hướng dẫn";
const FORM_SHEET: &str = "Tự đánh giá";

/// The rows of the table above the first unit: the areas, the titles, the ids.
const TABLE_DATA_ROW: u32 = 3;

/// Which workbook to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// One sheet with a row per unit (and period) and a column per input indicator.
    #[default]
    Table,
    /// The self-assessment form (tự đánh giá): a sheet per unit, a row per criterion.
    PerUnit,
}

/// What a template holds besides the scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateOptions {
    /// The layout.
    pub layout: Layout,
    /// The units to fill in, written in their rows (or given a sheet each); none leaves the
    /// rows (or one form) blank.
    pub units: Vec<String>,
    /// The period written beside each unit (e.g. `2024`), if any.
    pub period: Option<String>,
}

/// A workbook to fill in for a scheme: with [`Layout::Table`], a sheet `Nhập liệu` with a
/// row per unit and a column per input indicator, headed by its title with its id in the
/// row below, grouped and coloured by area, with data validation by kind and frozen
/// headers; with [`Layout::PerUnit`], a self-assessment form per unit. Both have a sheet
/// `Hướng dẫn` that explains each indicator: its criteria, targets, rules and lead units.
/// [`read_template`](crate::read_template) reads a filled one back.
pub fn write_template(
    scheme: &Scheme,
    options: &TemplateOptions,
) -> Result<Vec<u8>, WorkbookError> {
    let inputs = inputs(scheme);
    let mut workbook = Workbook::new();
    match options.layout {
        Layout::Table => table_sheet(workbook.add_worksheet(), scheme, &inputs, options)?,
        Layout::PerUnit => {
            let units: Vec<Option<&str>> = if options.units.is_empty() {
                vec![None]
            } else {
                options.units.iter().map(|u| Some(u.as_str())).collect()
            };
            let mut names = HashSet::new();
            for unit in units {
                let name = sheet_name(unit.unwrap_or(FORM_SHEET), &mut names);
                let sheet = workbook.add_worksheet();
                sheet.set_name(&name)?;
                form_sheet(sheet, scheme, &inputs, unit, options.period.as_deref())?;
            }
        }
    }
    guide_sheet(workbook.add_worksheet(), scheme, &inputs)?;
    Ok(workbook.save_to_buffer()?)
}

/// A sheet name from a unit's: without the characters Excel refuses, at most 31
/// characters, unique (the unit's full name is in the form itself).
fn sheet_name(unit: &str, taken: &mut HashSet<String>) -> String {
    let cleaned: String = unit
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'');
    let base: String = if cleaned.is_empty() {
        FORM_SHEET.to_string()
    } else {
        cleaned.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    name
}

fn area_colour(area: Option<usize>) -> Color {
    Color::RGB(area.map_or(0xEDEDED, |a| AREA_COLOURS[a % AREA_COLOURS.len()]))
}

fn table_sheet(
    sheet: &mut Worksheet,
    scheme: &Scheme,
    inputs: &[Input],
    options: &TemplateOptions,
) -> Result<(), XlsxError> {
    sheet.set_name(TABLE_SHEET)?;
    let header = header_format();
    let id_format = Format::new()
        .set_font_size(8)
        .set_font_color(Color::RGB(0x595959))
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xF2F2F2));
    let areas = top_groups(scheme);
    sheet.merge_range(
        0,
        0,
        0,
        1,
        scheme.title(),
        &header.clone().set_align(FormatAlign::Left),
    )?;
    header_cell(
        sheet,
        1,
        0,
        UNIT_LABELS[0],
        "Tên đơn vị được đánh giá, mỗi đơn vị một dòng.",
        &header,
    )?;
    header_cell(
        sheet,
        1,
        1,
        PERIOD_LABELS[0],
        "Kỳ đánh giá, ví dụ 2024 (không bắt buộc).",
        &header,
    )?;
    sheet.write_string_with_format(2, 0, "unit", &id_format)?;
    sheet.write_string_with_format(2, 1, "period", &id_format)?;
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(1, 12)?;
    // Areas over their columns, one band each.
    let mut column = 2u16;
    let mut start = 0;
    while start < inputs.len() {
        let area = inputs[start].area;
        let end = inputs[start..]
            .iter()
            .position(|i| i.area != area)
            .map_or(inputs.len(), |p| start + p);
        let band = header.clone().set_background_color(area_colour(area));
        let title = match area.and_then(|a| areas.get(a)) {
            Some(a) => format!("{}. {}", a.code, a.title),
            None => "Chỉ tiêu khác".to_string(),
        };
        let first = column + start as u16;
        let last = column + end as u16 - 1;
        if first == last {
            sheet.write_string_with_format(0, first, &title, &band)?;
        } else {
            sheet.merge_range(0, first, 0, last, &title, &band)?;
        }
        start = end;
    }
    for input in inputs {
        let title_format = header.clone().set_background_color(area_colour(input.area));
        header_cell(
            sheet,
            1,
            column,
            input.title(),
            &column_note(input),
            &title_format,
        )?;
        sheet.write_string_with_format(2, column, &input.indicator.id, &id_format)?;
        sheet.set_column_width(column, 16)?;
        validate(
            sheet,
            TABLE_DATA_ROW,
            TABLE_DATA_ROW + VALIDATED_ROWS,
            column,
            input,
        )?;
        column += 1;
    }
    sheet.set_row_height(1, 90)?;
    sheet.set_freeze_panes(TABLE_DATA_ROW, 2)?;
    sheet.set_column_format(0, &text_format())?;
    sheet.set_column_format(1, &text_format())?;
    for (i, unit) in options.units.iter().enumerate() {
        let row = TABLE_DATA_ROW + i as u32;
        sheet.write_string(row, 0, unit)?;
        if let Some(period) = &options.period {
            sheet.write_string(row, 1, period)?;
        }
    }
    Ok(())
}

/// What a column's note tells the person filling it in.
fn column_note(input: &Input) -> String {
    let mut note = format!(
        "{} [{}]\n{}",
        input.title(),
        input.indicator.id,
        accepted(input)
    );
    for criterion in &input.leaves {
        note.push_str(&format!("\n{}", criterion.code));
        if let Some(target) = criterion.target() {
            note.push_str(&format!(": mục tiêu {target}"));
        }
    }
    if input.leaves.is_empty() {
        note.push_str("\nKhông tiêu chí nào chấm chỉ tiêu này.");
    }
    note
}

/// The values a cell takes, in words.
fn accepted(input: &Input) -> String {
    let range = |(min, max): (Option<Decimal>, Option<Decimal>)| match (min, max) {
        (Some(min), Some(max)) => format!(" từ {} đến {}", decimal_text(min), decimal_text(max)),
        (Some(min), None) => format!(" từ {} trở lên", decimal_text(min)),
        (None, Some(max)) => format!(" đến {}", decimal_text(max)),
        (None, None) => String::new(),
    };
    let mut text = match input.indicator.kind {
        IndicatorKind::Percent => format!(
            "Tỷ lệ %{} (ghi 98,7 hoặc 98.7; không ghi dấu %)",
            range(input.bounds)
        ),
        IndicatorKind::Count => format!("Số nguyên{}", range(input.bounds)),
        IndicatorKind::Bool => format!("{} hoặc {} (cũng nhận x, đạt, không đạt)", YES[0], NO[0]),
        IndicatorKind::Points => format!("Điểm{}", range(input.bounds)),
        IndicatorKind::Number => format!("Số{}", range(input.bounds)),
    };
    if input.not_applicable {
        text.push_str(&format!("; {} nếu không áp dụng", NOT_APPLICABLE[0]));
    }
    text.push_str(". Để trống nếu chưa có số liệu.");
    text
}

/// Data validation on the rows of a column: yes/no lists, number ranges, whole numbers,
/// and `n/a` where a criterion can be not applicable.
fn validate(
    sheet: &mut Worksheet,
    first_row: u32,
    last_row: u32,
    column: u16,
    input: &Input,
) -> Result<(), XlsxError> {
    let message = accepted(input);
    let (min, max) = input.bounds;
    let validation = match input.indicator.kind {
        IndicatorKind::Bool => {
            let mut words = vec![YES[0], NO[0]];
            if input.not_applicable {
                words.push(NOT_APPLICABLE[0]);
            }
            // Every spelling of yes and no is read (x, đạt, …): another only warns.
            DataValidation::new()
                .allow_list_strings(&words)?
                .set_error_style(DataValidationErrorStyle::Warning)
        }
        kind => {
            let whole = kind == IndicatorKind::Count;
            let cell = format!("{}{}", column_number_to_name(column), first_row + 1);
            let mut checks = Vec::new();
            if whole {
                checks.push(format!("INT({cell})={cell}"));
            }
            if let Some(min) = min.and_then(|m| m.to_f64()) {
                checks.push(format!("{cell}>={min}"));
            }
            if let Some(max) = max.and_then(|m| m.to_f64()) {
                checks.push(format!("{cell}<={max}"));
            }
            let number = if checks.is_empty() {
                "TRUE".to_string()
            } else {
                format!("AND({})", checks.join(","))
            };
            let words: Vec<String> = if input.not_applicable {
                NOT_APPLICABLE
                    .iter()
                    .map(|w| format!("{cell}=\"{w}\""))
                    .collect()
            } else {
                vec!["FALSE".to_string()]
            };
            let formula = format!("=IF(ISNUMBER({cell}),{number},OR({}))", words.join(","));
            DataValidation::new().allow_custom(Formula::new(formula))
        }
    };
    let validation = validation
        .set_error_title("Giá trị không hợp lệ")?
        .set_error_message(truncate(&message, 255))?;
    sheet.add_data_validation(first_row, column, last_row, column, &validation)?;
    Ok(())
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// The self-assessment form of one unit: its name and period at the top, then a row per
/// area and criterion as the instrument lists them, with a value cell for each input.
fn form_sheet(
    sheet: &mut Worksheet,
    scheme: &Scheme,
    inputs: &[Input],
    unit: Option<&str>,
    period: Option<&str>,
) -> Result<(), XlsxError> {
    let header = header_format();
    let bold = Format::new().set_bold();
    let fill_in = Format::new()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_num_format("@");
    let title = format!("PHIẾU TỰ ĐÁNH GIÁ — {}", scheme.title());
    sheet.merge_range(0, 0, 0, 6, &title, &bold.clone().set_font_size(13))?;
    sheet.write_string_with_format(1, 0, UNIT_LABELS[0], &bold)?;
    sheet.merge_range(1, 1, 1, 3, unit.unwrap_or_default(), &fill_in)?;
    sheet.write_string_with_format(2, 0, PERIOD_LABELS[0], &bold)?;
    sheet.merge_range(2, 1, 2, 3, period.unwrap_or_default(), &fill_in)?;
    let columns: [(&str, f64, &str); 8] = [
        ("Mã", 10.0, "Mã tiêu chí (STT) theo bộ tiêu chí."),
        (
            "Tiêu chí / chỉ tiêu",
            56.0,
            "Tiêu chí, và dưới nó các số liệu cần nhập.",
        ),
        ("Mục tiêu", 14.0, "Mục tiêu của tiêu chí."),
        ("Điểm tối đa", 10.0, "Điểm tối đa của tiêu chí."),
        (
            VALUE_LABELS[0],
            16.0,
            "Giá trị đơn vị tự đánh giá, ở các ô màu vàng.",
        ),
        (
            "Tài liệu kiểm chứng",
            40.0,
            "Tài liệu kiểm chứng bộ tiêu chí yêu cầu.",
        ),
        (
            "Ghi chú, tài liệu đã nộp",
            32.0,
            "Ghi chú của đơn vị (không tính điểm).",
        ),
        (
            ID_LABELS[0],
            30.0,
            "Mã chỉ tiêu, để đọc lại phiếu; không sửa.",
        ),
    ];
    let header_row = 4;
    for (column, (text, width, note)) in columns.iter().enumerate() {
        header_cell(sheet, header_row, column as u16, text, note, &header)?;
        sheet.set_column_width(column as u16, *width)?;
    }
    sheet.set_row_height(header_row, 32)?;
    sheet.set_freeze_panes(header_row + 1, 2)?;
    let plain = wrap_format();
    let id_format = wrap_format()
        .set_font_size(8)
        .set_font_color(Color::RGB(0x595959));
    let computed = wrap_format()
        .set_italic()
        .set_font_color(Color::RGB(0x595959));
    let files = files(scheme);
    let mut row = header_row + 1;
    let mut placed: Vec<(String, u32)> = Vec::new();
    let mut areas = 0;
    let value_row = |sheet: &mut Worksheet,
                     row: &mut u32,
                     input: &Input,
                     placed: &mut Vec<(String, u32)>|
     -> Result<(), XlsxError> {
        let id = &input.indicator.id;
        if let Some((_, at)) = placed.iter().find(|(p, _)| p == id) {
            let text = format!("(đã nhập ở dòng {})", at + 1);
            sheet.write_string_with_format(*row, 4, &text, &computed)?;
            return Ok(());
        }
        sheet.write_blank(*row, 4, &fill_in)?;
        sheet.write_string_with_format(*row, 7, id, &id_format)?;
        let message = accepted(input);
        let note = rust_xlsxwriter::Note::new(format!("{} [{id}]\n{message}", input.title()))
            .add_author_prefix(false)
            .set_width(300)
            .set_height(110);
        sheet.insert_note(*row, 4, &note)?;
        validate(sheet, *row, *row, 4, input)?;
        placed.push((id.clone(), *row));
        Ok(())
    };
    for (criterion, file) in scheme.criteria().iter().zip(&files) {
        let mut format = plain.clone();
        if criterion.depth == 0 {
            format = format
                .set_background_color(area_colour(Some(areas)))
                .set_bold();
            areas += 1;
        } else if criterion.is_group() {
            format = format.set_bold();
        }
        text_cell(sheet, row, 0, &criterion.code, &format)?;
        let indented = format.clone().set_indent(criterion.depth.min(15) as u8);
        text_cell(sheet, row, 1, &criterion.title, &indented)?;
        let target = criterion
            .target()
            .map(ToString::to_string)
            .unwrap_or_default();
        text_cell(sheet, row, 2, &target, &format)?;
        decimal_cell(sheet, row, 3, criterion.max_points, &format)?;
        text_cell(
            sheet,
            row,
            5,
            file.and_then(|f| f.evidence.as_deref()).unwrap_or_default(),
            &format,
        )?;
        sheet.write_blank(row, 6, &format)?;
        let Some(own) = scheme.indicator_of(criterion) else {
            sheet.write_blank(row, 4, &format)?;
            row += 1;
            continue;
        };
        let input_of = |id: &str| inputs.iter().find(|i| i.indicator.id == id);
        let mut below: Vec<&Input> = Vec::new();
        match input_of(&own.id) {
            Some(input) => value_row(sheet, &mut row, input, &mut placed)?,
            None => {
                // A rate of counts, or a reduction: its inputs are the rows below it.
                sheet.write_string_with_format(row, 4, "(tính từ các dòng dưới)", &computed)?;
                below.extend(
                    inputs
                        .iter()
                        .filter(|i| i.leaves.iter().any(|c| c.code == criterion.code))
                        .filter(|i| i.indicator.id != own.id),
                );
            }
        }
        if let Some(parscore::Rhs::Indicator(id)) = criterion.target().map(|t| &t.rhs)
            && let Some(input) = input_of(id)
            && !below.iter().any(|b| b.indicator.id == input.indicator.id)
        {
            below.push(input);
        }
        row += 1;
        let sub = plain
            .clone()
            .set_indent((criterion.depth + 1).min(15) as u8);
        for input in below {
            text_cell(sheet, row, 1, &format!("– {}", input.title()), &sub)?;
            for column in [0, 2, 3, 5, 6] {
                sheet.write_blank(row, column, &plain)?;
            }
            value_row(sheet, &mut row, input, &mut placed)?;
            row += 1;
        }
    }
    let others: Vec<&Input> = inputs
        .iter()
        .filter(|i| !placed.iter().any(|(p, _)| *p == i.indicator.id))
        .collect();
    if !others.is_empty() {
        text_cell(sheet, row, 1, "Chỉ tiêu khác", &plain.clone().set_bold())?;
        row += 1;
        for input in others {
            text_cell(sheet, row, 1, input.title(), &plain)?;
            value_row(sheet, &mut row, input, &mut placed)?;
            row += 1;
        }
    }
    Ok(())
}

/// The sheet that explains each indicator: how to fill it in, which criteria it decides,
/// with their targets, rules and lead units.
fn guide_sheet(sheet: &mut Worksheet, scheme: &Scheme, inputs: &[Input]) -> Result<(), XlsxError> {
    sheet.set_name(GUIDE_SHEET)?;
    let bold = Format::new().set_bold();
    let lines = [
        format!("{} — phiên bản {}", scheme.title(), scheme.version()),
        "Mỗi ô ghi một giá trị: số (98,7 hoặc 98.7), có / không, n/a nếu không áp dụng; để trống nếu chưa có số liệu (không tính là 0).".to_string(),
        "Tỷ lệ tính từ số lượng (tử số / mẫu số) được tính tự động, chính xác: chỉ nhập các số lượng.".to_string(),
        "Không đổi dòng mã chỉ tiêu (dòng 3 của trang Nhập liệu, cột Mã chỉ tiêu của phiếu tự đánh giá): mẫu được đọc lại theo mã.".to_string(),
    ];
    for (row, line) in lines.iter().enumerate() {
        let format = if row == 0 {
            bold.clone().set_font_size(13)
        } else {
            Format::new()
        };
        sheet.write_string_with_format(row as u32, 0, line, &format)?;
    }
    if scheme.estimated() {
        sheet.write_string_with_format(
            lines.len() as u32,
            0,
            "Điểm của bộ tiêu chí này là ƯỚC TÍNH, không phải bộ tiêu chí chính thức.",
            &bold.clone().set_font_color(Color::RGB(0xC00000)),
        )?;
    }
    let header_row = lines.len() as u32 + 2;
    let header = header_format();
    let columns: [(&str, f64); 9] = [
        ("Mã chỉ tiêu", 30.0),
        ("Tên chỉ tiêu", 48.0),
        ("Loại", 12.0),
        ("Cách nhập", 36.0),
        ("Tiêu chí", 14.0),
        ("Mục tiêu", 16.0),
        ("Phương pháp chấm điểm", 44.0),
        ("Đơn vị chủ trì", 30.0),
        ("Lĩnh vực", 36.0),
    ];
    for (column, (text, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(header_row, column as u16, *text, &header)?;
        sheet.set_column_width(column as u16, *width)?;
    }
    sheet.set_freeze_panes(header_row + 1, 1)?;
    let format = wrap_format();
    let files = files(scheme);
    let file_of = |code: &str| {
        scheme
            .criteria()
            .iter()
            .position(|c| c.code == code)
            .and_then(|i| files[i])
    };
    let areas = top_groups(scheme);
    let mut row = header_row + 1;
    // Inputs first, in the template's order, then the rates worked out from them.
    let derived: Vec<_> = scheme
        .indicators()
        .iter()
        .filter(|i| i.source != parscore::IndicatorSource::Input)
        .collect();
    for input in inputs {
        let leaves = &input.leaves;
        let lines = |f: &dyn Fn(&parscore::Criterion) -> Option<String>| {
            leaves
                .iter()
                .filter_map(|c| f(c).map(|text| format!("{}: {text}", c.code)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let percent = input.indicator.kind == IndicatorKind::Percent;
        let cells = [
            input.indicator.id.clone(),
            input.title().to_string(),
            name_of(INDICATOR_KINDS, input.indicator.kind).to_string(),
            accepted(input),
            leaves
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            lines(&|c| c.target().map(ToString::to_string)),
            lines(&|c| {
                file_of(&c.code)
                    .and_then(|f| f.rule.as_ref())
                    .map(|rule| rule_line(rule, percent))
            }),
            lines(&|c| c.lead.clone()),
            input
                .area
                .and_then(|a| areas.get(a))
                .map(|a| format!("{}. {}", a.code, a.title))
                .unwrap_or_default(),
        ];
        for (column, text) in cells.iter().enumerate() {
            text_cell(sheet, row, column as u16, text, &format)?;
        }
        row += 1;
    }
    for indicator in derived {
        let sources = match indicator.source {
            parscore::IndicatorSource::Ratio {
                numerator,
                denominator,
            } => format!(
                "Tính tự động: {} / {} × 100",
                scheme.indicators()[numerator].id,
                scheme.indicators()[denominator].id
            ),
            parscore::IndicatorSource::Reduction { baseline, current } => format!(
                "Tính tự động: ({b} − {c}) / {b} × 100",
                b = scheme.indicators()[baseline].id,
                c = scheme.indicators()[current].id
            ),
            parscore::IndicatorSource::Input => String::new(),
        };
        let title = if indicator.title.is_empty() {
            &indicator.id
        } else {
            &indicator.title
        };
        let cells = [
            indicator.id.as_str(),
            title,
            name_of(INDICATOR_KINDS, indicator.kind),
            &sources,
        ];
        for (column, text) in cells.iter().enumerate() {
            text_cell(
                sheet,
                row,
                column as u16,
                text,
                &format.clone().set_italic(),
            )?;
        }
        row += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        let mut taken = HashSet::new();
        assert_eq!(sheet_name("Sở NN&PTNT", &mut taken), "Sở NN&PTNT");
        assert_eq!(sheet_name("Sở NN&PTNT", &mut taken), "Sở NN&PTNT (2)");
        assert_eq!(
            sheet_name("Phòng KH/TC [mới]", &mut taken),
            "Phòng KH-TC -mới-"
        );
        let long = "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn";
        assert_eq!(sheet_name(long, &mut taken).chars().count(), 31);
        assert_eq!(sheet_name("  ", &mut taken), FORM_SHEET);
    }
}
