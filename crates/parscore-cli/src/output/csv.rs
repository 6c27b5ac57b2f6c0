//! CSV: one row per unit, the headline fields and then the points of each criterion. The
//! figures are exact, as in JSON, since a CSV is read by programs.

use parscore::Decimal;

use crate::fail::Failure;
use crate::run::Run;

const HEADLINE: [&str; 11] = [
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
];

pub fn render(run: &Run) -> Result<Vec<u8>, Failure> {
    let scheme = &run.batch.scheme;
    let codes: Vec<&str> = scheme.leaves().map(|c| c.code.as_str()).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write_failure = |error: csv::Error| Failure::Write {
        target: "CSV".into(),
        error: error.into(),
    };
    let header = HEADLINE.iter().copied().chain(codes.iter().copied());
    writer.write_record(header).map_err(write_failure)?;
    for (result, place) in run.batch.results.iter().zip(&run.places) {
        let mut record = vec![
            result.row.to_string(),
            place.to_string(),
            result.unit.clone().unwrap_or_default(),
            result.period.clone().unwrap_or_default(),
        ];
        match &result.outcome {
            Ok(evaluation) => {
                record.extend([
                    "ok".into(),
                    String::new(),
                    exact(evaluation.points()),
                    exact(evaluation.max_points()),
                    evaluation.index_rounded().map(exact).unwrap_or_default(),
                    evaluation
                        .grade()
                        .map(|g| g.name.clone())
                        .unwrap_or_default(),
                    result.rank.map(|r| r.to_string()).unwrap_or_default(),
                ]);
                record.extend(evaluation.criteria().map(|c| exact(c.points())));
            }
            Err(error) => {
                record.extend(["error".into(), error.to_string()]);
                record.resize(HEADLINE.len() + codes.len(), String::new());
            }
        }
        writer.write_record(&record).map_err(write_failure)?;
    }
    writer.into_inner().map_err(|e| Failure::Write {
        target: "CSV".into(),
        error: e.into_error(),
    })
}

fn exact(d: Decimal) -> String {
    d.normalize().to_string()
}
