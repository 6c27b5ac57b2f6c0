//! The criteria fields of a spooled part's rows (see `pipeline::spooled`), as
//! [`CsvWriter::rows_coded`](super::CsvWriter::rows_coded) writes them: the text of every
//! field the part's rows hold is made once, and a row is copies of it.
//!
//! A row with every criterion has two fields a criterion (its points and its status), most of
//! them one of a few texts: a criterion the spool coded takes at most a few values in a
//! part, and a criterion whose points vary (a rate times a maximum) repeats the values its
//! rates repeat. Looking each field up where it was written costs a few nanoseconds; finding
//! its text again from the figures cost several times that.

use parscore::Status;
use parscore_columnar::Figures;

use super::{
    CodedPoints, NOT_APPLICABLE_POINTS, Record, STATUS_FIELDS, STATUS_PAIRS, Short, status_code,
    write_scaled,
};

/// Every criterion's points field for each row of a part's engine figures, and its status.
pub struct PartFields<'c> {
    /// Every field's text, comma first, with [`Short::SIZE`] bytes after the last, so that
    /// any field is copied at a length known when compiled.
    text: Vec<u8>,
    criteria: Vec<Criterion<'c>>,
}

/// Where one criterion's fields are in [`PartFields::text`].
enum Criterion<'c> {
    /// Kept by the spool as a few values: each row's code (its status as
    /// [`STATUSES`](super::STATUSES) places it in the low two bits, its value's position above
    /// them, as [`CodedPoints`] says) and the field of each code.
    Coded {
        codes: &'c [u8],
        fields: Box<[Span; CODES]>,
    },
    /// Each row's status code and field.
    Rows { codes: Vec<u8>, fields: Vec<Span> },
}

/// Codes of a coded criterion: two bits of status, and positions of values above them (the
/// spool keeps at most 15 values a criterion).
const CODES: usize = 64;

/// A field in [`PartFields::text`].
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

/// The field of a criterion without a status (a failed row, figures not kept): its comma.
const EMPTY: Span = Span { start: 0, len: 1 };
/// The points field of a criterion that does not apply.
const NOT_APPLICABLE: Span = Span { start: 1, len: 4 };

/// Rows of a criterion after which [`PartFields`] stops looking its values up when most of
/// them were new: looking up values that hardly repeat costs a third of writing them.
const SAMPLED: usize = 256;

impl<'c> PartFields<'c> {
    /// The fields of the `leaves` criteria of `figures`, those the spool `coded` from their
    /// codes, the others from the figures.
    pub fn of(
        figures: &Figures,
        coded: &'c [Option<CodedPoints<'c>>],
        leaves: usize,
    ) -> PartFields<'c> {
        let rows = figures.len();
        let mut text = Vec::with_capacity(64 * 1024);
        text.extend_from_slice(&STATUS_FIELDS[0].bytes[..1]);
        text.extend_from_slice(&NOT_APPLICABLE_POINTS.bytes[..4]);
        let mut values = Values::new(rows);
        let criteria = (0..leaves)
            .map(|leaf| match coded.get(leaf).copied().flatten() {
                Some(coded) => {
                    // A code past the values is a part the spool's reading refuses.
                    let mut fields = Box::new([EMPTY; CODES]);
                    for (slot, &units) in coded.values.iter().enumerate().take(CODES / 4) {
                        let field = compose(&mut text, units, coded.scale);
                        for status in [Status::Scored, Status::Missing] {
                            fields[slot << 2 | usize::from(status_code(status))] = field;
                        }
                        fields[slot << 2 | usize::from(status_code(Status::NotApplicable))] =
                            NOT_APPLICABLE;
                    }
                    Criterion::Coded {
                        codes: coded.codes,
                        fields,
                    }
                }
                None => match (figures.criteria.get(leaf), figures.statuses.get(leaf)) {
                    (Some(points), Some(statuses)) => {
                        let scale = points.scale();
                        let mut codes = Vec::with_capacity(rows);
                        let mut fields = Vec::with_capacity(rows);
                        values.clear();
                        // A field for every row, whatever the columns hold.
                        for row in 0..rows {
                            let status = statuses.get(row).copied().flatten();
                            codes.push(status.map_or(0, status_code));
                            fields.push(match (status, points.mantissas().get(row)) {
                                (None, _) | (_, None) => EMPTY,
                                (Some(Status::NotApplicable), _) => NOT_APPLICABLE,
                                (Some(_), Some(&units)) => values.field(&mut text, units, scale),
                            });
                        }
                        Criterion::Rows { codes, fields }
                    }
                    _ => Criterion::Coded {
                        codes: &[],
                        fields: Box::new([EMPTY; CODES]),
                    },
                },
            })
            .collect();
        text.extend_from_slice(&[0; Short::SIZE]);
        PartFields { text, criteria }
    }

    /// Row `row` of the figures' criteria fields into `record`: every criterion's points,
    /// then every criterion's status.
    pub(super) fn write(&self, record: &mut Record<'_>, row: usize) {
        // Written into room made for the row's fields (their length is known first), at a
        // place kept here: a `Vec` written field by field keeps its length in memory, and
        // each field waited on the last one's.
        let pairs = self.criteria.chunks_exact(2);
        let statuses =
            |pair: &[Criterion<'_>]| &STATUS_PAIRS[pair[0].status(row) * 4 + pair[1].status(row)];
        let lone = pairs
            .remainder()
            .first()
            .map(|c| &STATUS_FIELDS[c.status(row)]);
        let len: usize = self
            .criteria
            .iter()
            .map(|c| c.field(row).len as usize)
            .sum::<usize>()
            + pairs
                .clone()
                .map(|pair| usize::from(statuses(pair).len))
                .sum::<usize>()
            + lone.map_or(0, |short| usize::from(short.len));
        let out = &mut *record.out;
        let at = out.len();
        out.resize(at + len + Short::SIZE, 0);
        let room = &mut out[at..];
        let mut end = 0;
        for criterion in &self.criteria {
            let field = criterion.field(row);
            let (start, len) = (field.start as usize, field.len as usize);
            if len <= Short::SIZE {
                room[end..end + Short::SIZE]
                    .copy_from_slice(&self.text[start..start + Short::SIZE]);
            } else {
                room[end..end + len].copy_from_slice(&self.text[start..start + len]);
            }
            end += len;
        }
        for short in pairs.map(statuses).chain(lone) {
            room[end..end + Short::SIZE].copy_from_slice(&short.bytes);
            end += usize::from(short.len);
        }
        out.truncate(at + end);
        record.fields += 2 * self.criteria.len();
    }
}

impl Criterion<'_> {
    fn code(&self, row: usize) -> u8 {
        let codes = match self {
            Criterion::Coded { codes, .. } => codes,
            Criterion::Rows { codes, .. } => codes.as_slice(),
        };
        codes.get(row).copied().unwrap_or(0)
    }

    /// The row's status, as [`STATUS_FIELDS`] places it.
    fn status(&self, row: usize) -> usize {
        usize::from(self.code(row) & 3)
    }

    fn field(&self, row: usize) -> Span {
        match self {
            Criterion::Coded { fields, .. } => fields[usize::from(self.code(row)) % CODES],
            Criterion::Rows { fields, .. } => fields.get(row).copied().unwrap_or(EMPTY),
        }
    }
}

/// `units × 10^-scale` as a field at the end of `text`.
fn compose(text: &mut Vec<u8>, units: i128, scale: u32) -> Span {
    let start = text.len();
    text.push(b',');
    write_scaled(text, units, scale);
    Span {
        start: start as u32,
        len: (text.len() - start) as u32,
    }
}

/// The fields of one criterion's values in a part, each written once: an open-addressed
/// table over twice the rows, each slot a position in `seen` or empty.
struct Values {
    table: Vec<u32>,
    seen: Vec<(i128, Span)>,
    shift: u32,
    /// Values met since the last [`Values::clear`].
    met: usize,
    /// Whether values are still looked up (see [`SAMPLED`]).
    looking: bool,
}

impl Values {
    fn new(rows: usize) -> Values {
        let slots = (2 * rows).next_power_of_two().max(2);
        Values {
            table: vec![u32::MAX; slots],
            seen: Vec::new(),
            shift: 64 - slots.trailing_zeros(),
            met: 0,
            looking: true,
        }
    }

    fn clear(&mut self) {
        self.table.fill(u32::MAX);
        self.seen.clear();
        self.met = 0;
        self.looking = true;
    }

    /// The field of `units × 10^-scale` points.
    fn field(&mut self, text: &mut Vec<u8>, units: i128, scale: u32) -> Span {
        self.met += 1;
        if self.met == SAMPLED && self.seen.len() > SAMPLED * 3 / 4 {
            self.looking = false;
        }
        if !self.looking {
            return compose(text, units, scale);
        }
        let mask = self.table.len() - 1;
        let hash = (units as u64 ^ (units >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut slot = (hash >> self.shift) as usize;
        loop {
            match self.table[slot] {
                u32::MAX => {
                    let field = compose(text, units, scale);
                    self.table[slot] = self.seen.len() as u32;
                    self.seen.push((units, field));
                    return field;
                }
                known if self.seen[known as usize].0 == units => {
                    return self.seen[known as usize].1;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{figures_with, status};
    use super::*;
    use proptest::prelude::*;

    /// A criterion's column: points (from a few values or many) and statuses, and whether
    /// the spool codes it.
    fn column(rows: usize) -> impl Strategy<Value = (Vec<i128>, Vec<Option<Status>>, bool)> {
        let few = prop::collection::vec(-3..12i128, rows).boxed();
        let many = prop::collection::vec(any::<i128>().prop_map(|u| u >> 9), rows).boxed();
        (
            prop_oneof![few, many],
            prop::collection::vec(status(), rows),
            any::<bool>(),
        )
    }

    /// The spool's coding of a column, when it takes few values.
    fn coding(points: &[i128], statuses: &[Option<Status>]) -> Option<(Vec<i128>, Vec<u8>)> {
        let mut values: Vec<i128> = Vec::new();
        let mut codes = Vec::new();
        for (&units, &status) in points.iter().zip(statuses) {
            let slot = match values.iter().position(|&v| v == units) {
                Some(slot) => slot,
                None if values.len() < 15 => {
                    values.push(units);
                    values.len() - 1
                }
                None => return None,
            };
            codes.push(status.map_or(0, status_code) | (slot as u8) << 2);
        }
        Some((values, codes))
    }

    proptest! {
        #[test]
        fn a_rows_fields_are_its_points_and_statuses_written(
            (columns, scale) in (0usize..600).prop_flat_map(|rows| {
                (prop::collection::vec(column(rows), 1..5), 0u32..=28)
            }),
        ) {
            let figures = figures_with(
                columns.iter().map(|(p, s, _)| (p.clone(), s.clone())).collect(),
                scale,
            );
            let codings: Vec<_> = columns
                .iter()
                .map(|(points, statuses, coded)| coded.then(|| coding(points, statuses)).flatten())
                .collect();
            let coded: Vec<_> = codings
                .iter()
                .map(|coding| {
                    coding.as_ref().map(|(values, codes)| CodedPoints { values, scale, codes })
                })
                .collect();
            let fields = PartFields::of(&figures, &coded, columns.len());
            for row in 0..figures.len() {
                let mut out = Vec::new();
                let mut record = Record::new(&mut out);
                record.usize(row);
                fields.write(&mut record, row);
                let mut expected = row.to_string();
                for (points, statuses, _) in &columns {
                    expected.push(',');
                    match statuses[row] {
                        None => {}
                        Some(Status::NotApplicable) => expected.push_str("n/a"),
                        Some(_) => {
                            let mut text = Vec::new();
                            write_scaled(&mut text, points[row], scale);
                            expected.push_str(std::str::from_utf8(&text).unwrap());
                        }
                    }
                }
                for (_, statuses, _) in &columns {
                    expected.push(',');
                    expected.push_str(statuses[row].map_or("", Status::name));
                }
                prop_assert_eq!(String::from_utf8(out).unwrap(), expected);
            }
        }
    }
}
