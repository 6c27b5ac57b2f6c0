//! Dossier codes met so far, so that a dossier given twice — one row copied, or the same
//! export read in two formats — is counted once.
//!
//! A code is kept as a 64-bit hash of its trimmed NFC text (the same code typed composed and
//! decomposed is one code; XXH3 with a seed drawn at random for each run) with the row that
//! first gave it: 12 bytes a slot, in an open-addressed table kept at most 4/5 full, so 15 to
//! 30 bytes a code whatever its length (15 when the number of records is known ahead, as in a
//! Parquet file). Two different codes share a hash with a chance of about n²/2⁶⁵ among n codes
//! (one in 370,000 for ten million); such a pair is reported as a duplicate, with both rows,
//! never counted once in silence.

use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use parscore::text::nfc;
use twox_hash::XxHash3_64;

use crate::text::{FxMap, trim_cell};

/// The hash of a dossier code: `None` for an empty or blank one. Never 0, which marks a free
/// slot.
pub(crate) fn code_hash(code: &str) -> Option<u64> {
    static SEED: OnceLock<u64> = OnceLock::new();
    let code = trim_cell(code);
    if code.is_empty() {
        return None;
    }
    let seed = *SEED.get_or_init(|| RandomState::new().hash_one(0x5EED_u64));
    Some(XxHash3_64::oneshot_with_seed(seed, nfc(code).as_bytes()).max(1))
}

/// A slot: a code's hash in two halves (so that a slot takes 12 bytes, not 16) and its first
/// row; all 0 when free.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Slot {
    high: u32,
    low: u32,
    row: u32,
}

impl Slot {
    fn hash(self) -> u64 {
        (u64::from(self.high) << 32) | u64::from(self.low)
    }
}

/// The codes met, each with the row that first gave it: linear probing over one array, so
/// that a code costs one memory access, not the two of a table with separate control bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct DossierCodes {
    slots: Vec<Slot>,
    len: usize,
    /// First rows that do not fit 32 bits (`u32::MAX` in their slot).
    far_rows: FxMap<u64, usize>,
}

/// At most 4 slots of 5 taken: a free slot is a few slots away, in the same cache line or
/// the next.
const LOAD: (usize, usize) = (4, 5);

impl DossierCodes {
    /// Room for `more` codes without growing.
    pub fn reserve(&mut self, more: usize) {
        let wanted = (self.len + more).saturating_mul(LOAD.1) / LOAD.0 + 1;
        if wanted > self.slots.len() {
            self.grow_to(wanted);
        }
    }

    /// The row that first gave the code of this hash, or, met for the first time, `None` and
    /// the code kept with `row`.
    pub fn first_or_keep(&mut self, hash: u64, row: usize) -> Option<usize> {
        if (self.len + 1) * LOAD.1 > self.slots.len() * LOAD.0 {
            self.grow_to((self.slots.len() * 2).max(64));
        }
        let at = self.find(hash);
        let slot = self.slots[at];
        if slot != Slot::default() {
            return Some(self.row_of(slot));
        }
        let stored = match u32::try_from(row).ok().filter(|&r| r != u32::MAX) {
            Some(row) => row,
            None => {
                self.far_rows.insert(hash, row);
                u32::MAX
            }
        };
        self.slots[at] = Slot {
            high: (hash >> 32) as u32,
            low: hash as u32,
            row: stored,
        };
        self.len += 1;
        None
    }

    /// [`DossierCodes::first_or_keep`] for many codes in order, calling `repeated` with the
    /// row and first row of each code met before. The slots of a few codes are read ahead of
    /// their turn, so that the memory of each is fetched alongside the others' rather than
    /// one after the other: a large table is read at the speed of memory, not of its latency.
    pub fn first_or_keep_all(
        &mut self,
        codes: &[(u64, usize)],
        mut repeated: impl FnMut(usize, usize),
    ) {
        self.reserve(codes.len());
        for chunk in codes.chunks(16) {
            let mut ahead = 0;
            for &(hash, _) in chunk {
                ahead ^= self.slots[self.home(hash)].low;
            }
            std::hint::black_box(ahead);
            for &(hash, row) in chunk {
                if let Some(first) = self.first_or_keep(hash, row) {
                    repeated(row, first);
                }
            }
        }
    }

    /// Where a hash's search starts: its high bits scaled to the table, any size, no modulo.
    fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.slots.len() as u128) >> 64) as usize
    }

    /// The slot of this hash, or the free slot where it goes.
    fn find(&self, hash: u64) -> usize {
        let len = self.slots.len();
        let mut at = self.home(hash);
        loop {
            let slot = self.slots[at];
            if slot == Slot::default() || slot.hash() == hash {
                return at;
            }
            at += 1;
            if at == len {
                at = 0;
            }
        }
    }

    fn grow_to(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); slots]);
        for slot in old.into_iter().filter(|s| *s != Slot::default()) {
            let at = self.find(slot.hash());
            self.slots[at] = slot;
        }
    }

    fn row_of(&self, slot: Slot) -> usize {
        match slot.row {
            u32::MAX => self
                .far_rows
                .get(&slot.hash())
                .copied()
                .unwrap_or(usize::MAX),
            row => row as usize,
        }
    }

    /// Keeps another's codes after ours; the first of its rows whose code we already hold
    /// (its row, our first row) is an error.
    pub fn merge(&mut self, other: DossierCodes) -> Result<(), (usize, usize)> {
        self.reserve(other.len);
        for slot in other.slots.iter().filter(|s| **s != Slot::default()) {
            let row = other.row_of(*slot);
            if let Some(first) = self.first_or_keep(slot.hash(), row) {
                return Err((row, first));
            }
        }
        Ok(())
    }

    /// The row of some code kept, to name one.
    pub fn any_row(&self) -> Option<usize> {
        let slot = self.slots.iter().find(|s| **s != Slot::default())?;
        Some(self.row_of(*slot))
    }

    /// Whether no code was met.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_its_trimmed_nfc_text() {
        let hash = code_hash("000.00.10.H12-240305-0001").unwrap();
        assert_eq!(code_hash("  000.00.10.H12-240305-0001\u{a0}"), Some(hash));
        assert_eq!(code_hash("HS-Sở"), code_hash("HS-So\u{31b}\u{309}"));
        assert_ne!(code_hash("HS-1"), code_hash("HS-2"));
        assert_eq!(code_hash("   "), None);
    }

    #[test]
    fn the_first_row_of_a_code_is_kept_and_merges_find_repeats() {
        let mut codes = DossierCodes::default();
        let (a, b) = (code_hash("A").unwrap(), code_hash("B").unwrap());
        assert_eq!(codes.first_or_keep(a, 3), None);
        assert_eq!(codes.first_or_keep(a, 7), Some(3));
        let far = u32::MAX as usize + 5;
        assert_eq!(codes.first_or_keep(b, far), None);
        assert_eq!(codes.first_or_keep(b, far + 1), Some(far));
        let mut other = DossierCodes::default();
        other.first_or_keep(code_hash("C").unwrap(), 9);
        assert_eq!(codes.clone().merge(other.clone()), Ok(()));
        other.first_or_keep(a, 10);
        assert_eq!(codes.merge(other), Err((10, 3)));
    }

    #[test]
    fn the_table_grows_and_keeps_every_code() {
        let mut codes = DossierCodes::default();
        codes.reserve(10);
        for row in 1..=5_000 {
            let hash = code_hash(&format!("H{row}")).unwrap();
            assert_eq!(codes.first_or_keep(hash, row), None);
        }
        for row in 1..=5_000 {
            let hash = code_hash(&format!(" H{row} ")).unwrap();
            assert_eq!(codes.first_or_keep(hash, row + 5_000), Some(row));
        }
        assert!(codes.slots.len() * 4 >= codes.len * 5);
        let mut again = Vec::new();
        let many: Vec<(u64, usize)> = (1..=100)
            .map(|row| (code_hash(&format!("H{}", row % 40)).unwrap(), 20_000 + row))
            .collect();
        codes.first_or_keep_all(&many, |row, first| again.push((row, first)));
        // H1 … H39 were kept from rows 1 … 39; H0 is new at row 20,040, then repeats.
        assert_eq!(again.len(), 100 - 1);
        assert_eq!(again[0], (20_001, 1));
        assert!(again.contains(&(20_080, 20_040)));
    }
}
