//! What the workbook writers share: the look of headers and rows, exact numbers, notes and
//! validation lists.

use parscore::Decimal;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Note,
    Worksheet, XlsxError,
};

use crate::number::NumberCell;

/// How many rows below the header a validation covers, for rows people add.
pub(crate) const VALIDATED_ROWS: u32 = 2000;

/// Light fills that tell areas apart, in turn.
pub(crate) const AREA_COLOURS: [u32; 8] = [
    0xDDEBF7, 0xE2EFDA, 0xFFF2CC, 0xFCE4D6, 0xEDE2F6, 0xDDF3F1, 0xF2F2F2, 0xFDE9EF,
];

pub(crate) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border(FormatBorder::Thin)
}

pub(crate) fn wrap_format() -> Format {
    Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
}

/// Text kept as typed: Excel would read `1.10` as the number 1.1.
pub(crate) fn text_format() -> Format {
    Format::new().set_num_format("@")
}

/// A header cell with its note.
pub(crate) fn header_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    note: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, column, text, format)?;
    if !note.is_empty() {
        let note = Note::new(note)
            .add_author_prefix(false)
            .set_width(320)
            .set_height(140);
        sheet.insert_note(row, column, &note)?;
    }
    Ok(())
}

/// Text, unless empty: an empty cell reads back as no value.
pub(crate) fn text_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        sheet.write_blank(row, column, format)?;
    } else {
        sheet.write_string_with_format(row, column, text, format)?;
    }
    Ok(())
}

/// A decimal as a number cell when that reads back exactly, else as its text.
pub(crate) fn decimal_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    value: Decimal,
    format: &Format,
) -> Result<(), XlsxError> {
    match NumberCell::of(value) {
        NumberCell::Number(f) => sheet.write_number_with_format(row, column, f, format)?,
        NumberCell::Text(text) => sheet.write_string_with_format(row, column, text, format)?,
    };
    Ok(())
}

/// A drop-down of words on the rows of a column below `row`. Other spellings of the same
/// words are read too, so typing one only warns.
pub(crate) fn list_validation(
    sheet: &mut Worksheet,
    first_row: u32,
    column: u16,
    words: &[&str],
    message: &str,
) -> Result<(), XlsxError> {
    let validation = DataValidation::new()
        .allow_list_strings(words)?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_message(message)?;
    sheet.add_data_validation(
        first_row,
        column,
        first_row + VALIDATED_ROWS,
        column,
        &validation,
    )?;
    Ok(())
}
