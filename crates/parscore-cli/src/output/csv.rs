//! CSV: one row per unit, in input order: the headline fields (with `bonus_points` and
//! `penalty_points` after `max_points` when the scheme has them), what the unit lacks input
//! for, the points of each criterion, then the status of each criterion. The figures are
//! exact, as in JSON, since a CSV is read by programs; the keys stay English.
//!
//! A criterion that does not apply has `n/a` for its points (never 0, which a failure also
//! scores); its status column says `not_applicable`, and `missing` for one scored 0 for
//! want of input. A cell a spreadsheet would run as a formula is quoted with `'`.

use parscore::{Decimal, Status};

use super::escape;
use crate::fail::Failure;
use crate::run::Run;

const HEADLINE: [&str; 13] = [
    "row",
    "source",
    "unit",
    "period",
    "status",
    "error",
    "points",
    "max_points",
    "index",
    "grade",
    "rank",
    "missing",
    "missing_points",
];

/// The suffix of a criterion's status column: `III.4.1_status`.
const STATUS_SUFFIX: &str = "_status";

pub fn render(run: &Run) -> Result<Vec<u8>, Failure> {
    let scheme = &run.batch.scheme;
    let codes: Vec<&str> = scheme.leaves().map(|c| c.code.as_str()).collect();
    let sections: Vec<&str> = [
        scheme.bonus().map(|_| "bonus_points"),
        scheme.penalties().map(|_| "penalty_points"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let width = HEADLINE.len() + sections.len() + 2 * codes.len();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write_failure = |error: csv::Error| Failure::Write {
        target: "CSV".into(),
        error: error.into(),
    };
    let mut header: Vec<String> = HEADLINE.iter().map(|h| h.to_string()).collect();
    // After `max_points`.
    header.splice(8..8, sections.iter().map(|s| s.to_string()));
    header.extend(codes.iter().map(|c| c.to_string()));
    header.extend(codes.iter().map(|c| format!("{c}{STATUS_SUFFIX}")));
    write_record(&mut writer, &header).map_err(write_failure)?;
    for (result, place) in run.batch.results.iter().zip(&run.places) {
        let mut record = Vec::with_capacity(width);
        record.extend([
            result.row.to_string(),
            place.to_string(),
            result.unit.clone().unwrap_or_default(),
            result.period.clone().unwrap_or_default(),
        ]);
        match &result.outcome {
            Ok(evaluation) => {
                let (missing, missing_points) = evaluation.missing_summary();
                record.extend([
                    "ok".into(),
                    String::new(),
                    exact(evaluation.points()),
                    exact(evaluation.max_points()),
                ]);
                let figures = [evaluation.bonus_points(), evaluation.penalty_points()];
                record.extend(figures.into_iter().flatten().map(exact));
                record.extend([
                    evaluation.index_rounded().map(exact).unwrap_or_default(),
                    evaluation
                        .grade()
                        .map(|g| g.name.clone())
                        .unwrap_or_default(),
                    result.rank.map(|r| r.to_string()).unwrap_or_default(),
                    missing.to_string(),
                    exact(missing_points),
                ]);
                record.extend(evaluation.criteria().map(|c| match c.status() {
                    Status::NotApplicable => "n/a".into(),
                    Status::Scored | Status::Missing => exact(c.points()),
                }));
                record.extend(evaluation.criteria().map(|c| c.status().name().to_string()));
            }
            Err(error) => {
                record.extend(["error".into(), error.to_string()]);
                record.resize(width, String::new());
            }
        }
        write_record(&mut writer, &record).map_err(write_failure)?;
    }
    writer.into_inner().map_err(|e| Failure::Write {
        target: "CSV".into(),
        error: e.into_error(),
    })
}

fn write_record(writer: &mut csv::Writer<Vec<u8>>, record: &[String]) -> csv::Result<()> {
    writer.write_record(
        record
            .iter()
            .map(|cell| escape::csv_cell(cell).into_owned()),
    )
}

fn exact(d: Decimal) -> String {
    d.normalize().to_string()
}
