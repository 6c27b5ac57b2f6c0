//! CSV of a study: one row per unit, in input order: its index and quantiles (exact), grade
//! and rank, rank range, criteria without input, then the probability of each grade, a
//! column each (`P(Tốt)`). English keys, as every CSV of the command; the variance shares
//! are in the JSON, the reports and the workbook.

use parscore::Decimal;

use super::Analysis;
use crate::fail::Failure;
use crate::output::escape;

const HEADLINE: [&str; 15] = [
    "row", "source", "unit", "period", "status", "error", "index", "grade", "rank", "p05", "p50",
    "p95", "rank_p05", "rank_p95", "missing",
];

pub fn render(analysis: &Analysis<'_>) -> Result<Vec<u8>, Failure> {
    let grades = analysis.grades();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failure = |error: csv::Error| Failure::Write {
        target: "CSV".into(),
        error: error.into(),
    };
    let mut header: Vec<String> = HEADLINE.iter().map(|h| h.to_string()).collect();
    header.extend(grades.iter().map(|(name, _)| format!("P({name})")));
    write(&mut writer, &header).map_err(failure)?;
    let exact = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
    let whole = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    for row in analysis.rows() {
        let u = row.unit;
        let mut record = vec![
            u.row.to_string(),
            row.place.to_string(),
            u.unit.clone().unwrap_or_default(),
            u.period.clone().unwrap_or_default(),
        ];
        match &u.error {
            Some(error) => {
                record.extend(["error".into(), error.clone()]);
                record.resize(header.len(), String::new());
            }
            None => {
                record.extend([
                    "ok".into(),
                    String::new(),
                    exact(u.index),
                    u.grade.clone().unwrap_or_default(),
                    whole(u.rank),
                    exact(u.p05),
                    exact(u.p50),
                    exact(u.p95),
                    whole(u.rank_p05),
                    whole(u.rank_p95),
                    row.missing.map(|(n, _)| n.to_string()).unwrap_or_default(),
                ]);
                for (name, _) in &grades {
                    let p = u.grades.iter().find(|(g, _)| g == name).map(|(_, p)| *p);
                    record.push(p.map(|p| p.to_string()).unwrap_or_default());
                }
            }
        }
        write(&mut writer, &record).map_err(failure)?;
    }
    writer.into_inner().map_err(|e| Failure::Write {
        target: "CSV".into(),
        error: e.into_error(),
    })
}

fn write(writer: &mut csv::Writer<Vec<u8>>, record: &[String]) -> csv::Result<()> {
    writer.write_record(
        record
            .iter()
            .map(|cell| escape::csv_cell(cell).into_owned()),
    )
}
