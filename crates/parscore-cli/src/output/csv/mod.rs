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

mod part;

use parscore::{Scheme, Status};
use parscore_columnar::Figures;

pub use part::PartFields;

use super::escape;
use super::result_row::{Detail, Figure, Outcome, ResultRow, write_scaled};
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
        self.write_rows(rows, out, None, None);
        Ok(())
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
        self.write_rows(rows, out, Some(marks), None);
        Ok(())
    }

    /// The criteria fields of a part of the engine's rows (see [`PartFields`]), the
    /// criteria the spool `coded` from their codes, for [`CsvWriter::rows_of_part`]; none
    /// without criteria, or for a part too large for them.
    pub fn part_fields<'c>(
        &self,
        coded: &'c [Option<CodedPoints<'c>>],
        figures: &Figures,
    ) -> Option<PartFields<'c>> {
        (self.detail >= Detail::Criteria)
            .then(|| PartFields::of(figures, coded, self.codes.len()))
            .flatten()
    }

    /// [`CsvWriter::rows`] of rows of a part whose criteria fields are `fields`.
    pub fn rows_of_part(
        &self,
        rows: &[ResultRow<'_>],
        fields: &PartFields<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), Failure> {
        self.write_rows(rows, out, None, Some(fields));
        Ok(())
    }

    fn write_rows(
        &self,
        rows: &[ResultRow<'_>],
        out: &mut Vec<u8>,
        mut marks: Option<&mut Vec<(usize, Option<usize>)>>,
        fields: Option<&PartFields<'_>>,
    ) {
        let leaves = self.codes.len();
        let mut memo = PointsText::new(if fields.is_some() { 0 } else { leaves });
        for part in rows.chunks(GATHERED) {
            // A part's rows have their fields; others gather theirs.
            let cells = (self.detail >= Detail::Criteria && fields.is_none())
                .then(|| Cells::gather(part, leaves, &mut memo));
            for (at, row) in part.iter().enumerate() {
                let criteria = match (&cells, fields) {
                    (Some(cells), _) => Some(Criteria::Gathered(cells.row(at), &memo)),
                    (None, Some(fields)) => Some(Criteria::Part(fields)),
                    (None, None) => None,
                };
                let mut rank_at = None;
                self.row(out, row, criteria, marks.is_some().then_some(&mut rank_at));
                if let Some(marks) = marks.as_deref_mut() {
                    marks.push((out.len(), rank_at));
                }
            }
        }
    }

    fn row(
        &self,
        out: &mut Vec<u8>,
        row: &ResultRow<'_>,
        criteria: Option<Criteria<'_>>,
        rank_at: Option<&mut Option<usize>>,
    ) {
        let mut record = Record::new(out);
        record.usize(row.row);
        record.text(&row.place.to_string());
        record.text(row.unit.unwrap_or(""));
        record.text(row.period.unwrap_or(""));
        let Some(headline) = row.outcome.headline(self.scheme) else {
            record.raw(b"error");
            let message = row.outcome.error().map(ToString::to_string);
            record.text(message.as_deref().unwrap_or(""));
            record.empty(self.width() - 6);
            record.end();
            return;
        };
        record.raw(b"ok");
        record.raw(b"");
        record.figure(Figure::Decimal(headline.points));
        record.figure(Figure::Decimal(headline.max_points));
        for section in [headline.bonus, headline.penalties].into_iter().flatten() {
            record.figure(Figure::Decimal(section));
        }
        match headline.index {
            Some(index) => record.figure(Figure::Decimal(index)),
            None => record.raw(b""),
        }
        let grade = headline
            .grade
            .map(|g| self.scheme.grades()[g].name.as_str());
        record.text(grade.unwrap_or(""));
        let at = record.next_field();
        if let Some(rank) = row.rank {
            write_usize(record.out, rank);
        }
        if let Some(rank_at) = rank_at {
            *rank_at = Some(at);
        }
        record.usize(headline.missing);
        record.figure(Figure::Decimal(headline.missing_points));
        if self.detail >= Detail::Criteria {
            match (row.outcome, criteria) {
                (Outcome::Columns { figures, row }, Some(Criteria::Gathered(cells, memo))) => {
                    columns_criteria(&mut record, figures, row, cells, memo)
                }
                (Outcome::Columns { row, .. }, Some(Criteria::Part(fields))) => {
                    fields.write(&mut record, row)
                }
                _ => self.criteria(&mut record, &row.outcome),
            }
        }
        if self.detail == Detail::Full {
            self.full(&mut record, &row.outcome);
        }
        record.end();
    }

    /// Each criterion's points, then each one's status, of a row scored with others.
    fn criteria(&self, record: &mut Record<'_>, outcome: &Outcome<'_>) {
        let mut criteria = outcome.criteria();
        criteria.resize(self.codes.len(), None);
        for criterion in &criteria {
            match criterion {
                Some((_, Status::NotApplicable)) => record.raw(b"n/a"),
                Some((points, _)) => record.figure(*points),
                None => record.raw(b""),
            }
        }
        for criterion in &criteria {
            record.raw(criterion.map_or("", |(_, status)| status.name()).as_bytes());
        }
    }

    /// Each criterion's value, target, verdict, margin and explanation, block by block.
    fn full(&self, record: &mut Record<'_>, outcome: &Outcome<'_>) {
        let Some(evaluation) = outcome.evaluation() else {
            record.empty(FULL_SUFFIXES.len() * self.codes.len());
            return;
        };
        for c in evaluation.criteria() {
            let value = c.value().map(|v| match v {
                parscore::Value::Number(d) => Figure::Decimal(d).text(),
                other => other.to_string(),
            });
            record.text(value.as_deref().unwrap_or(""));
        }
        for c in evaluation.criteria() {
            record.text(&c.target().map(|t| t.to_string()).unwrap_or_default());
        }
        for c in evaluation.criteria() {
            record.raw(match c.passed() {
                Some(true) => b"true",
                Some(false) => b"false",
                None => b"",
            });
        }
        for c in evaluation.criteria() {
            match c.margin() {
                Some(margin) => record.figure(Figure::Decimal(margin)),
                None => record.raw(b""),
            }
        }
        for c in evaluation.criteria() {
            record.text(&c.explanation());
        }
    }
}

/// One CSV record written straight into the output, as the `csv` crate writes it (fields
/// quoted only where they must be, records ended by `\n`): text cells are guarded and
/// quoted, while figures and status names, which never hold a delimiter, a quote or a line
/// break, are copied as they are.
struct Record<'o> {
    out: &'o mut Vec<u8>,
    fields: usize,
}

impl<'o> Record<'o> {
    fn new(out: &'o mut Vec<u8>) -> Record<'o> {
        Record { out, fields: 0 }
    }

    /// Starts the next field, whose text the caller writes; where that text begins.
    fn next_field(&mut self) -> usize {
        if self.fields > 0 {
            self.out.push(b',');
        }
        self.fields += 1;
        self.out.len()
    }

    /// A field after the first that never needs quoting (a figure, a status), given with
    /// its comma.
    fn follow_short(&mut self, text: &Short) {
        self.follow_short_fields(text, 1);
    }

    /// [`Record::follow_short`] of `fields` fields given as one text.
    fn follow_short_fields(&mut self, text: &Short, fields: usize) {
        debug_assert!(self.fields > 0 && text.bytes[0] == b',');
        self.fields += fields;
        let at = self.out.len();
        self.out.extend_from_slice(&text.bytes);
        self.out.truncate(at + usize::from(text.len));
    }

    /// A field that never needs quoting: a figure, a status or verdict name.
    fn raw(&mut self, bytes: &[u8]) {
        debug_assert!(!escape::csv_needs_quotes(bytes));
        self.next_field();
        self.out.extend_from_slice(bytes);
    }

    /// A text field from the inputs or for people: guarded against formulas, quoted when
    /// it must be.
    fn text(&mut self, text: &str) {
        self.next_field();
        escape::csv_field(self.out, escape::csv_cell(text).as_bytes());
    }

    fn figure(&mut self, figure: Figure) {
        self.next_field();
        figure.write(self.out);
    }

    fn usize(&mut self, n: usize) {
        self.next_field();
        write_usize(self.out, n);
    }

    /// `n` empty fields.
    fn empty(&mut self, n: usize) {
        for _ in 0..n {
            self.next_field();
        }
    }

    fn end(self) {
        self.out.push(b'\n');
    }
}

/// Rows whose criteria cells are gathered at a time (see [`Cells`]).
const GATHERED: usize = 256;

/// The criteria cells of rows of the engine's figures, read column by column (each
/// criterion's points and statuses are a column of the figures, which row after row would
/// read at as many places as there are criteria) into a code per row and criterion: its
/// status, and where the text of its points is kept in [`PointsText`].
struct Cells {
    leaves: usize,
    /// `row × leaves + leaf`: [`NO_STATUS`], or a status code with the points' slot above it.
    codes: Vec<u8>,
}

/// The code of a criterion without a status (a failed row, figures not kept).
const NO_STATUS: u8 = 0;
/// The statuses by code, as the cells and the spool code them (see [`CodedPoints`]).
pub(crate) const STATUSES: [Option<Status>; 4] = [
    None,
    Some(Status::Scored),
    Some(Status::Missing),
    Some(Status::NotApplicable),
];

/// The position of a status in [`STATUSES`] ([`NO_STATUS`] for none).
pub(crate) fn status_code(status: Option<Status>) -> u8 {
    match status {
        None => NO_STATUS,
        Some(Status::Scored) => 1,
        Some(Status::Missing) => 2,
        Some(Status::NotApplicable) => 3,
    }
}

/// The fields of two statuses by their codes, in one copy.
fn status_pair(first: u8, second: u8) -> &'static Short {
    &STATUS_PAIRS[usize::from(first & 3) * 4 + usize::from(second & 3)]
}

/// A criterion's points in a run of the engine's rows, given as the few values they take
/// and a code for each row (by the figures' row): its status as [`STATUSES`] places it in
/// the low two bits, the position of its value in `values` above them. The spool keeps
/// most criteria so.
#[derive(Debug, Clone, Copy)]
pub struct CodedPoints<'a> {
    /// Units of `10^-scale`.
    pub values: &'a [i128],
    pub scale: u32,
    pub codes: &'a [u8],
}

/// Where a row's criteria fields come from.
enum Criteria<'a> {
    /// Its cells, gathered with others' (see [`Cells`]), and the texts they point to.
    Gathered(&'a [u8], &'a PointsText),
    /// Its part's fields.
    Part(&'a PartFields<'a>),
}

/// Each row's figures and its row in them, for a row of the engine's figures.
fn engine_rows<'f>(rows: &[ResultRow<'f>]) -> Vec<Option<(&'f Figures, usize)>> {
    rows.iter()
        .map(|row| match row.outcome {
            Outcome::Columns { figures, row } => Some((figures, row)),
            _ => None,
        })
        .collect()
}

impl Cells {
    fn gather(rows: &[ResultRow<'_>], leaves: usize, memo: &mut PointsText) -> Cells {
        let mut codes = vec![NO_STATUS; rows.len() * leaves];
        let engine = engine_rows(rows);
        for leaf in 0..leaves {
            for (at, engine) in engine.iter().enumerate() {
                let Some((figures, row)) = *engine else {
                    continue;
                };
                let (Some(points), Some(statuses)) =
                    (figures.criteria.get(leaf), figures.statuses.get(leaf))
                else {
                    continue;
                };
                let Some(status) = statuses[row] else {
                    continue;
                };
                let code = status_code(Some(status));
                let slot = match status {
                    Status::NotApplicable => 0,
                    _ => memo.slot(leaf, points.mantissas()[row], points.scale()),
                };
                codes[at * leaves + leaf] = code | (slot << 2);
            }
        }
        Cells { leaves, codes }
    }

    /// The codes of row `at` of the rows gathered.
    fn row(&self, at: usize) -> &[u8] {
        &self.codes[at * self.leaves..][..self.leaves]
    }
}

/// [`CsvWriter::criteria`] of row `row` of the engine's figures, from its gathered `cells`:
/// each field with its comma in one copy (a row holds two fields a criterion).
fn columns_criteria(
    record: &mut Record<'_>,
    figures: &Figures,
    row: usize,
    cells: &[u8],
    memo: &PointsText,
) {
    for (leaf, &code) in cells.iter().enumerate() {
        match STATUSES[usize::from(code & 3)] {
            None => record.follow_short(&STATUS_FIELDS[0]),
            Some(Status::NotApplicable) => record.follow_short(&NOT_APPLICABLE_POINTS),
            Some(_) => match memo.kept(leaf, code >> 2) {
                Some(text) => record.follow_short(text),
                None => {
                    let points = &figures.criteria[leaf];
                    record.figure(Figure::Scaled(points.mantissas()[row], points.scale()));
                }
            },
        }
    }
    // Two statuses a copy: a row's statuses are half its fields.
    let mut pairs = cells.chunks_exact(2);
    for pair in &mut pairs {
        record.follow_short_fields(status_pair(pair[0], pair[1]), 2);
    }
    for &code in pairs.remainder() {
        record.follow_short(&STATUS_FIELDS[usize::from(code & 3)]);
    }
}

/// Two of [`STATUS_FIELDS`] one after the other, by the first's code times four and the
/// second's.
const STATUS_PAIRS: [Short; 16] = {
    let mut pairs = [Short::new_const(b""); 16];
    let mut at = 0;
    while at < 16 {
        pairs[at] = Short::joined(&STATUS_FIELDS[at / 4], &STATUS_FIELDS[at % 4]);
        at += 1;
    }
    pairs
};

/// The points field of a criterion that does not apply.
const NOT_APPLICABLE_POINTS: Short = Short::new_const(b",n/a");

/// The status fields of [`STATUSES`], each with the comma before it.
const STATUS_FIELDS: [Short; 4] = [
    Short::new_const(b","),
    Short::new_const(b",scored"),
    Short::new_const(b",missing"),
    Short::new_const(b",not_applicable"),
];

/// Each criterion's points as text, kept for the few values a criterion's points take
/// (none, all, a fraction or two), so that each is formatted once per run of rows.
struct PointsText {
    /// By criterion: its points (units and scale) and their text, when short enough.
    seen: Vec<Vec<(i128, u32, Option<Short>)>>,
    /// By criterion: whether its points took more values than are kept (a rate times the
    /// maximum, different for each row), so that they are no longer looked for.
    varied: Vec<bool>,
}

impl PointsText {
    /// Values kept per criterion when met row by row.
    const KEPT: u8 = 8;
    /// The slot of points not kept: past any slot.
    const NOT_KEPT: u8 = 63;

    fn new(criteria: usize) -> PointsText {
        PointsText {
            seen: vec![Vec::new(); criteria],
            varied: vec![false; criteria],
        }
    }

    /// The points as their field, with its comma, when short enough to keep.
    fn text(units: i128, scale: u32) -> Option<Short> {
        let mut text = vec![b','];
        write_scaled(&mut text, units, scale);
        Short::new(&text)
    }

    /// The slot of `units × 10^-scale` points of criterion `leaf`, their text formatted
    /// and kept when first met while there is room.
    fn slot(&mut self, leaf: usize, units: i128, scale: u32) -> u8 {
        if self.varied[leaf] {
            return Self::NOT_KEPT;
        }
        let seen = &mut self.seen[leaf];
        if let Some(slot) = seen.iter().position(|(u, s, _)| (*u, *s) == (units, scale)) {
            return slot as u8;
        }
        if seen.len() == usize::from(Self::KEPT) {
            self.varied[leaf] = true;
            return Self::NOT_KEPT;
        }
        seen.push((units, scale, Self::text(units, scale)));
        (seen.len() - 1) as u8
    }

    /// The text kept in a slot of criterion `leaf`, with its comma.
    fn kept(&self, leaf: usize, slot: u8) -> Option<&Short> {
        self.seen[leaf]
            .get(usize::from(slot))
            .and_then(|(.., text)| text.as_ref())
    }
}

/// A field's text with its comma, in a buffer of a fixed size: copied whole and cut to its
/// length, since a copy of a length known only when running is a call that costs more than
/// the few bytes of a field.
#[derive(Clone, Copy)]
struct Short {
    bytes: [u8; Short::SIZE],
    len: u8,
}

impl Short {
    const SIZE: usize = 32;

    const fn new_const(text: &[u8]) -> Short {
        let mut bytes = [0u8; Short::SIZE];
        let mut i = 0;
        while i < text.len() {
            bytes[i] = text[i];
            i += 1;
        }
        Short {
            bytes,
            len: text.len() as u8,
        }
    }

    /// `first` then `second`, which must fit together.
    const fn joined(first: &Short, second: &Short) -> Short {
        let (a, b) = (first.len as usize, second.len as usize);
        assert!(a + b <= Short::SIZE);
        let mut bytes = first.bytes;
        let mut i = 0;
        while i < b {
            bytes[a + i] = second.bytes[i];
            i += 1;
        }
        Short {
            bytes,
            len: (a + b) as u8,
        }
    }

    /// The text, without the bytes after it.
    fn text(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    fn new(text: &[u8]) -> Option<Short> {
        (text.len() <= Short::SIZE).then(|| Short::new_const(text))
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A field as the `Record` writes it: text, or bytes that never need quoting.
    #[derive(Debug, Clone)]
    enum Field {
        Text(String),
        Raw(&'static str),
    }

    fn field() -> impl Strategy<Value = Field> {
        let text = prop_oneof![
            ".*",
            "[a,\"\r\n =+@-]{0,6}",
            Just("Sở Nội vụ, \"tỉnh\"\nLạng Sơn".to_string()),
            Just("Chi cu\u{323}c Thu\u{309}y lơ\u{323}i".to_string()),
        ];
        prop_oneof![
            text.prop_map(Field::Text),
            prop::sample::select(vec!["", "ok", "error", "n/a", "12.5", "-0.01", "missing"])
                .prop_map(Field::Raw),
        ]
    }

    fn ours(records: &[Vec<Field>]) -> Vec<u8> {
        let mut out = Vec::new();
        for fields in records {
            let mut record = Record::new(&mut out);
            for field in fields {
                match field {
                    Field::Text(text) => record.text(text),
                    Field::Raw(raw) => record.raw(raw.as_bytes()),
                }
            }
            record.end();
        }
        out
    }

    fn the_crates(records: &[Vec<Field>]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut csv = writer(&mut out);
        for fields in records {
            for field in fields {
                match field {
                    Field::Text(text) => csv.write_field(escape::csv_cell(text).as_bytes()),
                    Field::Raw(raw) => csv.write_field(raw),
                }
                .unwrap();
            }
            csv.write_record(None::<&[u8]>).unwrap();
        }
        drop(csv);
        out
    }

    #[test]
    fn records_are_written_as_the_csv_crate_writes_them() {
        let records = vec![vec![
            Field::Raw("1"),
            Field::Text("Sở Nội vụ, \"tỉnh\" Lạng Sơn".into()),
            Field::Text("=1+1".into()),
            Field::Text("dòng\r\nhai".into()),
            Field::Raw(""),
            Field::Raw("n/a"),
        ]];
        let ours = ours(&records);
        assert_eq!(
            String::from_utf8_lossy(&ours),
            "1,\"Sở Nội vụ, \"\"tỉnh\"\" Lạng Sơn\",'=1+1,\"dòng\r\nhai\",,n/a\n"
        );
        assert_eq!(ours, the_crates(&records));
    }

    #[test]
    fn points_text_is_the_points_written() {
        let mut memo = PointsText::new(1);
        for units in (0..40).chain(0..40).map(|u| u * 125 - 300) {
            for scale in [0, 2, 3] {
                let mut expected = vec![b','];
                write_scaled(&mut expected, units, scale);
                let slot = memo.slot(0, units, scale);
                match memo.kept(0, slot) {
                    Some(text) => assert_eq!(
                        &text.bytes[..usize::from(text.len)],
                        &expected[..],
                        "{units} {scale}"
                    ),
                    None => assert_eq!(slot, PointsText::NOT_KEPT),
                }
            }
        }
        assert_eq!(memo.seen[0].len(), usize::from(PointsText::KEPT));
    }

    proptest! {
        #[test]
        fn any_records_are_written_as_the_csv_crate_writes_them(
            records in prop::collection::vec(prop::collection::vec(field(), 2..8), 1..4)
        ) {
            prop_assert_eq!(ours(&records), the_crates(&records));
        }
    }
}
