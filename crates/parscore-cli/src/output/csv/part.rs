//! The criteria fields of a spooled part's rows (see `pipeline::spooled`), as
//! [`CsvWriter::rows_of_part`](super::CsvWriter::rows_of_part) writes them: the text of
//! every field the part's rows hold is made once, and a row is copies of it.
//!
//! A row with every criterion has two fields a criterion (its points and its status), most of
//! them one of a few texts: a criterion the spool coded takes at most a few values in a
//! part, and a criterion whose points vary (a rate times a maximum) repeats the values its
//! rates repeat. Looking each field up where it was written costs a few nanoseconds; finding
//! its text again from the figures costs several times that.

use parscore::Status;
use parscore_columnar::Figures;

use super::{
    CodedPoints, NOT_APPLICABLE_POINTS, Record, STATUS_FIELDS, Short, status_code, status_pair,
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
    /// No points in the figures (a criterion past their columns): no status, no points.
    Absent,
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

/// The field of a criterion without a status (a failed row, figures not kept): its comma,
/// first in [`PartFields::text`].
const EMPTY: Span = Span {
    start: 0,
    len: STATUS_FIELDS[0].len as u32,
};
/// The points field of a criterion that does not apply, after [`EMPTY`].
const NOT_APPLICABLE: Span = Span {
    start: EMPTY.len,
    len: NOT_APPLICABLE_POINTS.len as u32,
};

/// The longest points field: a comma, a sign, 39 digits, a point and the zeros before the
/// digits of a criterion's points at 28 places.
const LONGEST: usize = 1 + 44 + 28;

/// Rows of a criterion after which [`PartFields`] stops looking its values up when most of
/// them were new: looking up values that hardly repeat costs a third of writing them.
const SAMPLED: usize = 256;

impl<'c> PartFields<'c> {
    /// The fields of the `leaves` criteria of `figures`, those the spool `coded` from their
    /// codes, the others from the figures; none for a part whose text could outgrow the
    /// 32-bit places of its fields (some 50,000 criteria to a part of 1,024 rows).
    pub fn of(
        figures: &Figures,
        coded: &'c [Option<CodedPoints<'c>>],
        leaves: usize,
    ) -> Option<PartFields<'c>> {
        let rows = figures.len();
        let most = (rows + CODES)
            .saturating_mul(leaves)
            .saturating_mul(LONGEST);
        if most >= u32::MAX as usize {
            return None;
        }
        // Room for the fields of a part of the bench workload's criteria, grown as needed.
        let mut text = Vec::with_capacity(64 * 1024);
        text.extend_from_slice(STATUS_FIELDS[0].text());
        text.extend_from_slice(NOT_APPLICABLE_POINTS.text());
        let mut values = None;
        let criteria = (0..leaves)
            .map(|leaf| match coded.get(leaf).copied().flatten() {
                Some(coded) => {
                    // A code past the values is a part the spool's reading refuses.
                    let mut fields = Box::new([EMPTY; CODES]);
                    for (slot, &units) in coded.values.iter().enumerate().take(CODES / 4) {
                        let field = compose(&mut text, units, coded.scale);
                        for status in [Status::Scored, Status::Missing] {
                            fields[slot << 2 | usize::from(status_code(Some(status)))] = field;
                        }
                        let not_applicable = status_code(Some(Status::NotApplicable));
                        fields[slot << 2 | usize::from(not_applicable)] = NOT_APPLICABLE;
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
                        let values = values.get_or_insert_with(|| Values::new(rows));
                        values.clear();
                        // A field for every row, whatever the columns hold.
                        for row in 0..rows {
                            let status = statuses.get(row).copied().flatten();
                            codes.push(status_code(status));
                            fields.push(match (status, points.mantissas().get(row)) {
                                (None, _) | (_, None) => EMPTY,
                                (Some(Status::NotApplicable), _) => NOT_APPLICABLE,
                                (Some(_), Some(&units)) => values.field(&mut text, units, scale),
                            });
                        }
                        Criterion::Rows { codes, fields }
                    }
                    _ => Criterion::Absent,
                },
            })
            .collect();
        text.extend_from_slice(&[0; Short::SIZE]);
        Some(PartFields { text, criteria })
    }

    /// Row `row` of the figures' criteria fields into `record`: every criterion's points,
    /// then every criterion's status.
    pub(super) fn write(&self, record: &mut Record<'_>, row: usize) {
        // Written into room made for the row's fields (their length is known first), at a
        // place kept here: a `Vec` written field by field keeps its length in memory, and
        // each field waited on the last one's.
        let pairs = self.criteria.chunks_exact(2);
        let statuses = |pair: &[Criterion<'_>]| status_pair(pair[0].code(row), pair[1].code(row));
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
            let (start, field_len) = (field.start as usize, field.len as usize);
            if field_len <= Short::SIZE {
                room[end..end + Short::SIZE]
                    .copy_from_slice(&self.text[start..start + Short::SIZE]);
            } else {
                room[end..end + field_len].copy_from_slice(&self.text[start..start + field_len]);
            }
            end += field_len;
        }
        for short in pairs.map(statuses).chain(lone) {
            room[end..end + Short::SIZE].copy_from_slice(&short.bytes);
            end += usize::from(short.len);
        }
        debug_assert_eq!(end, len);
        out.truncate(at + end);
        record.fields += 2 * self.criteria.len();
    }
}

impl Criterion<'_> {
    fn code(&self, row: usize) -> u8 {
        let codes = match self {
            Criterion::Coded { codes, .. } => codes,
            Criterion::Rows { codes, .. } => codes.as_slice(),
            Criterion::Absent => &[],
        };
        codes.get(row).copied().unwrap_or(status_code(None))
    }

    /// The row's status, as [`STATUS_FIELDS`] places it.
    fn status(&self, row: usize) -> usize {
        usize::from(self.code(row) & 3)
    }

    fn field(&self, row: usize) -> Span {
        match self {
            Criterion::Coded { fields, .. } => fields[usize::from(self.code(row)) % CODES],
            Criterion::Rows { fields, .. } => fields.get(row).copied().unwrap_or(EMPTY),
            Criterion::Absent => EMPTY,
        }
    }
}

/// `units × 10^-scale` as a field at the end of `text`.
fn compose(text: &mut Vec<u8>, units: i128, scale: u32) -> Span {
    let start = text.len();
    text.push(b',');
    write_scaled(text, units, scale);
    // Within 32 bits: `PartFields::of` makes no fields for a part whose text could pass them.
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
    use super::*;
    use proptest::prelude::*;

    /// Figures of `rows` rows with the given criteria's points (at `scale`) and statuses.
    fn figures_with(criteria: Vec<(Vec<i128>, Vec<Option<Status>>)>, scale: u32) -> Figures {
        let rows = criteria.first().map_or(0, |(points, _)| points.len());
        let (points, statuses): (Vec<_>, Vec<_>) = criteria.into_iter().unzip();
        Figures {
            units: arrow_array::StringArray::new_null(rows),
            periods: arrow_array::StringArray::new_null(rows),
            errors: Vec::new(),
            points: vec![parscore::Decimal::ZERO; rows],
            max_points: vec![parscore::Decimal::ZERO; rows],
            index: vec![None; rows],
            grades: vec![None; rows],
            ranks: vec![None; rows],
            bonus: Vec::new(),
            penalties: Vec::new(),
            tie_keys: Vec::new(),
            criteria: points
                .into_iter()
                .map(|p| parscore_columnar::CriterionPoints::from_mantissas(p, scale).unwrap())
                .collect(),
            statuses,
            missing: vec![0; rows],
            missing_points: vec![parscore::Decimal::ZERO; rows],
        }
    }

    fn status() -> impl Strategy<Value = Option<Status>> {
        prop_oneof![
            4 => Just(Some(Status::Scored)),
            1 => Just(Some(Status::Missing)),
            1 => Just(Some(Status::NotApplicable)),
            1 => Just(None),
        ]
    }

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
            codes.push(status_code(status) | (slot as u8) << 2);
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
            // A criterion past the figures' columns too: no status, no points.
            let leaves = columns.len() + 1;
            let fields = PartFields::of(&figures, &coded, leaves).unwrap();
            for row in 0..figures.len() {
                let mut out = Vec::new();
                let mut record = Record::new(&mut out);
                record.usize(row);
                fields.write(&mut record, row);
                prop_assert_eq!(record.fields, 1 + 2 * leaves);
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
                expected.push(',');
                for (_, statuses, _) in &columns {
                    expected.push(',');
                    expected.push_str(statuses[row].map_or("", Status::name));
                }
                expected.push(',');
                prop_assert_eq!(String::from_utf8(out).unwrap(), expected);
            }
        }
    }
}
