//! Writes a CSV of inputs as an Excel workbook typed the way a person types it in Excel:
//! numbers as numbers, `true`/`false` as booleans, day-first dates (`05/03/2024`, maybe with
//! a time `08:15`) as date cells, text as text, empty cells left empty.
//! `examples/data/units-2024.xlsx` was made with it from `units-2024.csv`, and
//! `examples/data/records/dossiers-2024.xlsx` from `dossiers-2024.csv`.
//!
//! Run: `cargo run -p parscore-cli --example csv_to_xlsx -- IN.csv OUT.xlsx [SHEET]`

use std::error::Error;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, rest @ ..] = args.as_slice() else {
        return Err("usage: csv_to_xlsx IN.csv OUT.xlsx [SHEET]".into());
    };
    let sheet_name = rest.first().map_or("Units", String::as_str);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(input)?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let time_format = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (row, record) in reader.records().enumerate() {
        for (col, text) in record?.iter().enumerate() {
            let (row, col) = (row as u32, col as u16);
            let number = text.parse::<f64>().ok().filter(|n| n.is_finite());
            match (text, number, day_first(text)) {
                ("", ..) => continue,
                ("true" | "false", ..) => sheet.write_boolean(row, col, text == "true")?,
                (_, Some(n), _) => sheet.write_number(row, col, n)?,
                (_, None, Some((date, false))) => {
                    sheet.write_datetime_with_format(row, col, &date, &date_format)?
                }
                (_, None, Some((date, true))) => {
                    sheet.write_datetime_with_format(row, col, &date, &time_format)?
                }
                (text, None, None) => sheet.write_string(row, col, text)?,
            };
        }
    }
    workbook.save(output)?;
    Ok(())
}

/// `dd/mm/yyyy` or `dd/mm/yyyy HH:MM` as an Excel date, and whether it has a time.
fn day_first(text: &str) -> Option<(ExcelDateTime, bool)> {
    let (date, time) = match text.split_once(' ') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || day.len() != 2 || month.len() != 2 || year.len() != 4 {
        return None;
    }
    let date =
        ExcelDateTime::from_ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()?;
    match time {
        None => Some((date, false)),
        Some(time) => {
            let (hour, minute) = time.split_once(':')?;
            let date = date
                .and_hms(hour.parse().ok()?, minute.parse().ok()?, 0)
                .ok()?;
            Some((date, true))
        }
    }
}
