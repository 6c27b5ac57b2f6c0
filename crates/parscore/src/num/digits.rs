//! Exact figures as text: `units × 10^-scale` written as `Decimal::normalize` prints it,
//! with the integer arithmetic a row of a hundred figures can afford (64-bit divisions, two
//! digits at a time), for the reasons of the core and the outputs of the command alike.

/// `units × 10^-scale` written as `Decimal::normalize().to_string()` writes it: no exponent,
/// no trailing zeros after the point, no point when whole, and `0` for any zero.
///
/// ```
/// let mut out = b"points: ".to_vec();
/// parscore::engine::write_scaled(&mut out, 3_210_000, 6);
/// assert_eq!(out, b"points: 3.21");
/// ```
pub fn write_scaled(out: &mut Vec<u8>, units: i128, scale: u32) {
    // A sign, 39 digits, a point and the zeros after it.
    let longest = 44 + scale as usize;
    const ROOM: usize = 80;
    // Room of a length known when compiled (a few stores, where a length known only now is
    // a call), composed in place and cut: composed on the stack and copied, the copy would
    // read back bytes still being stored, which stalls.
    let room = if longest <= ROOM { ROOM } else { longest };
    let at = out.len();
    if room == ROOM {
        out.extend_from_slice(&[0u8; ROOM]);
    } else {
        out.resize(at + room, 0);
    }
    let len = compose(units, scale as usize, &mut out[at..]);
    out.truncate(at + len);
}

/// 10^19: the most decimal digits a 64-bit number always holds.
const NINETEEN: u128 = 10_000_000_000_000_000_000;

/// [`write_scaled`] into `text`, from its start; the length written. `text` holds at least
/// `44 + scale` bytes (a sign, 39 digits, a point and the zeros after it).
pub(crate) fn compose(units: i128, scale: usize, text: &mut [u8]) -> usize {
    if units == 0 {
        text[0] = b'0';
        return 1;
    }
    let sign = usize::from(units < 0);
    text[0] = b'-';
    let (mut n, mut scale) = (units.unsigned_abs(), scale);
    // The engine keeps a criterion's points at the most places any row of the column has
    // (28 where a rate divides by 9): most mantissas are then wider than 64 bits only for
    // the zeros after their digits, which one 128-bit division drops.
    if n > u128::from(u64::MAX) && scale >= 19 {
        // One division (a call), its remainder by a multiplication.
        let cut = n / NINETEEN;
        if cut * NINETEEN == n {
            n = cut;
            scale -= 19;
        }
    }
    let Ok(mut n) = u64::try_from(n) else {
        return sign + wide(n, scale, &mut text[sign..]);
    };
    while scale >= 4 && n % 10_000 == 0 {
        n /= 10_000;
        scale -= 4;
    }
    while scale > 0 && n % 10 == 0 {
        n /= 10;
        scale -= 1;
    }
    let width = n.checked_ilog10().map_or(1, |log| log as usize + 1);
    let text = &mut text[sign..];
    if width <= scale {
        // `0.` and the fraction, its leading zeros written by `digits`.
        text[..2].copy_from_slice(b"0.");
        digits(n, &mut text[2..2 + scale]);
        return sign + 2 + scale;
    }
    if scale == 0 {
        digits(n, &mut text[..width]);
        return sign + width;
    }
    // Here `scale < width <= 20`, so that `10^scale` is a 64-bit number.
    let whole_width = width - scale;
    let unit = 10u64.pow(scale as u32);
    digits(n / unit, &mut text[..whole_width]);
    text[whole_width] = b'.';
    digits(n % unit, &mut text[whole_width + 1..width + 1]);
    sign + width + 1
}

/// [`compose`] of a mantissa wider than 64 bits (without its sign).
fn wide(mut n: u128, scale: usize, text: &mut [u8]) -> usize {
    // Digits written from the end: 39 hold any i128.
    let mut buffer = [0u8; 40];
    let mut start = buffer.len();
    // A 128-bit division is a call, some ten times the cost of a 64-bit one: a wide
    // mantissa is cut into 19 digits at a time, each written with 64-bit divisions.
    while n > u128::from(u64::MAX) {
        let part = (n % NINETEEN) as u64;
        n /= NINETEEN;
        let end = start;
        start -= 19;
        digits(part, &mut buffer[start..end]);
    }
    let n = n as u64;
    let width = n.checked_ilog10().map_or(1, |log| log as usize + 1);
    let end = start;
    start -= width;
    digits(n, &mut buffer[start..end]);
    let mut digits = &buffer[start..];
    // Drop the fraction's trailing zeros (the number is not zero: some digit is not).
    let mut scale = scale;
    while scale > 0 && digits.last() == Some(&b'0') {
        digits = &digits[..digits.len() - 1];
        scale -= 1;
    }
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        text[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    };
    if digits.len() <= scale {
        put(b"0.");
        for _ in digits.len()..scale {
            put(b"0");
        }
        put(digits);
    } else {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        put(whole);
        if !fraction.is_empty() {
            put(b".");
            put(fraction);
        }
    }
    len
}

/// `n` as the decimal digits that fill `into`, zeros before it where it is shorter: two
/// digits a division.
fn digits(mut n: u64, into: &mut [u8]) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut end = into.len();
    while end >= 2 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        into[end - 2..end].copy_from_slice(&PAIRS[pair..pair + 2]);
        end -= 2;
    }
    if end == 1 {
        into[0] = b'0' + (n % 10) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn scaled(units: i128, scale: u32) -> String {
        let mut out = Vec::new();
        write_scaled(&mut out, units, scale);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn figures_are_written_as_normalised_decimals() {
        assert_eq!(scaled(0, 5), "0");
        assert_eq!(scaled(150, 2), "1.5");
        assert_eq!(scaled(100, 2), "1");
        assert_eq!(scaled(-1, 2), "-0.01");
        assert_eq!(scaled(5, 28), "0.0000000000000000000000000005");
        assert_eq!(scaled(12345, 0), "12345");
        assert_eq!(scaled(1200, 1), "120");
    }

    #[test]
    fn wide_mantissas_keep_every_digit() {
        assert_eq!(scaled(116 * 10i128.pow(26), 28), "1.16");
        assert_eq!(
            scaled(-(10i128.pow(38)) - 7, 10),
            "-10000000000000000000000000000.0000000007"
        );
        assert_eq!(scaled(i128::MAX, 0), i128::MAX.to_string());
        assert_eq!(scaled(i128::MIN + 1, 0), (i128::MIN + 1).to_string());
        assert_eq!(scaled(10i128.pow(19), 0), "10000000000000000000");
        // Past the places a decimal has: written whole all the same.
        assert_eq!(scaled(-15, 40), format!("-0.{}15", "0".repeat(38)));
    }

    /// `units × 10^-scale` written the long way: every digit, a point, the zeros cut.
    fn by_hand(units: i128, scale: u32) -> String {
        let digits = units.unsigned_abs().to_string();
        let scale = scale as usize;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        let fraction = fraction.trim_end_matches('0');
        let sign = if units < 0 { "-" } else { "" };
        match (units, fraction) {
            (0, _) => "0".to_string(),
            (_, "") => format!("{sign}{whole}"),
            _ => format!("{sign}{whole}.{fraction}"),
        }
    }

    proptest! {
        #[test]
        fn any_figure_at_any_scale_is_its_digits(
            units in any::<i128>().prop_filter("not MIN", |u| *u != i128::MIN),
            shift in 0u32..128,
            zeros in 0u32..=38,
            scale in 0u32..=80,
        ) {
            // Wide and narrow mantissas, many ending in zeros, at every scale a figure
            // could be asked for (past 36 the room is made to measure).
            let units = (units >> shift).checked_mul(10i128.pow(zeros)).unwrap_or(units >> shift);
            prop_assert_eq!(scaled(units, scale), by_hand(units, scale));
        }

        #[test]
        fn wide_figures_are_written_digit_for_digit(units in any::<i128>().prop_filter("not MIN", |u| *u != i128::MIN)) {
            prop_assert_eq!(scaled(units, 0), units.to_string());
        }

        #[test]
        fn points_kept_at_more_places_are_written_without_their_zeros(
            units in any::<i64>(), shift in 0u32..64, zeros in 0u32..=28, places in 0u32..=28,
        ) {
            // A criterion's points brought to its column's scale, as the engine keeps them.
            let wide = i128::from(units >> shift).checked_mul(10i128.pow(zeros));
            prop_assume!(wide.is_some());
            let wide = wide.unwrap_or_default();
            let scale = places.max(zeros);
            let d = Decimal::from_i128_with_scale(wide % 10i128.pow(28), scale);
            prop_assert_eq!(scaled(d.mantissa(), scale), d.normalize().to_string());
        }

    }
}
