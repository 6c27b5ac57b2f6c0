//! Reporting periods: years, quarters, months, or one range of dates.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::{Date, days_in_month};

/// How records are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Calendar years (`2024`); the default.
    #[default]
    Year,
    /// Calendar quarters (quý): January–March is Q1 (`2024-Q1`).
    Quarter,
    /// Calendar months (`2024-03`).
    Month,
    /// One period from `from` to `to`, both included.
    Range {
        /// The first day counted.
        from: Date,
        /// The last day counted, not before `from`.
        to: Date,
    },
}

/// One reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A calendar year, 1900–9999: `2024`.
    Year(i32),
    /// A calendar quarter: `2024-Q2`.
    Quarter {
        /// The year, 1900–9999.
        year: i32,
        /// The quarter, 1 to 4 (Q1 is January–March).
        quarter: u32,
    },
    /// A calendar month: `2024-03`.
    Month {
        /// The year, 1900–9999.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
    },
    /// A range of days, both ends included: `2024-01-15..2024-02-20`.
    Range {
        /// The first day.
        from: Date,
        /// The last day, not before `from`.
        to: Date,
    },
}

impl PeriodKind {
    /// Reads `year`, `quarter`, `month` (also `năm`, `quý`, `tháng`), one period as a range
    /// (`2024`, `2024-Q2`, `2024-03`), or a range of dates `FROM..TO`.
    ///
    /// ```
    /// use parscore_records::{Date, PeriodKind};
    /// assert_eq!(PeriodKind::parse("quarter"), Ok(PeriodKind::Quarter));
    /// let d = |s: &str| Date::parse(s).unwrap();
    /// assert_eq!(PeriodKind::parse("2024-Q2"),
    ///            Ok(PeriodKind::Range { from: d("2024-04-01"), to: d("2024-06-30") }));
    /// assert_eq!(PeriodKind::parse("01/01/2024..15/06/2024"),
    ///            Ok(PeriodKind::Range { from: d("2024-01-01"), to: d("2024-06-15") }));
    /// ```
    pub fn parse(text: &str) -> Result<PeriodKind, String> {
        let trimmed = text.trim();
        match crate::text::fold(trimmed).as_str() {
            "year" | "nam" | "yearly" => return Ok(PeriodKind::Year),
            "quarter" | "quy" | "quarterly" => return Ok(PeriodKind::Quarter),
            "month" | "thang" | "monthly" => return Ok(PeriodKind::Month),
            _ => {}
        }
        if let Some((from, to)) = trimmed.split_once("..") {
            let from = Date::parse(from).map_err(|e| e.to_string())?;
            let to = Date::parse(to).map_err(|e| e.to_string())?;
            if from > to {
                return Err(format!("the period {from}..{to} ends before it starts"));
            }
            return Ok(PeriodKind::Range { from, to });
        }
        let period = Period::parse(trimmed).ok_or_else(|| {
            format!(
                "`{trimmed}` is not a period: write year, quarter, month, 2024, 2024-Q2, \
                 2024-03 or FROM..TO"
            )
        })?;
        Ok(PeriodKind::Range {
            from: period.start(),
            to: period.end(),
        })
    }

    /// The key of the period a date falls in (consecutive periods have consecutive keys);
    /// `None` for a date outside a range.
    pub(crate) fn key(self, date: Date) -> Option<i64> {
        let (year, month, _) = date.ymd();
        let year = i64::from(year);
        let month = i64::from(month);
        match self {
            PeriodKind::Year => Some(year),
            PeriodKind::Quarter => Some(year * 4 + (month - 1) / 3),
            PeriodKind::Month => Some(year * 12 + month - 1),
            PeriodKind::Range { from, to } => (from <= date && date <= to).then_some(0),
        }
    }

    pub(crate) fn period(self, key: i64) -> Period {
        match self {
            PeriodKind::Year => Period::Year(key as i32),
            PeriodKind::Quarter => Period::Quarter {
                year: key.div_euclid(4) as i32,
                quarter: key.rem_euclid(4) as u32 + 1,
            },
            PeriodKind::Month => Period::Month {
                year: key.div_euclid(12) as i32,
                month: key.rem_euclid(12) as u32 + 1,
            },
            PeriodKind::Range { from, to } => Period::Range { from, to },
        }
    }

    /// How reports name the grouping: `year`, `quarter`, `month`, or the range as a period
    /// prints (`2024-Q2`, `2024-01-15..2024-02-20`).
    pub fn name(self) -> String {
        match self {
            PeriodKind::Year => "year".into(),
            PeriodKind::Quarter => "quarter".into(),
            PeriodKind::Month => "month".into(),
            PeriodKind::Range { from, to } => Period::Range { from, to }.to_string(),
        }
    }
}

impl Period {
    /// Reads `2024`, `2024-Q2` or `2024-03`.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let year = |s: &str| {
            (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1900..=9999).contains(y))
        };
        if let Some(y) = year(text) {
            return Some(Period::Year(y));
        }
        let (y, rest) = text.split_once('-')?;
        let y = year(y)?;
        if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            let quarter = q.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?;
            return Some(Period::Quarter { year: y, quarter });
        }
        let month = (rest.len() == 2)
            .then(|| rest.parse::<u32>().ok())
            .flatten()
            .filter(|m| (1..=12).contains(m))?;
        Some(Period::Month { year: y, month })
    }

    /// The first day of the period.
    pub fn start(self) -> Date {
        let ymd = |y, m, d| Date::from_ymd(y, m, d).expect("a period lies in 1900–9999");
        match self {
            Period::Year(year) => ymd(year, 1, 1),
            Period::Quarter { year, quarter } => ymd(year, quarter * 3 - 2, 1),
            Period::Month { year, month } => ymd(year, month, 1),
            Period::Range { from, .. } => from,
        }
    }

    /// The last day of the period.
    pub fn end(self) -> Date {
        let ymd = |y, m, d| Date::from_ymd(y, m, d).expect("a period lies in 1900–9999");
        match self {
            Period::Year(year) => ymd(year, 12, 31),
            Period::Quarter { year, quarter } => {
                let month = quarter * 3;
                ymd(year, month, days_in_month(year, month))
            }
            Period::Month { year, month } => ymd(year, month, days_in_month(year, month)),
            Period::Range { to, .. } => to,
        }
    }
}

impl fmt::Display for Period {
    /// `2024`, `2024-Q2`, `2024-03`; a range that is exactly one of those prints as it,
    /// any other as `2024-01-15..2024-02-20`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(year) => write!(f, "{year}"),
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Range { from, to } => {
                let (year, month, day) = from.ymd();
                let candidates = [
                    Period::Year(year),
                    Period::Quarter {
                        year,
                        quarter: (month - 1) / 3 + 1,
                    },
                    Period::Month { year, month },
                ];
                match candidates
                    .into_iter()
                    .find(|p| day == 1 && p.start() == from && p.end() == to)
                {
                    Some(period) => period.fmt(f),
                    None => write!(f, "{from}..{to}"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn keys_are_consecutive_and_name_their_periods() {
        let q = PeriodKind::Quarter;
        assert_eq!(
            q.key(d("2024-03-31")).unwrap() + 1,
            q.key(d("2024-04-01")).unwrap()
        );
        assert_eq!(
            q.key(d("2024-12-31")).unwrap() + 1,
            q.key(d("2025-01-01")).unwrap()
        );
        assert_eq!(
            q.period(q.key(d("2024-05-17")).unwrap()).to_string(),
            "2024-Q2"
        );
        let m = PeriodKind::Month;
        assert_eq!(
            m.period(m.key(d("2024-02-29")).unwrap()).end(),
            d("2024-02-29")
        );
        assert_eq!(
            m.period(m.key(d("2024-02-29")).unwrap()).to_string(),
            "2024-02"
        );
        let r = PeriodKind::Range {
            from: d("2024-01-01"),
            to: d("2024-06-30"),
        };
        assert_eq!(r.key(d("2024-07-01")), None);
        assert_eq!(r.period(0).to_string(), "2024-01-01..2024-06-30");
    }

    #[test]
    fn parses_period_kinds() {
        assert_eq!(PeriodKind::parse("Tháng"), Ok(PeriodKind::Month));
        assert_eq!(PeriodKind::parse("2024").unwrap().name(), "2024");
        assert_eq!(PeriodKind::parse("2024-03").unwrap().name(), "2024-03");
        assert!(PeriodKind::parse("2024-Q5").is_err());
        assert!(PeriodKind::parse("2024-06-30..2024-01-01").is_err());
        assert!(PeriodKind::parse("fortnight").is_err());
    }
}
