//! Labels and headers typed by people and exported by systems, compared folded (the core's
//! [`fold`]: `Đúng hạn`, `ĐÚNG HẠN`, `dung han` and a decomposed `Đúng hạn` alike), and the
//! small maps and caches the per-record reading keeps them in.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub(crate) use parscore::text::fold;

/// FxHash: the per-record maps are keyed by short strings and small integers, where SipHash's
/// protection against crafted keys costs more than it is worth.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_i32(&mut self, i: i32) {
        self.add(i as u32 as u64);
    }

    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Interpretations of cell texts already seen. An export repeats a handful of labels millions
/// of times: after the first, a label costs a few byte comparisons (or one hash lookup past the
/// first few labels) and no allocation. Bounded, so a column of free text cannot grow it
/// without limit.
#[derive(Debug, Clone)]
pub(crate) struct LabelCache<T> {
    /// The first labels met, compared directly: cheaper than hashing for the few labels a
    /// status or yes/no column holds.
    first: Vec<(Box<str>, T)>,
    seen: FxMap<Box<str>, T>,
}

const FIRST_LABELS: usize = 8;
const CACHE_LIMIT: usize = 4096;

impl<T: Clone> LabelCache<T> {
    pub fn new() -> Self {
        LabelCache {
            first: Vec::new(),
            seen: FxMap::default(),
        }
    }

    pub fn get_or(&mut self, text: &str, interpret: impl FnOnce(&str) -> T) -> T {
        for (label, value) in &self.first {
            if label.len() == text.len() && **label == *text {
                return value.clone();
            }
        }
        if let Some(hit) = self.seen.get(text) {
            return hit.clone();
        }
        let value = interpret(text);
        if self.first.len() < FIRST_LABELS {
            self.first.push((text.into(), value.clone()));
        } else if self.seen.len() < CACHE_LIMIT {
            self.seen.insert(text.into(), value.clone());
        }
        value
    }
}

/// A cell without surrounding spaces: ASCII spaces cheaply, and Unicode ones (a no-break
/// space pasted from a web page) when the cell starts or ends with bytes that can be one.
pub(crate) fn trim_cell(cell: &str) -> &str {
    let trimmed = cell.trim_ascii();
    match (trimmed.as_bytes().first(), trimmed.as_bytes().last()) {
        (Some(&first), Some(&last)) if may_start_space(first) || may_end_space(last) => {
            trimmed.trim()
        }
        _ => trimmed,
    }
}

/// Whether a character starting with this byte may be a Unicode space beyond ASCII: U+0085
/// and U+00A0 start with C2, U+1680 with E1, U+2000–U+205F with E2, U+3000 with E3. Letters
/// with diacritics (`Đ` is C4 90) do not, so most labels are trimmed without decoding.
fn may_start_space(byte: u8) -> bool {
    matches!(byte, 0xC2 | 0xE1..=0xE3)
}

/// Whether a character ending with this byte may be such a space: their last bytes are
/// 80–8A, 9F, A0, A8, A9 and AF.
fn may_end_space(byte: u8) -> bool {
    matches!(byte, 0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF)
}

/// Values by consecutive integer keys (days, periods) in a vector, with the rare key far
/// from the others in a map, so that memory stays bounded whatever the keys.
#[derive(Debug, Clone)]
pub(crate) struct Dense<T> {
    base: i64,
    items: Vec<T>,
    far: FxMap<i64, T>,
    max_span: usize,
}

impl<T: Default + Clone + PartialEq> Dense<T> {
    pub fn new(max_span: usize) -> Self {
        Dense {
            base: 0,
            items: Vec::new(),
            far: FxMap::default(),
            max_span,
        }
    }

    pub fn get_mut(&mut self, key: i64) -> &mut T {
        if self.items.is_empty() {
            // A little room on both sides for the keys that usually follow; it doubles as
            // needed. A unit with a single record costs a few entries, not the whole span.
            let slack = 4;
            self.base = key - slack as i64;
            self.items.resize(slack * 2, T::default());
        }
        let offset = key - self.base;
        if offset >= 0 && (offset as usize) < self.items.len() {
            return &mut self.items[offset as usize];
        }
        let grow = (self.items.len() / 2).max(16);
        if offset < 0 {
            let needed = (-offset) as usize + grow;
            if needed + self.items.len() <= self.max_span {
                let mut items = vec![T::default(); needed];
                items.append(&mut self.items);
                self.items = items;
                self.base -= needed as i64;
                return &mut self.items[(key - self.base) as usize];
            }
        } else {
            let needed = offset as usize + 1 + grow;
            if needed <= self.max_span {
                self.items.resize(needed, T::default());
                return &mut self.items[offset as usize];
            }
        }
        self.far.entry(key).or_default()
    }

    /// Every key whose value is not the default, in order.
    pub fn entries(&self) -> Vec<(i64, &T)> {
        let empty = T::default();
        let mut entries: Vec<(i64, &T)> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != empty)
            .map(|(i, v)| (self.base + i as i64, v))
            .chain(
                self.far
                    .iter()
                    .filter(|(_, v)| **v != empty)
                    .map(|(k, v)| (*k, v)),
            )
            .collect();
        entries.sort_by_key(|(k, _)| *k);
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_values_stay_bounded_and_ordered() {
        let mut dense: Dense<i64> = Dense::new(64);
        *dense.get_mut(100) += 1;
        *dense.get_mut(90) += 2;
        *dense.get_mut(130) += 3;
        *dense.get_mut(1_000_000) += 4; // far from the others: kept apart
        *dense.get_mut(-5) += 5;
        *dense.get_mut(100) -= 1; // back to 0: no longer an entry
        assert!(dense.items.len() <= 64);
        let entries: Vec<(i64, i64)> = dense.entries().into_iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(entries, [(-5, 5), (90, 2), (130, 3), (1_000_000, 4)]);
    }

    #[test]
    fn trims_every_unicode_space_as_str_trim_does() {
        let spaces = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace() && !c.is_ascii());
        for space in spaces {
            for text in [
                format!("{space}Đúng hạn{space}"),
                format!("{space}x"),
                format!("à{space}"),
                format!("{space}"),
            ] {
                assert_eq!(trim_cell(&text), text.trim(), "{:?}", space);
            }
        }
        assert_eq!(trim_cell("Đà"), "Đà");
    }

    #[test]
    fn trims_ascii_and_unicode_spaces() {
        assert_eq!(trim_cell("  Đúng hạn \t"), "Đúng hạn");
        assert_eq!(trim_cell("\u{a0}x\u{a0}"), "x");
        assert_eq!(trim_cell("   "), "");
    }

    #[test]
    fn cache_answers_repeated_labels() {
        let mut cache = LabelCache::new();
        let mut calls = 0;
        for i in 0..20 {
            cache.get_or(&format!("label {i}"), |t| t.to_string());
        }
        for _ in 0..3 {
            let v = cache.get_or("Đúng hạn", |t| {
                calls += 1;
                fold(t)
            });
            assert_eq!(v, "dung han");
        }
        assert_eq!(calls, 1);
    }
}
