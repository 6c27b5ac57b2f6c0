//! CSV: one row per unit and criterion, with the unit's headline fields on each, for a
//! program or a pivot table. A unit not compared (on one side only, or a failed row) has one
//! row without criterion. Figures exact, keys English, as the JSON's; a cell a spreadsheet
//! would run as a formula is quoted with `'`.

use parscore::Decimal;
use parscore_compare::{Comparison, CriterionChange, Presence, UnitChange};

use crate::fail::Failure;
use crate::output::escape;

const HEADER: [&str; 25] = [
    "unit",
    "presence",
    "period_before",
    "period_after",
    "index_before",
    "index_after",
    "delta",
    "grade_before",
    "grade_after",
    "rank_before",
    "rank_after",
    "missing_before",
    "missing_after",
    "error_before",
    "error_after",
    "code",
    "points_before",
    "points_after",
    "points_delta",
    "passed_before",
    "passed_after",
    "change",
    "status_before",
    "status_after",
    "lead",
];

pub fn render(comparison: &Comparison) -> Result<Vec<u8>, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failure = |error: csv::Error| Failure::Write {
        target: "CSV".into(),
        error: error.into(),
    };
    writer.write_record(HEADER).map_err(failure)?;
    for unit in &comparison.units {
        let head = unit_cells(unit);
        if unit.criteria.is_empty() {
            let mut record = head.clone();
            record.resize(HEADER.len(), String::new());
            write(&mut writer, &record).map_err(failure)?;
        }
        for criterion in &unit.criteria {
            let mut record = head.clone();
            record.extend(criterion_cells(criterion));
            write(&mut writer, &record).map_err(failure)?;
        }
    }
    writer.into_inner().map_err(|e| Failure::Write {
        target: "CSV".into(),
        error: e.into_error(),
    })
}

fn unit_cells(u: &UnitChange) -> Vec<String> {
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let count = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        u.unit.clone(),
        match u.presence {
            Presence::Both => "both",
            Presence::BeforeOnly => "before_only",
            Presence::AfterOnly => "after_only",
        }
        .into(),
        text(&u.period_before),
        text(&u.period_after),
        exact(u.index_before),
        exact(u.index_after),
        exact(u.delta),
        text(&u.grade_before),
        text(&u.grade_after),
        count(u.rank_before),
        count(u.rank_after),
        count(u.missing_before),
        count(u.missing_after),
        text(&u.error_before),
        text(&u.error_after),
    ]
}

fn criterion_cells(c: &CriterionChange) -> [String; 10] {
    let passed = |p: Option<bool>| p.map(|p| p.to_string()).unwrap_or_default();
    [
        c.code.clone(),
        exact(Some(c.points_before)),
        exact(Some(c.points_after)),
        exact(Some(c.delta)),
        passed(c.passed_before),
        passed(c.passed_after),
        c.change.name().into(),
        c.status_before.name().into(),
        c.status_after.name().into(),
        c.lead.clone().unwrap_or_default(),
    ]
}

fn exact(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

fn write(writer: &mut csv::Writer<Vec<u8>>, record: &[String]) -> csv::Result<()> {
    writer.write_record(
        record
            .iter()
            .map(|cell| escape::csv_cell(cell).into_owned()),
    )
}
