//! Trailing decimal zeros of a 128-bit integer, found and dropped by multiplication.
//!
//! Dividing a u128 by a power of ten is a library call of a hundred-odd instructions, and a
//! columnar run's sums and criterion points drop their zeros millions of times. Those divisions are
//! exact, and exact division is cheaper: `10^k = 2^k × 5^k`, a shift takes out `2^k`, and `5^k`,
//! being odd, has an inverse modulo 2^128 by which a multiple of it is divided with one
//! multiplication. The same product tells whether a number is such a multiple (Granlund and
//! Montgomery, "Division by invariant integers using multiplication", 1994, §9).

/// The most zeros asked about: the places of a decimal.
const MOST: usize = 28;

/// 5^k.
const POW5: [u128; MOST + 1] = {
    let mut table = [1u128; MOST + 1];
    let mut k = 1;
    while k < table.len() {
        table[k] = table[k - 1] * 5;
        k += 1;
    }
    table
};

/// The inverse of 5^k modulo 2^128, by Newton's iteration: an odd `d` is its own inverse
/// to 3 bits, and each step doubles the bits that are right (6 steps reach 192).
const INVERSE5: [u128; MOST + 1] = {
    let mut table = [1u128; MOST + 1];
    let mut k = 0;
    while k < table.len() {
        let d = POW5[k];
        let mut x = d;
        let mut step = 0;
        while step < 6 {
            x = x.wrapping_mul(2u128.wrapping_sub(d.wrapping_mul(x)));
            step += 1;
        }
        table[k] = x;
        k += 1;
    }
    table
};

/// `n` is a multiple of 5^k exactly when `n × INVERSE5[k]` (mod 2^128) is at most this.
const MULTIPLES5: [u128; MOST + 1] = {
    let mut table = [0u128; MOST + 1];
    let mut k = 0;
    while k < table.len() {
        table[k] = u128::MAX / POW5[k];
        k += 1;
    }
    table
};

/// How many of `n`'s last digits are zeros, at most `at_most` (≤ 28); `at_most` for 0.
/// A number has no more decimal zeros than binary ones, so the search starts there and
/// mostly ends at once.
#[inline]
pub fn trailing_decimal_zeros(n: u128, at_most: u32) -> u32 {
    let mut k = n.trailing_zeros().min(at_most);
    while k > 0 && (n >> k).wrapping_mul(INVERSE5[k as usize]) > MULTIPLES5[k as usize] {
        k -= 1;
    }
    k
}

/// `n` without its trailing decimal zeros, at most `at_most` (≤ 28) of them, and how many
/// were dropped: 0 drops `at_most`.
#[inline]
pub(crate) fn without_trailing_zeros(n: u128, at_most: u32) -> (u128, u32) {
    let k = trailing_decimal_zeros(n, at_most);
    ((n >> k).wrapping_mul(INVERSE5[k as usize]), k)
}

/// Exact division by one power of ten, `10^k` (`k ≤ 28`), its constants looked up once for a
/// run of numbers.
#[derive(Debug, Clone, Copy)]
pub struct Tens {
    k: u32,
    inverse: u128,
    multiples: u128,
}

impl Tens {
    /// The constants of `10^k`.
    #[inline]
    pub fn new(k: u32) -> Tens {
        Tens {
            k,
            inverse: INVERSE5[k as usize],
            multiples: MULTIPLES5[k as usize],
        }
    }

    /// `n / 10^k`, if `n` is a multiple of `10^k`.
    #[inline]
    pub fn divide(self, n: u128) -> Option<u128> {
        let quotient = (n >> self.k).wrapping_mul(self.inverse);
        (n.trailing_zeros() >= self.k && quotient <= self.multiples).then_some(quotient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::exact::POW10;
    use proptest::prelude::*;

    #[test]
    fn inverses_are_inverses() {
        for k in 0..=MOST {
            assert_eq!(POW5[k].wrapping_mul(INVERSE5[k]), 1, "5^{k}");
        }
    }

    #[test]
    fn zeros_are_counted_and_dropped() {
        assert_eq!(trailing_decimal_zeros(0, 28), 28);
        assert_eq!(trailing_decimal_zeros(0, 3), 3);
        assert_eq!(trailing_decimal_zeros(1_000, 28), 3);
        assert_eq!(trailing_decimal_zeros(1_000, 2), 2);
        assert_eq!(trailing_decimal_zeros(1_024, 28), 0);
        assert_eq!(trailing_decimal_zeros(2_500, 28), 2);
        assert_eq!(Tens::new(3).divide(123_000), Some(123));
        assert_eq!(Tens::new(3).divide(123_500), None);
        assert_eq!(Tens::new(0).divide(7), Some(7));
        assert_eq!(Tens::new(28).divide(0), Some(0));
    }

    proptest! {
        #[test]
        fn zeros_are_those_division_finds(
            digits in prop_oneof![any::<u64>().prop_map(u128::from), 0u128..(1 << 100)],
            zeros in 0u32..=28,
            at_most in 0u32..=28,
        ) {
            let n = digits.checked_mul(POW10[zeros as usize] as u128);
            prop_assume!(n.is_some());
            let n = n.unwrap();
            let divided = (0..=at_most)
                .rev()
                .find(|&k| n % POW10[k as usize] as u128 == 0)
                .unwrap();
            prop_assert_eq!(trailing_decimal_zeros(n, at_most), divided);
            for k in 0..=28 {
                let power = POW10[k as usize] as u128;
                let exact = (n % power == 0).then(|| n / power);
                prop_assert_eq!(Tens::new(k).divide(n), exact, "10^{}", k);
            }
        }
    }
}
