//! A part of a chunk's results as the spool keeps them: the engine's figures in binary (a
//! criterion's points and status in one variable-length integer, most of them a byte or two),
//! and the text of the few rows not scored by the engine (a failed row, a row evaluated on
//! its own), rendered on the first pass with where their rank goes. Read back, a part gives
//! the same [`ResultRow`]s the first pass had, so that the writers render them as they render
//! any row: the bytes of the output do not depend on the spool.

use std::borrow::Cow;
use std::ops::Range;

use arrow_array::StringArray;
use parscore::{Decimal, Status};
use parscore_columnar::{CriterionPoints, Figures};

use super::sink::bad_row;
use crate::input::Place;
use crate::output::csv::{self, CodedPoints, STATUSES};
use crate::output::result_row::{Outcome, ResultRow};

/// A part read back: its rows' figures, places, labels and text, as owned data that
/// [`Spooled::rows`] lends to the writers.
pub struct Spooled {
    /// The inputs' row (from 1) of the part's first row.
    first_row: usize,
    places: Vec<Place>,
    labels: String,
    /// Unit and period of each row, as ranges of `labels`.
    units: Vec<Option<Range<usize>>>,
    periods: Vec<Option<Range<usize>>>,
    /// Per row: its place among the engine's rows (`figures`), or among `texts`.
    rows: Vec<Kept>,
    figures: Figures,
    /// By criterion, when the part kept its points as a few values: those values and each
    /// engine row's code.
    coded: Vec<Option<Dictionary>>,
    /// Rows rendered on the first pass: their text, and where in it their rank goes.
    texts: Vec<(Vec<u8>, Option<usize>)>,
    /// Lines for standard error, each after the row (from 0 in the part) they are of.
    pub messages: Vec<(usize, String)>,
}

/// A criterion's points and statuses in a part, as read back.
struct Column {
    points: Vec<i128>,
    statuses: Vec<Option<Status>>,
    /// The values and codes, when it kept a few values.
    dictionary: Option<Dictionary>,
}

/// A criterion's values in a part and each engine row's code (see [`Writer::criterion`]).
struct Dictionary {
    values: Vec<i128>,
    codes: Vec<u8>,
}

#[derive(Clone, Copy)]
enum Kept {
    Engine(usize),
    Text(usize),
}

/// One row of a part, as the second pass writes it.
pub enum Row<'a> {
    /// A row of the engine's figures, to render with its rank.
    Result(ResultRow<'a>),
    /// A row rendered on the first pass, and where in its text its rank goes.
    Text(&'a [u8], Option<usize>),
}

/// Values of a criterion kept once for a part, at most: a row's byte holds its status in two
/// bits and which value in the rest.
const DICTIONARY: usize = 15;

/// Writes the rows of a part (each row's figures from the engine, or its text rendered by
/// `render` with where its rank goes) into `out`; `criteria` keeps each criterion's points
/// and status, which only an output with them needs. The lines of bad rows for standard
/// error go with them unless `quiet`.
pub fn encode(
    rows: &[ResultRow<'_>],
    criteria: bool,
    quiet: bool,
    render: impl Fn(&ResultRow<'_>, &mut Vec<u8>) -> Option<usize>,
    out: &mut Vec<u8>,
) {
    let mut w = Writer(out);
    w.number(rows.len() as u64);
    w.number(rows.first().map_or(0, |r| r.row) as u64);
    let mut file: Option<&str> = None;
    for row in rows {
        w.place(&row.place, &mut file);
        w.label(row.unit);
        w.label(row.period);
    }
    let engine: Vec<(&Figures, usize)> = rows
        .iter()
        .filter_map(|row| match row.outcome {
            Outcome::Columns { figures, row } => Some((figures, row)),
            _ => None,
        })
        .collect();
    for row in rows {
        w.0.push(u8::from(!matches!(row.outcome, Outcome::Columns { .. })));
    }
    let sections = engine.first().map_or((false, false), |(f, _)| {
        (!f.bonus.is_empty(), !f.penalties.is_empty())
    });
    w.0.push(u8::from(sections.0) | u8::from(sections.1) << 1);
    for &(f, r) in &engine {
        w.decimal(f.points[r]);
        w.decimal(f.max_points[r]);
        if sections.0 {
            w.decimal(f.bonus[r]);
        }
        if sections.1 {
            w.decimal(f.penalties[r]);
        }
        match f.index[r] {
            Some(index) => {
                w.0.push(1);
                w.decimal(index);
            }
            None => w.0.push(0),
        }
        w.number(f.grades[r].map_or(0, |g| g as u64 + 1));
        w.number(u64::from(f.missing.get(r).copied().unwrap_or(0)));
        w.decimal(f.missing_points.get(r).copied().unwrap_or_default());
    }
    // Each criterion's points and status, column by column, as the engine keeps them.
    let leaves = match (criteria, engine.first()) {
        (true, Some((f, _))) => f.criteria.len().min(f.statuses.len()),
        _ => 0,
    };
    w.number(leaves as u64);
    for leaf in 0..leaves {
        // Each engine row's figures are one chunk's: one scale.
        let scale = engine[0].0.criteria[leaf].scale();
        w.number(u64::from(scale));
        match consecutive(&engine) {
            // Rows one after the other, as a part of a chunk nearly always holds: the
            // columns' own slices.
            Some((f, rows)) => w.criterion(
                &f.criteria[leaf].mantissas()[rows.clone()],
                &f.statuses[leaf][rows],
            ),
            None => {
                let points: Vec<i128> = engine
                    .iter()
                    .map(|&(f, r)| f.criteria[leaf].mantissas()[r])
                    .collect();
                let statuses: Vec<Option<Status>> =
                    engine.iter().map(|&(f, r)| f.statuses[leaf][r]).collect();
                w.criterion(&points, &statuses);
            }
        }
    }
    let mut text = Vec::new();
    for row in rows
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Columns { .. }))
    {
        text.clear();
        let rank_at = render(row, &mut text);
        w.bytes(&text);
        w.number(rank_at.map_or(0, |at| at as u64 + 1));
    }
    let messages: Vec<(usize, String)> = if quiet {
        Vec::new()
    } else {
        rows.iter()
            .enumerate()
            .filter_map(|(at, row)| Some((at, bad_row(row, row.outcome.error()?))))
            .collect()
    };
    w.number(messages.len() as u64);
    for (at, message) in &messages {
        w.number(*at as u64);
        w.bytes(message.as_bytes());
    }
}

impl Spooled {
    /// A part as [`encode`] wrote it; `None` when the bytes are not one (a spool damaged
    /// under the run).
    pub fn decode(bytes: &[u8]) -> Option<Spooled> {
        let mut r = Reader(bytes);
        let n = r.count()?;
        // Each row takes some bytes: a count past them is a damaged part, not an allocation.
        if n > bytes.len() {
            return None;
        }
        let first_row = r.count()?;
        let mut places = Vec::with_capacity(n);
        let mut labels = String::new();
        let (mut units, mut periods) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut file = String::new();
        for _ in 0..n {
            places.push(r.place(&mut file)?);
            units.push(r.label(&mut labels)?);
            periods.push(r.label(&mut labels)?);
        }
        let (mut engine, mut texts) = (0, 0);
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            rows.push(match r.byte()? {
                0 => {
                    engine += 1;
                    Kept::Engine(engine - 1)
                }
                _ => {
                    texts += 1;
                    Kept::Text(texts - 1)
                }
            });
        }
        let sections = r.byte()?;
        let mut figures = Figures {
            units: StringArray::from(Vec::<Option<&str>>::new()),
            periods: StringArray::from(Vec::<Option<&str>>::new()),
            errors: Vec::new(),
            points: Vec::with_capacity(engine),
            max_points: Vec::with_capacity(engine),
            index: Vec::with_capacity(engine),
            grades: Vec::with_capacity(engine),
            ranks: Vec::new(),
            bonus: Vec::new(),
            penalties: Vec::new(),
            tie_keys: Vec::new(),
            criteria: Vec::new(),
            statuses: Vec::new(),
            missing: Vec::with_capacity(engine),
            missing_points: Vec::with_capacity(engine),
        };
        for _ in 0..engine {
            figures.points.push(r.decimal()?);
            figures.max_points.push(r.decimal()?);
            if sections & 1 != 0 {
                figures.bonus.push(r.decimal()?);
            }
            if sections & 2 != 0 {
                figures.penalties.push(r.decimal()?);
            }
            figures.index.push(match r.byte()? {
                0 => None,
                _ => Some(r.decimal()?),
            });
            figures.grades.push(r.count()?.checked_sub(1));
            figures.missing.push(u32::try_from(r.number()?).ok()?);
            figures.missing_points.push(r.decimal()?);
        }
        let leaves = r.count()?;
        let mut coded = Vec::with_capacity(leaves.min(bytes.len()));
        for _ in 0..leaves {
            let scale = u32::try_from(r.number()?).ok()?;
            let column = r.criterion(engine)?;
            figures
                .criteria
                .push(CriterionPoints::from_mantissas(column.points, scale)?);
            figures.statuses.push(column.statuses);
            coded.push(column.dictionary);
        }
        let mut kept = Vec::with_capacity(texts);
        for _ in 0..texts {
            let text = r.bytes()?.to_vec();
            let rank_at = r.count()?.checked_sub(1);
            if rank_at.is_some_and(|at| at > text.len()) {
                return None;
            }
            kept.push((text, rank_at));
        }
        let mut messages = Vec::new();
        for _ in 0..r.count()? {
            let at = r.count()?;
            let message = String::from_utf8(r.bytes()?.to_vec()).ok()?;
            messages.push((at, message));
        }
        r.0.is_empty().then_some(Spooled {
            first_row,
            places,
            labels,
            units,
            periods,
            rows,
            figures,
            coded,
            texts: kept,
            messages,
        })
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The inputs' row (from 1) of the part's first row.
    pub fn first_row(&self) -> usize {
        self.first_row
    }

    /// The engine's figures of the part's rows (their criteria's points and statuses).
    pub fn figures(&self) -> &Figures {
        &self.figures
    }

    /// The criteria kept as a few values, by criterion (`None` for one whose points vary
    /// in the part), each row's code by its place among the engine's rows.
    pub fn coded(&self) -> Vec<Option<CodedPoints<'_>>> {
        self.coded
            .iter()
            .zip(&self.figures.criteria)
            .map(|(coded, points)| {
                coded.as_ref().map(|dictionary| CodedPoints {
                    values: &dictionary.values,
                    scale: points.scale(),
                    codes: &dictionary.codes,
                })
            })
            .collect()
    }

    /// Each row, with the rank `rank` gives the row at (from 0 in the part) for the engine's.
    pub fn rows(&self, rank: impl Fn(usize) -> Option<usize>) -> impl Iterator<Item = Row<'_>> {
        let label = |range: &Option<Range<usize>>| range.clone().map(|r| &self.labels[r]);
        self.rows
            .iter()
            .enumerate()
            .map(move |(at, kept)| match *kept {
                Kept::Engine(row) => Row::Result(ResultRow {
                    row: self.first_row + at,
                    place: Cow::Borrowed(&self.places[at]),
                    unit: label(&self.units[at]),
                    period: label(&self.periods[at]),
                    outcome: Outcome::Columns {
                        figures: &self.figures,
                        row,
                    },
                    rank: rank(at),
                }),
                Kept::Text(text) => {
                    let (bytes, rank_at) = &self.texts[text];
                    Row::Text(bytes, *rank_at)
                }
            })
    }
}

/// The figures and their rows, when the engine's rows are rows one after the other of one
/// chunk's figures.
fn consecutive<'f>(engine: &[(&'f Figures, usize)]) -> Option<(&'f Figures, Range<usize>)> {
    let &(figures, start) = engine.first()?;
    let all = engine
        .iter()
        .enumerate()
        .all(|(at, &(f, r))| std::ptr::eq(f, figures) && r == start + at);
    all.then_some((figures, start..start + engine.len()))
}

/// The fewest bytes that hold every one of `numbers` in two's complement: 1, 2, 4, 8 or 16.
fn width(numbers: &[i128]) -> usize {
    let (low, high) = numbers
        .iter()
        .fold((0i128, 0i128), |(low, high), &n| (low.min(n), high.max(n)));
    [1usize, 2, 4, 8]
        .into_iter()
        .find(|&bytes| {
            let bits = 8 * bytes as u32;
            low >= -(1i128 << (bits - 1)) && high < (1i128 << (bits - 1))
        })
        .unwrap_or(16)
}

/// Kinds of [`Place`] in the spool.
const LINE: u8 = 0;
const OBJECT: u8 = 1;
const SHEET_ROW: u8 = 2;
const ROW: u8 = 3;
const RECORDS: u8 = 4;

struct Writer<'o>(&'o mut Vec<u8>);

impl Writer<'_> {
    /// LEB128: seven bits a byte, lowest first.
    fn number(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    /// A criterion's points and statuses in a part. Most criteria give a part's rows a few
    /// values (met or not, full points or none): those values are written once, and each
    /// row's status and value are one byte. Others are written row by row.
    fn criterion(&mut self, points: &[i128], statuses: &[Option<Status>]) {
        let mut values = [0i128; DICTIONARY];
        let mut kept = 0;
        let mut codes = Vec::with_capacity(points.len());
        for (&p, &status) in points.iter().zip(statuses) {
            let at = match values[..kept].iter().position(|&v| v == p) {
                Some(at) => at,
                None if kept < DICTIONARY => {
                    values[kept] = p;
                    kept += 1;
                    kept - 1
                }
                None => {
                    kept = 0;
                    break;
                }
            };
            codes.push(csv::status_code(status) | (at as u8) << 2);
        }
        self.0.push(kept as u8);
        if kept > 0 {
            self.integers(&values[..kept]);
            self.0.extend_from_slice(&codes);
        } else {
            self.integers(points);
            self.0.extend(statuses.iter().map(|&s| csv::status_code(s)));
        }
    }

    /// Integers at the width that holds them all (a criterion's points in a part need a
    /// byte or a few), in a loop the compiler makes short.
    fn integers(&mut self, numbers: &[i128]) {
        let bytes = width(numbers);
        self.0.push(bytes as u8);
        let out = &mut *self.0;
        out.reserve(numbers.len() * bytes);
        // A loop per width: a copy of a width known only at run time is a call per number.
        match bytes {
            1 => out.extend(numbers.iter().map(|&n| n as i8 as u8)),
            2 => numbers
                .iter()
                .for_each(|&n| out.extend_from_slice(&(n as i16).to_le_bytes())),
            4 => numbers
                .iter()
                .for_each(|&n| out.extend_from_slice(&(n as i32).to_le_bytes())),
            8 => numbers
                .iter()
                .for_each(|&n| out.extend_from_slice(&(n as i64).to_le_bytes())),
            _ => numbers
                .iter()
                .for_each(|&n| out.extend_from_slice(&n.to_le_bytes())),
        }
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.number(bytes.len() as u64);
        self.0.extend_from_slice(bytes);
    }

    fn decimal(&mut self, d: Decimal) {
        self.0.extend_from_slice(&d.serialize());
    }

    fn label(&mut self, label: Option<&str>) {
        match label {
            Some(text) => {
                self.number(text.len() as u64 + 1);
                self.0.extend_from_slice(text.as_bytes());
            }
            None => self.number(0),
        }
    }

    /// A place: its kind, its file (`0` for the previous row's), and its number.
    fn place<'p>(&mut self, place: &'p Place, previous: &mut Option<&'p str>) {
        let mut file = |w: &mut Self, file: &'p str| {
            if *previous == Some(file) {
                w.number(0);
            } else {
                w.label(Some(file));
                *previous = Some(file);
            }
        };
        match place {
            Place::Line { file: f, line } => {
                self.0.push(LINE);
                file(self, f);
                self.number(*line);
            }
            Place::Object { file: f, index } => {
                self.0.push(OBJECT);
                file(self, f);
                self.number(*index as u64);
            }
            Place::SheetRow {
                file: f,
                sheet,
                row,
            } => {
                self.0.push(SHEET_ROW);
                file(self, f);
                self.bytes(sheet.as_bytes());
                self.number(u64::from(*row));
            }
            Place::Row { file: f, row } => {
                self.0.push(ROW);
                file(self, f);
                self.number(*row as u64);
            }
            Place::Records { files } => {
                self.0.push(RECORDS);
                self.number(files.len() as u64);
                for f in files {
                    self.bytes(f.as_bytes());
                }
            }
        }
    }
}

struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for (i, &b) in self.0.iter().take(10).enumerate() {
            n |= u64::from(b & 0x7f).checked_shl(7 * i as u32)?;
            if b < 0x80 {
                // The tenth byte holds one bit.
                if i == 9 && b > 1 {
                    return None;
                }
                self.0 = &self.0[i + 1..];
                return Some(n);
            }
        }
        None
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }

    /// The `n` points and statuses of a criterion written by [`Writer::criterion`], and its
    /// values and codes when it kept a few values.
    fn criterion(&mut self, n: usize) -> Option<Column> {
        let kept = usize::from(self.byte()?);
        if kept > DICTIONARY {
            return None;
        }
        if kept == 0 {
            let points = self.integers(n)?;
            let statuses = self
                .take(n)?
                .iter()
                .map(|&code| STATUSES.get(usize::from(code)).copied())
                .collect::<Option<_>>()?;
            return Some(Column {
                points,
                statuses,
                dictionary: None,
            });
        }
        let values = self.integers(kept)?;
        let codes = self.take(n)?;
        let points = codes
            .iter()
            .map(|&code| values.get(usize::from(code >> 2)).copied())
            .collect::<Option<_>>()?;
        let statuses = codes
            .iter()
            .map(|&code| STATUSES[usize::from(code & 3)])
            .collect();
        let codes = codes.to_vec();
        Some(Column {
            points,
            statuses,
            dictionary: Some(Dictionary { values, codes }),
        })
    }

    /// `n` integers written by [`Writer::integers`].
    fn integers(&mut self, n: usize) -> Option<Vec<i128>> {
        let bytes = usize::from(self.byte()?);
        if !matches!(bytes, 1 | 2 | 4 | 8 | 16) {
            return None;
        }
        let taken = self.take(n.checked_mul(bytes)?)?;
        fn read<const N: usize>(taken: &[u8], number: fn([u8; N]) -> i128) -> Vec<i128> {
            taken
                .chunks_exact(N)
                .map(|b| number(b.try_into().unwrap_or([0; N])))
                .collect()
        }
        Some(match bytes {
            1 => taken.iter().map(|&b| i128::from(b as i8)).collect(),
            2 => read::<2>(taken, |b| i16::from_le_bytes(b).into()),
            4 => read::<4>(taken, |b| i32::from_le_bytes(b).into()),
            8 => read::<8>(taken, |b| i64::from_le_bytes(b).into()),
            _ => read::<16>(taken, i128::from_le_bytes),
        })
    }

    fn bytes(&mut self) -> Option<&'b [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    fn text(&mut self) -> Option<&'b str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn decimal(&mut self) -> Option<Decimal> {
        let bytes: [u8; 16] = self.take(16)?.try_into().ok()?;
        // Flags a decimal never has (a scale past 28) would make one that prints wrong.
        let scale = bytes[2];
        (scale <= 28 && bytes[0] == 0 && bytes[1] == 0 && bytes[3] & 0x7f == 0)
            .then(|| Decimal::deserialize(bytes))
    }

    /// A label into `labels`, as the range it takes there.
    fn label(&mut self, labels: &mut String) -> Option<Option<Range<usize>>> {
        match self.count()? {
            0 => Some(None),
            n => {
                let text = std::str::from_utf8(self.take(n - 1)?).ok()?;
                let start = labels.len();
                labels.push_str(text);
                Some(Some(start..labels.len()))
            }
        }
    }

    fn place(&mut self, previous: &mut String) -> Option<Place> {
        let kind = self.byte()?;
        if kind == RECORDS {
            let n = self.count()?;
            let mut files = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                files.push(self.text()?.to_string());
            }
            return Some(Place::Records { files });
        }
        match self.count()? {
            0 => {}
            n => *previous = std::str::from_utf8(self.take(n - 1)?).ok()?.to_string(),
        }
        let file = previous.clone();
        Some(match kind {
            LINE => Place::Line {
                file,
                line: self.number()?,
            },
            OBJECT => Place::Object {
                file,
                index: self.count()?,
            },
            SHEET_ROW => Place::SheetRow {
                file,
                sheet: self.text()?.to_string(),
                row: u32::try_from(self.number()?).ok()?,
            },
            ROW => Place::Row {
                file,
                row: self.count()?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn integers_come_back_as_they_went(
            numbers in prop::collection::vec(any::<i128>(), 0..20),
            small in prop::collection::vec(-300i128..300, 0..20),
            n in any::<u64>(),
        ) {
            for numbers in [&numbers, &small] {
                let mut bytes = Vec::new();
                Writer(&mut bytes).integers(numbers);
                let mut r = Reader(&bytes);
                let read = r.integers(numbers.len());
                prop_assert_eq!(read.as_ref(), Some(numbers));
                prop_assert!(r.0.is_empty());
            }
            let mut bytes = Vec::new();
            Writer(&mut bytes).number(n);
            prop_assert_eq!(Reader(&bytes).number(), Some(n));
        }

        #[test]
        fn a_criterion_comes_back_as_it_went(
            few in prop::collection::vec((0usize..4, 0u8..4), 0..60),
            many in prop::collection::vec((any::<i64>(), 0u8..4), 0..60),
        ) {
            let values = [0i128, 5, -7, 10i128.pow(30)];
            let few: Vec<(i128, u8)> = few.into_iter().map(|(v, s)| (values[v], s)).collect();
            let many: Vec<(i128, u8)> = many.into_iter().map(|(v, s)| (i128::from(v), s)).collect();
            for cells in [few, many] {
                let points: Vec<i128> = cells.iter().map(|c| c.0).collect();
                let statuses: Vec<Option<Status>> =
                    cells.iter().map(|c| STATUSES[usize::from(c.1)]).collect();
                let mut bytes = Vec::new();
                Writer(&mut bytes).criterion(&points, &statuses);
                let mut r = Reader(&bytes);
                let column = r.criterion(points.len()).unwrap();
                prop_assert_eq!(&column.points, &points);
                prop_assert_eq!(&column.statuses, &statuses);
                prop_assert!(r.0.is_empty());
                // The codes give each row's value and status again.
                if let Some(Dictionary { values, codes }) = column.dictionary {
                    for ((point, status), code) in points.iter().zip(&statuses).zip(codes) {
                        prop_assert_eq!(values[usize::from(code >> 2)], *point);
                        prop_assert_eq!(STATUSES[usize::from(code & 3)], *status);
                    }
                }
            }
        }

        #[test]
        fn decimals_and_places_come_back_as_they_went(
            mantissa in any::<i64>(), scale in 0u32..=28, line in any::<u64>(),
            file in "\\PC{0,12}", sheet in "\\PC{0,8}",
        ) {
            let d = Decimal::new(mantissa, scale);
            let places = [
                Place::Line { file: file.clone(), line },
                Place::Line { file: file.clone(), line: line / 2 },
                Place::SheetRow { file: "Sổ.xlsx".into(), sheet: sheet.clone(), row: line as u32 },
                Place::Records { files: vec![file.clone(), "hồ sơ.csv".into()] },
                Place::Row { file: file.clone(), row: line as usize },
                Place::Object { file, index: 3 },
            ];
            let mut bytes = Vec::new();
            let mut w = Writer(&mut bytes);
            w.decimal(d);
            let mut previous = None;
            for place in &places {
                w.place(place, &mut previous);
            }
            let mut r = Reader(&bytes);
            prop_assert_eq!(r.decimal(), Some(d));
            let mut previous = String::new();
            for place in &places {
                let read = r.place(&mut previous);
                prop_assert_eq!(read.as_ref(), Some(place));
            }
            prop_assert!(r.0.is_empty());
        }
    }

    #[test]
    fn a_damaged_part_is_refused_not_read() {
        assert!(Spooled::decode(&[]).is_none());
        assert!(Spooled::decode(&[0xff; 40]).is_none());
        // A count of rows far past the bytes.
        assert!(Spooled::decode(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1]).is_none());
        // A decimal whose scale no decimal has.
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&[0, 0, 40, 0]);
        bytes.extend_from_slice(&[0; 12]);
        assert!(Reader(&bytes).decimal().is_none());
    }
}
