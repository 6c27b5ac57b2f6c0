//! What the first pass keeps of each row: a fingerprint of its unit and period (to find a
//! unit and period given twice), its period as a small number and its reported index (to
//! rank it within its period) — 16 bytes a row, never its results. After the pass, rows
//! whose fingerprints meet are compared by their text (read again), and each row's
//! competition rank is counted within its period: 4 bytes a row for the second pass. A
//! scheme whose `[ranking]` orders units of equal reported index also needs what orders them
//! ([`TieKeys`]: 32 bytes a row for an exact index, 16 a tie-break node).

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use foldhash::fast::RandomState;

use std::cmp::Ordering;

use parscore::Decimal;
use parscore_columnar::TieKeys;
use rayon::prelude::*;

use crate::input::Place;

/// A row with no rank (it failed, or nothing of it applies).
const UNRANKED: u32 = u32::MAX;
/// A row without a unit: it claims no unit and period.
const NO_KEY: u64 = 0;

/// Rows as the first pass saw them.
pub struct Keys {
    hasher: RandomState,
    /// By row: the fingerprint of its unit and period, or [`NO_KEY`].
    fingerprints: Vec<u64>,
    /// By row: its period's number.
    periods: Vec<u32>,
    period_numbers: HashMap<Option<String>, u32>,
    /// The period of the row before, and its number: rows of a period mostly come together.
    last_period: Option<(Option<String>, u32)>,
    index: Index,
    /// What orders rows of equal index, when the scheme's ranking asks for more.
    ties: Option<TieKeys>,
}

/// Reported indices in units of the scheme's places: in a `u32` when they fit (up to 7
/// places, as indices of at most 100 are), else whole.
enum Index {
    Narrow(Vec<u32>),
    Wide(Vec<Option<i128>>),
}

impl Keys {
    /// Keys for indices at `places`, and with `ties` when the scheme ranks by more than the
    /// reported index (the rows' tie keys then pushed into [`Keys::ties`] row by row).
    pub fn new(places: u32, ties: Option<TieKeys>) -> Keys {
        Keys {
            hasher: RandomState::default(),
            fingerprints: Vec::new(),
            periods: Vec::new(),
            period_numbers: HashMap::new(),
            last_period: None,
            index: if places <= 7 {
                Index::Narrow(Vec::new())
            } else {
                Index::Wide(Vec::new())
            },
            ties,
        }
    }

    /// Where each row's tie keys go, after its [`Keys::push`], when the scheme needs them.
    pub fn ties(&mut self) -> Option<&mut TieKeys> {
        self.ties.as_mut()
    }

    /// The fingerprint of a unit and period (the unit trimmed, as the check compares them).
    fn fingerprint(&self, unit: Option<&str>, period: Option<&str>) -> u64 {
        match unit.map(str::trim).filter(|u| !u.is_empty()) {
            None => NO_KEY,
            Some(unit) => self.hasher.hash_one((unit, period)).max(1),
        }
    }

    /// Notes the next row: its unit and period, and its reported index when it is ranked.
    pub fn push(&mut self, unit: Option<&str>, period: Option<&str>, index: Option<Decimal>) {
        self.fingerprints.push(self.fingerprint(unit, period));
        let number = match &self.last_period {
            Some((last, number)) if last.as_deref() == period => *number,
            _ => {
                let next = self.period_numbers.len() as u32;
                let key = period.map(str::to_string);
                let number = *self.period_numbers.entry(key.clone()).or_insert(next);
                self.last_period = Some((key, number));
                number
            }
        };
        self.periods.push(number);
        let units = index.map(|index| index.mantissa());
        match &mut self.index {
            Index::Narrow(keys) => keys.push(
                units
                    .and_then(|u| u32::try_from(u).ok())
                    .filter(|&u| u != UNRANKED)
                    .unwrap_or(UNRANKED),
            ),
            Index::Wide(keys) => keys.push(units),
        }
    }

    /// The rows noted.
    pub fn rows(&self) -> usize {
        self.fingerprints.len()
    }

    /// The rows (from 0) whose fingerprint another row shares: where a unit and period may
    /// be given twice, to be told by their text.
    pub fn shared(&self) -> HashSet<usize> {
        let mut sorted: Vec<u64> = self
            .fingerprints
            .iter()
            .copied()
            .filter(|&f| f != NO_KEY)
            .collect();
        sorted.par_sort_unstable();
        let twice: HashSet<u64> = sorted
            .windows(2)
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| pair[0])
            .collect();
        if twice.is_empty() {
            return HashSet::new();
        }
        self.fingerprints
            .iter()
            .enumerate()
            .filter(|(_, f)| twice.contains(f))
            .map(|(row, _)| row)
            .collect()
    }

    /// The ranks of every row (from 0), once the rows given twice (which fail) are known:
    /// one more than the rows of its period with a higher index; 0 for a row not ranked.
    pub fn ranks(mut self, failed: &HashMap<usize, Place>) -> Vec<u32> {
        let rows = self.rows();
        self.fingerprints = Vec::new();
        let ranked = |index: &Index, row: usize| match index {
            Index::Narrow(keys) => keys[row] != UNRANKED,
            Index::Wide(keys) => keys[row].is_some(),
        } && !failed.contains_key(&row);
        // Rows bucketed by period, each period ranked alone.
        let periods = self.period_numbers.len();
        let mut starts = vec![0u32; periods + 1];
        for row in 0..rows {
            if ranked(&self.index, row) {
                starts[self.periods[row] as usize + 1] += 1;
            }
        }
        for p in 1..starts.len() {
            starts[p] += starts[p - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![0u32; starts[periods] as usize];
        for row in 0..rows {
            if ranked(&self.index, row) {
                let p = self.periods[row] as usize;
                order[next[p] as usize] = row as u32;
                next[p] += 1;
            }
        }
        let mut ranks = vec![0u32; rows];
        if let Some(ties) = &self.ties {
            // Rows of equal index ordered by the scheme's ranking: each row's rank is one more
            // than the rows before it, unless it ties the row before.
            let index = &self.index;
            let better = |a: u32, b: u32| {
                let (a, b) = (a as usize, b as usize);
                index
                    .get(a)
                    .cmp(&index.get(b))
                    .then_with(|| ties.order(a, b))
            };
            for period in starts.windows(2) {
                let sorted = &mut order[period[0] as usize..period[1] as usize];
                sorted.sort_unstable_by(|&a, &b| better(b, a));
                let mut rank = 0;
                for (position, &row) in sorted.iter().enumerate() {
                    if position == 0 || better(row, sorted[position - 1]) != Ordering::Equal {
                        rank = position as u32 + 1;
                    }
                    ranks[row as usize] = rank;
                }
            }
            return ranks;
        }
        if let Index::Narrow(keys) = &self.index {
            // Each row as one integer, the highest index first and then the row: a sort of
            // them puts each period's rows in the order of their ranks.
            let mut sorted: Vec<u64> = Vec::new();
            for period in starts.windows(2) {
                let rows = &order[period[0] as usize..period[1] as usize];
                sorted.clear();
                sorted.extend(
                    rows.iter().map(|&row| {
                        u64::from(u32::MAX - keys[row as usize]) << 32 | u64::from(row)
                    }),
                );
                sorted.par_sort_unstable();
                let mut rank = 0;
                for (position, &key) in sorted.iter().enumerate() {
                    // A row's rank is one more than the rows of a higher index.
                    if position == 0 || key >> 32 != sorted[position - 1] >> 32 {
                        rank = position as u32 + 1;
                    }
                    ranks[key as u32 as usize] = rank;
                }
            }
            return ranks;
        }
        let mut values: Vec<i128> = Vec::new();
        for period in starts.windows(2) {
            let rows = &order[period[0] as usize..period[1] as usize];
            values.clear();
            values.extend(rows.iter().map(|&row| self.index.get(row as usize)));
            // Highest first: a row's rank is one more than the values before its own.
            values.sort_unstable_by(|a, b| b.cmp(a));
            for &row in rows {
                let index = self.index.get(row as usize);
                let above = values.partition_point(|&v| v > index);
                ranks[row as usize] = above as u32 + 1;
            }
        }
        ranks
    }
}

impl Index {
    fn get(&self, row: usize) -> i128 {
        match self {
            Index::Narrow(keys) => i128::from(keys[row]),
            Index::Wide(keys) => keys[row].unwrap_or_default(),
        }
    }
}

/// The rows given twice: from the rows that share a fingerprint, each later row whose unit
/// and period are those of an earlier one, with the earlier one's place.
#[derive(Default)]
pub struct Twice {
    /// Of the rows that share a fingerprint: their unit (trimmed) and period, and place.
    seen: Vec<(usize, String, Option<String>, Place)>,
}

impl Twice {
    pub fn note(&mut self, row: usize, unit: &str, period: Option<&str>, place: Place) {
        self.seen.push((
            row,
            unit.trim().to_string(),
            period.map(str::to_string),
            place,
        ));
    }

    /// Each row given twice, with the place of the first row of its unit and period.
    pub fn finish(self) -> HashMap<usize, Place> {
        let mut first: HashMap<(String, Option<String>), Place> = HashMap::new();
        let mut twice = HashMap::new();
        for (row, unit, period, place) in self.seen {
            match first.get(&(unit.clone(), period.clone())) {
                Some(earlier) => {
                    twice.insert(row, earlier.clone());
                }
                None => {
                    first.insert((unit, period), place);
                }
            }
        }
        twice
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_competition_ranks_within_each_period() {
        let mut keys = Keys::new(2, None);
        let rows = [
            ("A", Some("2024"), Some(8940)),
            ("B", Some("2024"), Some(8690)),
            ("C", Some("2024"), None),
            ("D", Some("2024"), Some(8690)),
            ("E", Some("2025"), Some(7000)),
            ("F", Some("2024"), Some(8000)),
            ("G", None, Some(0)),
            ("H", Some("2025"), Some(7000)),
        ];
        for (unit, period, index) in rows {
            keys.push(Some(unit), period, index.map(|i| Decimal::new(i, 2)));
        }
        assert!(keys.shared().is_empty());
        assert_eq!(keys.ranks(&HashMap::new()), [1, 2, 0, 2, 1, 4, 1, 1]);
    }

    #[test]
    fn indices_of_many_places_rank_as_those_of_few() {
        let rows = [
            ("A", Some(8940)),
            ("B", Some(8690)),
            ("C", None),
            ("D", Some(8690)),
            ("E", Some(9000)),
        ];
        let ranks = |places| {
            let mut keys = Keys::new(places, None);
            for (unit, index) in rows {
                keys.push(
                    Some(unit),
                    Some("2024"),
                    index.map(|i| Decimal::new(i, places)),
                );
            }
            keys.ranks(&HashMap::new())
        };
        assert_eq!(ranks(2), [2, 3, 0, 3, 1]);
        assert_eq!(ranks(9), ranks(2));
    }

    #[test]
    fn rows_given_twice_are_told_by_their_text_and_lose_their_rank() {
        let mut keys = Keys::new(2, None);
        for unit in [" A", "B", "A "] {
            keys.push(Some(unit), Some("2024"), Some(Decimal::new(5000, 2)));
        }
        keys.push(None, Some("2024"), None);
        let shared = keys.shared();
        assert_eq!(shared, HashSet::from([0, 2]));
        let mut twice = Twice::default();
        let place = |line| Place::Line {
            file: "u.csv".into(),
            line,
        };
        twice.note(0, " A", Some("2024"), place(2));
        twice.note(2, "A ", Some("2024"), place(4));
        let twice = twice.finish();
        assert_eq!(twice.get(&2), Some(&place(2)));
        assert_eq!(keys.ranks(&twice), [1, 1, 0, 0]);
    }
}
