//! Dossier codes met so far, so that a dossier given twice — one row copied, or the same
//! export read in two formats — is counted once.
//!
//! A code is kept as a 64-bit hash of its trimmed NFC text (the same code typed composed and
//! decomposed is one code), keyed with a random key drawn once per process, with the row
//! that first gave it: 12 bytes in the table, 13 to 26 a code with the table's free room,
//! whatever the codes' length. Two different codes share a hash with a chance of about
//! n²/2⁶⁵ among n codes (one in 370,000 for ten million); the key being secret, no file can
//! be made to collide on purpose. A code read as a duplicate is reported with both rows, so
//! a person sees the two codes.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::OnceLock;

use parscore::text::nfc;

use crate::text::{FxMap, trim_cell};

/// The hash of a dossier code: `None` for an empty or blank one.
pub(crate) fn code_hash(code: &str) -> Option<u64> {
    static KEY: OnceLock<RandomState> = OnceLock::new();
    let code = trim_cell(code);
    (!code.is_empty()).then(|| {
        KEY.get_or_init(RandomState::new)
            .hash_one(nfc(code).as_ref())
    })
}

/// The codes met, each with the row that first gave it.
#[derive(Debug, Clone, Default)]
pub(crate) struct DossierCodes {
    /// By hash, split in halves so that an entry takes 12 bytes, not 16.
    first_rows: HashMap<(u32, u32), u32, BuildHasherDefault<Spread>>,
    /// First rows that do not fit 32 bits (marked `u32::MAX` in the table).
    far_rows: FxMap<u64, usize>,
}

impl DossierCodes {
    /// The row that first gave the code of this hash, or, met for the first time, `None`
    /// and the code kept with `row`.
    pub fn first_or_keep(&mut self, hash: u64, row: usize) -> Option<usize> {
        let key = ((hash >> 32) as u32, hash as u32);
        match self.first_rows.entry(key) {
            Entry::Occupied(first) => {
                let stored = *first.get();
                Some(self.row_of(hash, stored))
            }
            Entry::Vacant(slot) => {
                match u32::try_from(row).ok().filter(|&r| r != u32::MAX) {
                    Some(row) => {
                        slot.insert(row);
                    }
                    None => {
                        slot.insert(u32::MAX);
                        self.far_rows.insert(hash, row);
                    }
                }
                None
            }
        }
    }

    fn row_of(&self, hash: u64, stored: u32) -> usize {
        match stored {
            u32::MAX => self.far_rows.get(&hash).copied().unwrap_or(usize::MAX),
            row => row as usize,
        }
    }

    /// Keeps another's codes after ours; the first of its rows whose code we already hold
    /// (its row, our first row) is an error.
    pub fn merge(&mut self, other: DossierCodes) -> Result<(), (usize, usize)> {
        self.first_rows.reserve(other.first_rows.len());
        for (&(high, low), &stored) in &other.first_rows {
            let hash = (u64::from(high) << 32) | u64::from(low);
            let row = other.row_of(hash, stored);
            if let Some(first) = self.first_or_keep(hash, row) {
                return Err((row, first));
            }
        }
        Ok(())
    }

    /// The row of some code kept, to name one.
    pub fn any_row(&self) -> Option<usize> {
        let (&(high, low), &stored) = self.first_rows.iter().next()?;
        Some(self.row_of((u64::from(high) << 32) | u64::from(low), stored))
    }

    /// Whether no code was met.
    pub fn is_empty(&self) -> bool {
        self.first_rows.is_empty()
    }
}

/// The table's hasher: the keys are already uniform hashes, so their bits are used as they
/// are.
#[derive(Default, Clone, Copy)]
pub(crate) struct Spread(u64);

impl Hasher for Spread {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u32(&mut self, i: u32) {
        self.0 = self.0.rotate_left(32) ^ u64::from(i);
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
}
