//! Writes a CSV of inputs as an Excel workbook typed the way a person types it in Excel:
//! numbers as numbers, `true`/`false` as booleans, text as text, empty cells left empty.
//! `examples/data/units-2024.xlsx` was made with it from `units-2024.csv`.
//!
//! Run: `cargo run -p parscore-cli --example csv_to_xlsx -- IN.csv OUT.xlsx [SHEET]`

use std::error::Error;

use rust_xlsxwriter::Workbook;

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
    for (row, record) in reader.records().enumerate() {
        for (col, text) in record?.iter().enumerate() {
            let (row, col) = (row as u32, col as u16);
            let number = text.parse::<f64>().ok().filter(|n| n.is_finite());
            match (text, number) {
                ("", _) => continue,
                ("true" | "false", _) => sheet.write_boolean(row, col, text == "true")?,
                (_, Some(n)) => sheet.write_number(row, col, n)?,
                (text, None) => sheet.write_string(row, col, text)?,
            };
        }
    }
    workbook.save(output)?;
    Ok(())
}
