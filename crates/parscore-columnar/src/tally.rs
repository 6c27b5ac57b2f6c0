//! The yes/no criteria of a block summed by counting: a criterion scoring `no` for a yes/no
//! it holds and `yes − no` more for a yes adds its bits to two counters, one per weight, and
//! each row's points are then the weights times the counts — a few additions per eight rows
//! for each criterion, where adding its points row by row took a dozen instructions a row.
//!
//! The weights are bounded by the scheme's points (at most 10^9 in all), so the products and
//! their sum fit the accumulators as the points themselves do.

use crate::columns::BLOCK;

/// Counters of set bits by row, for each accumulator and weight met in the block.
#[derive(Default)]
pub(super) struct Tally {
    sums: Vec<Sum>,
    /// How many of `sums` this block uses; the rest keep their allocation for the next.
    used: usize,
}

struct Sum {
    accumulator: usize,
    weight: i128,
    counts: Box<[u32; BLOCK]>,
}

/// Words of bits, 64 rows to a word.
pub(super) type Mask = [u64; BLOCK / 64];

impl Tally {
    /// Counts the rows `mask` holds towards `weight` in `accumulator`.
    pub(super) fn add(&mut self, accumulator: usize, weight: i128, mask: &Mask) {
        if weight == 0 {
            return;
        }
        let used = &self.sums[..self.used];
        let at = match used
            .iter()
            .position(|s| s.accumulator == accumulator && s.weight == weight)
        {
            Some(at) => at,
            None => {
                if self.used == self.sums.len() {
                    self.sums.push(Sum {
                        accumulator,
                        weight,
                        counts: Box::new([0; BLOCK]),
                    });
                } else {
                    let sum = &mut self.sums[self.used];
                    (sum.accumulator, sum.weight) = (accumulator, weight);
                    sum.counts.fill(0);
                }
                self.used += 1;
                self.used - 1
            }
        };
        let counts = &mut self.sums[at].counts;
        for (eights, byte) in counts
            .chunks_exact_mut(8)
            .zip(mask.iter().flat_map(|word| word.to_le_bytes()))
        {
            // Eight rows in one vector addition.
            for (count, bit) in eights.iter_mut().zip(SPREAD[usize::from(byte)]) {
                *count += bit;
            }
        }
    }

    /// Adds each weight times its counts to the accumulators (`accumulator × rows + row`)
    /// and empties the tally for the next block.
    ///
    /// An accumulator's weights are mostly small multiples of one unit of points (1 and
    /// 0.25 are 4 and 1 times 0.25): its counts are then summed as those multiples in `i64`,
    /// and each row multiplied by the unit once, instead of once per weight in `i128`.
    pub(super) fn finish(&mut self, points: &mut [i128], rows: usize) {
        let sums = &mut self.sums[..self.used];
        sums.sort_unstable_by_key(|sum| sum.accumulator);
        for group in sums.chunk_by(|a, b| a.accumulator == b.accumulator) {
            let points = &mut points[group[0].accumulator * rows..][..rows];
            let unit = group
                .iter()
                .fold(0, |unit, sum| gcd(unit, sum.weight.unsigned_abs()));
            // Each count is at most a block's rows, so the multiples' sum bounds each row's.
            let most = group.iter().try_fold(0u128, |most, sum| {
                most.checked_add(sum.weight.unsigned_abs() / unit)
            });
            if most.is_some_and(|most| most <= (i64::MAX / BLOCK as i64) as u128) {
                let mut multiples = [0i64; BLOCK];
                for sum in group {
                    let times = (sum.weight / unit as i128) as i64;
                    for (total, &count) in multiples.iter_mut().zip(sum.counts.iter()) {
                        *total += times * i64::from(count);
                    }
                }
                for (points, &total) in points.iter_mut().zip(&multiples) {
                    *points += unit as i128 * i128::from(total);
                }
            } else {
                for sum in group {
                    for (points, &count) in points.iter_mut().zip(sum.counts.iter()) {
                        *points += sum.weight * i128::from(count);
                    }
                }
            }
        }
        self.used = 0;
    }
}

/// The greatest common divisor (`gcd(0, b) = b`).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Each byte's bits as eight 0/1 counts, lowest bit first.
const SPREAD: [[u32; 8]; 256] = {
    let mut spread = [[0; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            spread[byte][bit] = (byte >> bit & 1) as u32;
            bit += 1;
        }
        byte += 1;
    }
    spread
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A weight in point units: small multiples of a quarter point mostly, now and then
    /// one too large for the multiples to be summed in `i64`.
    fn weight() -> impl Strategy<Value = i128> {
        const QUARTER: i128 = 25 * 10i128.pow(26);
        prop_oneof![
            4 => (-8i128..=8).prop_map(|k| k * QUARTER),
            1 => -3i128..=3,
            1 => Just(10i128.pow(37)),
            1 => Just(-(10i128.pow(37)) + 1),
        ]
    }

    proptest! {
        #[test]
        fn counting_adds_what_row_by_row_adds(
            masks in proptest::collection::vec((0usize..2, weight(), any::<Mask>()), 0..12),
            rows in 1usize..=BLOCK,
        ) {
            let mut expected = vec![0i128; 2 * rows];
            for (accumulator, weight, mask) in &masks {
                for row in 0..rows {
                    if mask[row / 64] >> (row % 64) & 1 == 1 {
                        expected[accumulator * rows + row] += weight;
                    }
                }
            }
            let mut tally = Tally::default();
            // Twice, so that the second block reuses the first one's counters.
            for _ in 0..2 {
                let mut points = vec![0i128; 2 * rows];
                for (accumulator, weight, mask) in &masks {
                    tally.add(*accumulator, *weight, mask);
                }
                tally.finish(&mut points, rows);
                prop_assert_eq!(&points, &expected);
            }
        }
    }

    #[test]
    fn spread_reads_bits_lowest_first() {
        assert_eq!(SPREAD[0b1000_0101], [1, 0, 1, 0, 0, 0, 0, 1]);
        let mut tally = Tally::default();
        let mut mask = [0; BLOCK / 64];
        mask[1] = 1 << 3;
        tally.add(0, 5, &mask);
        tally.add(0, 5, &mask);
        tally.add(0, 0, &[u64::MAX; BLOCK / 64]);
        let mut points = vec![0; 80];
        tally.finish(&mut points, 80);
        assert_eq!(points[67], 10);
        assert_eq!(points.iter().sum::<i128>(), 10);
    }
}
