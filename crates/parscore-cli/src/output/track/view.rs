//! A year tracked as people read it: rates as percents with their counts, statuses and
//! sources in the report's language.

use parscore_records::{
    Counts, ExpectedFrom, TrackStatus, Trend, Untracked, UntrackedReason, YearTracking,
};

use super::Tracked;
use crate::output::lang::{Label, Lang};

pub struct View<'a> {
    pub t: &'a YearTracking,
    pub tracked: &'a Tracked<'a>,
    pub lang: Lang,
}

impl<'a> View<'a> {
    pub fn new(tracked: &'a Tracked<'a>, lang: Lang) -> View<'a> {
        View {
            t: tracked.tracking,
            tracked,
            lang,
        }
    }

    pub fn label(&self, label: Label) -> &'static str {
        self.lang.label(label)
    }

    /// `97,14% (34/35)`; `–` when nothing is counted.
    pub fn rate(&self, counts: Counts) -> String {
        match percent(counts) {
            Some(p) => format!("{}% ({})", self.lang.number(&p), self.counts(counts)),
            None => "–".into(),
        }
    }

    /// The percent alone: `97,14`.
    pub fn percent(&self, counts: Counts) -> String {
        percent(counts).map_or_else(|| "–".into(), |p| self.lang.number(&p))
    }

    /// `34/35`, with thousands separated as the language writes them.
    pub fn counts(&self, counts: Counts) -> String {
        format!(
            "{}/{}",
            self.lang.number(&counts.met.to_string()),
            self.lang.number(&counts.total.to_string())
        )
    }

    pub fn number(&self, n: u64) -> String {
        self.lang.number(&n.to_string())
    }

    pub fn status(&self, status: TrackStatus) -> &'static str {
        self.label(match status {
            TrackStatus::Secured => Label::Secured,
            TrackStatus::OnTrack => Label::OnTrack,
            TrackStatus::AtRisk => Label::AtRisk,
            TrackStatus::Impossible => Label::Impossible,
        })
    }

    pub fn expected_from(&self, from: ExpectedFrom) -> &'static str {
        self.label(match from {
            ExpectedFrom::Given => Label::FromGiven,
            ExpectedFrom::PreviousYear => Label::FromPreviousYear,
            ExpectedFrom::Pace => Label::FromPace,
        })
    }

    /// Why a criterion is not tracked, in the report's language.
    pub fn untracked(&self, u: &Untracked) -> String {
        match self.lang {
            Lang::En => u.message.clone(),
            Lang::Vi => match u.reason {
                UntrackedReason::NoTarget => "tiêu chí không có chỉ tiêu để đạt".into(),
                UntrackedReason::NotAFloor => {
                    "chỉ tiêu không phải mức tối thiểu (chỉ theo dõi `>=`, `>` một số)".into()
                }
                UntrackedReason::NothingCounted => {
                    "chưa có hồ sơ nào và không dự kiến có: tỷ lệ không áp dụng".into()
                }
                UntrackedReason::NotSaid => {
                    "hồ sơ trong năm không ghi thông tin này (cột để trống)".into()
                }
            },
        }
    }

    /// A rate's caption: the scheme's title of the indicator it feeds, and the rate.
    pub fn caption(&self, trend: &Trend) -> String {
        match self.tracked.scheme.indicator(&trend.indicator) {
            Some(indicator) if !indicator.title.is_empty() => {
                format!("{} ({})", indicator.title, trend.rate)
            }
            _ => trend.rate.clone(),
        }
    }

    /// The period tracked: `năm 2024, đến 30/06/2024 (182 ngày đã qua, 184 ngày còn lại)`.
    pub fn headline(&self) -> String {
        let (y, m, d) = self.t.as_of.ymd();
        match self.lang {
            Lang::Vi => format!(
                "Năm {}, số liệu đến ngày {d:02}/{m:02}/{y}: {} ngày đã qua, {} ngày còn lại.",
                self.t.year, self.t.days_elapsed, self.t.days_left
            ),
            Lang::En => format!(
                "Year {}, records up to {}: {} days gone, {} days left.",
                self.t.year, self.t.as_of, self.t.days_elapsed, self.t.days_left
            ),
        }
    }

    /// `chắc chắn đạt 1, đúng hướng 0, có nguy cơ 2, không thể đạt 1`.
    pub fn status_counts(&self) -> String {
        [
            TrackStatus::Secured,
            TrackStatus::OnTrack,
            TrackStatus::AtRisk,
            TrackStatus::Impossible,
        ]
        .into_iter()
        .map(|status| {
            let n = self
                .t
                .criteria
                .iter()
                .filter(|l| l.status == status)
                .count();
            format!("{} {n}", self.status(status))
        })
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// How the statuses and the expected dossiers are worked out, in a sentence.
    pub fn method(&self) -> &'static str {
        match self.lang {
            Lang::Vi => {
                "Cần đạt: số hồ sơ nhỏ nhất trong số hồ sơ dự kiến còn lại phải đạt điều kiện \
                 để tỷ lệ cả năm đạt chỉ tiêu, (a + k)/(b + n) ≥ chỉ tiêu, tính bằng số nguyên. \
                 Chắc chắn đạt: đạt kể cả khi không hồ sơ nào còn lại đạt; đúng hướng: giữ tỷ lệ \
                 đến nay là đủ; có nguy cơ: cần tỷ lệ cao hơn đến nay; không thể đạt: không đủ \
                 kể cả khi mọi hồ sơ còn lại đều đạt. Hồ sơ dự kiến: số đã cho (--expected), \
                 hoặc cùng kỳ năm trước trong dữ liệu, hoặc theo nhịp độ đến nay."
            }
            Lang::En => {
                "Needed: the fewest of the dossiers expected in the rest of the year that must \
                 meet the condition for the year's rate to reach the target, (a + k)/(b + n) ≥ \
                 target, in whole numbers. Secured: reached even if none of them does; on \
                 track: keeping the rate so far suffices; at risk: it needs a better rate than \
                 so far; impossible: not reached even if all of them do. Dossiers expected: as \
                 given (--expected), else the same months of the year before in the records, \
                 else the pace so far."
            }
        }
    }

    /// The trends of a unit.
    pub fn trends_of(&self, unit: &str) -> Vec<&'a Trend> {
        self.t.trends.iter().filter(|t| t.unit == unit).collect()
    }

    /// The units tracked, in order.
    pub fn units(&self) -> Vec<&'a str> {
        let mut units: Vec<&str> = Vec::new();
        for unit in self.t.trends.iter().map(|t| t.unit.as_str()) {
            if !units.contains(&unit) {
                units.push(unit);
            }
        }
        units
    }

    /// A month as its number, `01`.
    pub fn month(month: &str) -> &str {
        month.rsplit('-').next().unwrap_or(month)
    }
}

/// `met / total` as a percent with two decimals, rounded half up; `None` when nothing is
/// counted.
pub fn percent(counts: Counts) -> Option<String> {
    let (num, den) = (u128::from(counts.met), u128::from(counts.total));
    if den == 0 {
        return None;
    }
    let hundredths = (num * 20_000 + den) / (2 * den);
    Some(format!("{}.{:02}", hundredths / 100, hundredths % 100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_round_half_up_from_the_counts() {
        let c = |met, total| Counts { met, total };
        assert_eq!(percent(c(34, 35)).unwrap(), "97.14");
        assert_eq!(percent(c(1, 16_000)).unwrap(), "0.01");
        assert_eq!(percent(c(3, 3)).unwrap(), "100.00");
        assert_eq!(percent(c(0, 0)), None);
    }
}
