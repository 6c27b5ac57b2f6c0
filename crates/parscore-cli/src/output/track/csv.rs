//! CSV: one row per unit and criterion tracked, exact counts, English keys. The criteria that
//! cannot be tracked, and the months, are in the JSON document.

use parscore_records::YearTracking;

use crate::fail::Failure;
use crate::output::escape;

const HEADER: [&str; 13] = [
    "unit",
    "criterion",
    "indicator",
    "rate",
    "so_far",
    "so_far_met",
    "so_far_total",
    "target",
    "expected",
    "needed",
    "status",
    "expected_from",
    "lead",
];

pub fn render(tracking: &YearTracking) -> Result<Vec<u8>, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failure = |error: csv::Error| Failure::Write {
        target: "CSV".into(),
        error: error.into(),
    };
    writer.write_record(HEADER).map_err(failure)?;
    for line in &tracking.criteria {
        let record = [
            line.unit.clone(),
            line.criterion.clone(),
            line.indicator.clone(),
            line.rate.clone(),
            line.so_far.to_string(),
            line.so_far.met.to_string(),
            line.so_far.total.to_string(),
            line.target.clone(),
            line.expected.to_string(),
            line.needed.to_string(),
            line.status.name().into(),
            line.expected_from.name().into(),
            line.lead.clone().unwrap_or_default(),
        ];
        writer
            .write_record(
                record
                    .iter()
                    .map(|cell| escape::csv_cell(cell).into_owned()),
            )
            .map_err(failure)?;
    }
    writer.into_inner().map_err(|e| Failure::Write {
        target: "CSV".into(),
        error: e.into_error(),
    })
}
