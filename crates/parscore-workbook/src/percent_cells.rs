//! Excel cells formatted as a percentage. Excel stores the 98.7% a person typed as the
//! number 0.987 and shows it times 100; read as a plain number, such a cell would be a rate
//! of 0.987%, a silent miss of every target. It is read as the text it shows, `98.7%`,
//! which every input reads as the rate 98.7.

use calamine::Style;

/// Which sections of a cell's number format (for positive numbers, negative numbers and
/// zero) show a number as a percentage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PercentFormat {
    sections: [bool; 3],
}

impl PercentFormat {
    /// The format of a cell's style, as calamine reads it from the workbook's styles.
    pub fn of_style(style: &Style) -> PercentFormat {
        style
            .number_format
            .as_ref()
            .map_or_else(PercentFormat::default, |format| {
                PercentFormat::of(&format.format_code)
            })
    }

    /// A number format code, as Excel writes it (`0.0%`, `#,##0.00%;[Red]-0.00%`).
    ///
    /// A section shows a percentage when it holds a `%` that is a format character: not
    /// in quotes, not after `\` (a literal), `_` (a space that wide) or `*` (a fill), and
    /// not inside `[…]` (a colour, condition or locale). A format of one section uses it
    /// for every number, and zero takes the first section when there is no third.
    pub fn of(code: &str) -> PercentFormat {
        // Read once per cell of a sheet: no allocation. A fourth section (text) and beyond
        // have no numbers to show.
        let mut sections = [false; 3];
        let mut section = 0;
        let (mut quoted, mut brackets, mut literal) = (false, false, false);
        for c in code.chars() {
            if literal {
                literal = false;
                continue;
            }
            match c {
                '"' => quoted = !quoted,
                _ if quoted => {}
                '[' => brackets = true,
                ']' => brackets = false,
                _ if brackets => {}
                '\\' | '_' | '*' => literal = true,
                '%' => {
                    if let Some(percent) = sections.get_mut(section) {
                        *percent = true;
                    }
                }
                ';' => section += 1,
                _ => {}
            }
        }
        // The sections not written take the first.
        let first = sections[0];
        sections[(section + 1).min(3)..].fill(first);
        PercentFormat { sections }
    }

    /// The text a number shows in this format when its section is a percentage: its
    /// shortest decimal (the number as stored) times 100, exactly, and `%`. `None` when it
    /// is shown as a plain number.
    pub fn text(self, number: f64) -> Option<String> {
        let section = if number > 0.0 {
            0
        } else if number < 0.0 {
            1
        } else {
            2
        };
        // A zero shows as 0%, whatever its sign bit (Rust prints -0.0 as `-0`).
        let number = if number == 0.0 { 0.0 } else { number };
        self.sections[section].then(|| percent_text(&number.to_string()))
    }
}

/// A plain decimal (`0.987`, `-1.5`, `12`; as Rust prints a double) times 100, and `%`:
/// the point moved two places, so that no rounding can enter.
fn percent_text(decimal: &str) -> String {
    let (sign, digits) = match decimal.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", decimal),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let moved = fraction.len().min(2);
    let shifted = format!("{whole}{}{}", &fraction[..moved], &"00"[moved..]);
    let whole = match shifted.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    let fraction = &fraction[moved..];
    if fraction.is_empty() {
        format!("{sign}{whole}%")
    } else {
        format!("{sign}{whole}.{fraction}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percent_sign_that_formats_makes_a_percentage() {
        for code in [
            "0%",
            "0.00%",
            "#,##0.0%",
            "0.0%;[Red]-0.0%",
            "[Blue]0%",
            "0.0 %",
        ] {
            assert_eq!(PercentFormat::of(code).sections, [true; 3], "{code}");
        }
        for code in [
            "General",
            "0.00",
            "0.0\"%\"",
            "0.0\\%",
            "0_%",
            "0*%",
            "[$%-409]0.00",
            "mm-dd-yy",
            "",
        ] {
            assert_eq!(PercentFormat::of(code), PercentFormat::default(), "{code}");
        }
    }

    #[test]
    fn each_section_says_for_its_own_numbers() {
        assert_eq!(PercentFormat::of("0.0%;-0.0").sections, [true, false, true]);
        assert_eq!(
            PercentFormat::of("0.0;-0.0%;0%").sections,
            [false, true, true]
        );
        let format = PercentFormat::of("0%;-0;\"none\"");
        assert_eq!(format.text(0.5).as_deref(), Some("50%"));
        assert_eq!(format.text(-0.5), None);
        assert_eq!(format.text(0.0), None);
    }

    #[test]
    fn the_text_is_the_stored_number_times_100_exactly() {
        let percent = PercentFormat::of("0.0%");
        let shown = |x: f64| percent.text(x).unwrap();
        assert_eq!(shown(0.987), "98.7%");
        assert_eq!(shown(0.99), "99%");
        assert_eq!(shown(1.0), "100%");
        assert_eq!(shown(0.5), "50%");
        assert_eq!(shown(0.05), "5%");
        assert_eq!(shown(0.0005), "0.05%");
        assert_eq!(shown(0.123456789), "12.3456789%");
        assert_eq!(shown(-0.031), "-3.1%");
        assert_eq!(shown(12.0), "1200%");
        assert_eq!(shown(0.0), "0%");
        assert_eq!(shown(-0.0), "0%");
        // 0.57 * 100 in floats is 56.99999999999999; the text moves the point instead.
        assert_eq!(shown(0.57), "57%");
        assert_eq!(shown(0.29), "29%");
    }
}
