//! CSV: one row per unit, in input order: the headline fields (with `bonus_points` and
//! `penalty_points` after `max_points` when the scheme has them), what the unit lacks input for,
//! then, with `--detail criteria` (the default), the points of each criterion and the status
//! of each criterion, and with `--detail full` each criterion's value, target, verdict, margin
//! and explanation. The figures are exact, as in JSON, since a CSV is read by programs; the
//! keys stay English.
//!
//! A criterion that does not apply has `n/a` for its points (never 0, which a failure also
//! scores); its status column says `not_applicable`, and `missing` for one scored 0 for
//! want of input. A cell a spreadsheet would run as a formula is quoted with `'`.

use parscore::{Scheme, Status};

use super::escape;
use super::result_row::{Detail, Figure, Outcome, ResultRow};
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

/// The suffixes of a criterion's columns after its points: `III.4.1_status`, and with full
/// detail its value, target, verdict, margin and explanation.
const STATUS_SUFFIX: &str = "_status";
const FULL_SUFFIXES: [&str; 5] = ["_value", "_target", "_passed", "_margin", "_explanation"];

/// Writes results as CSV records, one at a time, into a buffer.
pub struct CsvWriter<'s> {
    scheme: &'s Scheme,
    detail: Detail,
    codes: Vec<&'s str>,
    /// `bonus_points` and `penalty_points`, when the scheme has them.
    sections: Vec<&'static str>,
}

impl<'s> CsvWriter<'s> {
    pub fn new(scheme: &'s Scheme, detail: Detail) -> CsvWriter<'s> {
        CsvWriter {
            scheme,
            detail,
            codes: scheme.leaves().map(|c| c.code.as_str()).collect(),
            sections: [
                scheme.bonus().map(|_| "bonus_points"),
                scheme.penalties().map(|_| "penalty_points"),
            ]
            .into_iter()
            .flatten()
            .collect(),
        }
    }

    fn width(&self) -> usize {
        HEADLINE.len()
            + self.sections.len()
            + match self.detail {
                Detail::Headline => 0,
                Detail::Criteria => 2 * self.codes.len(),
                Detail::Full => (2 + FULL_SUFFIXES.len()) * self.codes.len(),
            }
    }

    pub fn header(&self, out: &mut Vec<u8>) -> Result<(), Failure> {
        let mut names: Vec<String> = HEADLINE.iter().map(|h| h.to_string()).collect();
        // After `max_points`.
        names.splice(8..8, self.sections.iter().map(|s| s.to_string()));
        if self.detail >= Detail::Criteria {
            names.extend(self.codes.iter().map(|c| c.to_string()));
            names.extend(self.codes.iter().map(|c| format!("{c}{STATUS_SUFFIX}")));
        }
        if self.detail == Detail::Full {
            for suffix in FULL_SUFFIXES {
                names.extend(self.codes.iter().map(|c| format!("{c}{suffix}")));
            }
        }
        let mut writer = writer(out);
        for name in &names {
            writer
                .write_field(escape::csv_cell(name).as_bytes())
                .map_err(failure)?;
        }
        writer
            .write_record(None::<&[u8]>)
            .and_then(|()| writer.flush().map_err(csv::Error::from))
            .map_err(failure)
    }

    /// Writes the rows, in order, after whatever `out` holds.
    pub fn rows(&self, rows: &[ResultRow<'_>], out: &mut Vec<u8>) -> Result<(), Failure> {
        let mut writer = writer(out);
        let mut cell = Vec::with_capacity(64);
        for row in rows {
            self.row(&mut writer, row, &mut cell, None)
                .map_err(failure)?;
        }
        writer.flush().map_err(|e| failure(e.into()))
    }

    /// Writes the rows as [`CsvWriter::rows`] does, and notes in `marks` where each ends
    /// in `out` and where its rank is written (`None` for a row without one): what a rank
    /// known later is put into.
    pub fn rows_marked(
        &self,
        rows: &[ResultRow<'_>],
        out: &mut Vec<u8>,
        marks: &mut Vec<(usize, Option<usize>)>,
    ) -> Result<(), Failure> {
        let mut writer = writer(out);
        let mut cell = Vec::with_capacity(64);
        for row in rows {
            let mut rank_at = None;
            self.row(&mut writer, row, &mut cell, Some(&mut rank_at))
                .and_then(|()| writer.flush().map_err(csv::Error::from))
                .map_err(failure)?;
            marks.push((writer.get_ref().len(), rank_at));
        }
        Ok(())
    }

    fn row(
        &self,
        writer: &mut csv::Writer<&mut Vec<u8>>,
        row: &ResultRow<'_>,
        cell: &mut Vec<u8>,
        rank_at: Option<&mut Option<usize>>,
    ) -> csv::Result<()> {
        let text = |writer: &mut csv::Writer<&mut Vec<u8>>, text: &str| {
            writer.write_field(escape::csv_cell(text).as_bytes())
        };
        let number = |writer: &mut csv::Writer<&mut Vec<u8>>, cell: &mut Vec<u8>, n: Figure| {
            cell.clear();
            n.write(cell);
            writer.write_field(&cell[..])
        };
        cell.clear();
        write_usize(cell, row.row);
        writer.write_field(&cell[..])?;
        text(writer, &row.place.to_string())?;
        text(writer, row.unit.unwrap_or(""))?;
        text(writer, row.period.unwrap_or(""))?;
        let Some(headline) = row.outcome.headline(self.scheme) else {
            writer.write_field("error")?;
            let message = row.outcome.error().map(ToString::to_string);
            text(writer, message.as_deref().unwrap_or(""))?;
            for _ in 6..self.width() {
                writer.write_field("")?;
            }
            return writer.write_record(None::<&[u8]>);
        };
        writer.write_field("ok")?;
        writer.write_field("")?;
        number(writer, cell, Figure::Decimal(headline.points))?;
        number(writer, cell, Figure::Decimal(headline.max_points))?;
        for section in [headline.bonus, headline.penalties].into_iter().flatten() {
            number(writer, cell, Figure::Decimal(section))?;
        }
        match headline.index {
            Some(index) => number(writer, cell, Figure::Decimal(index))?,
            None => writer.write_field("")?,
        }
        let grade = headline
            .grade
            .map(|g| self.scheme.grades()[g].name.as_str());
        text(writer, grade.unwrap_or(""))?;
        cell.clear();
        if let Some(rank) = row.rank {
            write_usize(cell, rank);
        }
        writer.write_field(&cell[..])?;
        if let Some(at) = rank_at {
            writer.flush()?;
            *at = Some(writer.get_ref().len() - cell.len());
        }
        cell.clear();
        write_usize(cell, headline.missing);
        writer.write_field(&cell[..])?;
        number(writer, cell, Figure::Decimal(headline.missing_points))?;
        if self.detail >= Detail::Criteria {
            let mut criteria = row.outcome.criteria();
            criteria.resize(self.codes.len(), None);
            for criterion in &criteria {
                match criterion {
                    Some((_, Status::NotApplicable)) => writer.write_field("n/a")?,
                    Some((points, _)) => number(writer, cell, *points)?,
                    None => writer.write_field("")?,
                }
            }
            for criterion in &criteria {
                writer.write_field(criterion.map_or("", |(_, status)| status.name()))?;
            }
        }
        if self.detail == Detail::Full {
            self.full(writer, &row.outcome, cell)?;
        }
        writer.write_record(None::<&[u8]>)
    }

    /// Each criterion's value, target, verdict, margin and explanation, block by block.
    fn full(
        &self,
        writer: &mut csv::Writer<&mut Vec<u8>>,
        outcome: &Outcome<'_>,
        cell: &mut Vec<u8>,
    ) -> csv::Result<()> {
        let Some(evaluation) = outcome.evaluation() else {
            for _ in 0..FULL_SUFFIXES.len() * self.codes.len() {
                writer.write_field("")?;
            }
            return Ok(());
        };
        for c in evaluation.criteria() {
            let value = c.value().map(|v| match v {
                parscore::Value::Number(d) => Figure::Decimal(d).text(),
                other => other.to_string(),
            });
            writer.write_field(escape::csv_cell(value.as_deref().unwrap_or("")).as_bytes())?;
        }
        for c in evaluation.criteria() {
            let target = c.target().map(ToString::to_string).unwrap_or_default();
            writer.write_field(escape::csv_cell(&target).as_bytes())?;
        }
        for c in evaluation.criteria() {
            writer.write_field(match c.passed() {
                Some(true) => "true",
                Some(false) => "false",
                None => "",
            })?;
        }
        for c in evaluation.criteria() {
            cell.clear();
            if let Some(margin) = c.margin() {
                Figure::Decimal(margin).write(cell);
            }
            writer.write_field(&cell[..])?;
        }
        for c in evaluation.criteria() {
            writer.write_field(escape::csv_cell(&c.explanation()).as_bytes())?;
        }
        Ok(())
    }
}

fn writer(out: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    csv::WriterBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_writer(out)
}

fn failure(error: csv::Error) -> Failure {
    Failure::Write {
        target: "CSV".into(),
        error: error.into(),
    }
}

fn write_usize(out: &mut Vec<u8>, n: usize) {
    super::result_row::write_scaled(out, n as i128, 0);
}

/// A run's results as CSV with every criterion's points and status (the default detail).
pub fn render(run: &Run) -> Result<Vec<u8>, Failure> {
    render_detail(run, Detail::Criteria)
}

/// A run's results as CSV at the detail asked for.
pub fn render_detail(run: &Run, detail: Detail) -> Result<Vec<u8>, Failure> {
    let writer = CsvWriter::new(&run.batch.scheme, detail);
    let mut out = Vec::new();
    writer.header(&mut out)?;
    writer.rows(&run.rows(), &mut out)?;
    Ok(out)
}
