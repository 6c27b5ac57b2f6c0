//! A comparison as people read it: figures with the scheme's places in the report's language,
//! the names of the changes, and the sentences that carry figures.

use parscore::{Decimal, Scheme, Value};
use parscore_compare::{Change, Comparison, Kind, Presence, UnitChange};

use crate::output::figures;
use crate::output::lang::{Label, Lang};
use crate::output::report_data::DETAIL_LIMIT;

/// What the table and the reports share.
pub struct View<'a> {
    pub c: &'a Comparison,
    pub scheme: &'a Scheme,
    pub lang: Lang,
}

impl<'a> View<'a> {
    pub fn new(c: &'a Comparison, scheme: &'a Scheme, lang: Lang) -> View<'a> {
        View { c, scheme, lang }
    }

    pub fn label(&self, label: Label) -> &'static str {
        self.lang.label(label)
    }

    /// `Chỉ số (2024)`: a column of one side.
    pub fn of_side(&self, label: Label, after: bool) -> String {
        let side = if after {
            &self.c.labels.after
        } else {
            &self.c.labels.before
        };
        format!("{} ({side})", self.label(label))
    }

    /// A figure with the scheme's decimal places (`97,20`), as published.
    pub fn points(&self, d: Decimal) -> String {
        let mut rounded = self.scheme.rounding().round(d);
        if rounded.is_zero() {
            // No `-0,00` for a loss too small to show.
            rounded = Decimal::ZERO;
        }
        rounded.rescale(self.scheme.rounding().places);
        self.lang.number(&rounded.to_string())
    }

    /// A figure, or nothing.
    pub fn maybe(&self, d: Option<Decimal>) -> String {
        d.map(|d| self.points(d)).unwrap_or_default()
    }

    /// A difference with its sign: `+0,50`, `-1,00`, `0,00`.
    pub fn signed(&self, d: Option<Decimal>) -> String {
        match d {
            None => String::new(),
            Some(d) => {
                let text = self.points(d);
                if d > Decimal::ZERO && !text.trim_matches(['0', ',', '.']).is_empty() {
                    format!("+{text}")
                } else {
                    text
                }
            }
        }
    }

    pub fn value(&self, value: Option<Value>) -> String {
        figures::value(value, self.lang)
    }

    pub fn change(&self, change: Change) -> &'static str {
        self.label(match change {
            Change::NewlyFailed => Label::ChangeNewlyFailed,
            Change::NewlyPassed => Label::ChangeNewlyPassed,
            Change::Down => Label::ChangeDown,
            Change::Up => Label::ChangeUp,
            Change::Same => Label::ChangeSame,
        })
    }

    /// `a → b`, or `a` when both sides say the same.
    pub fn both(&self, before: &str, after: &str) -> String {
        if before == after {
            before.to_string()
        } else {
            format!("{before} → {after}")
        }
    }

    /// A figure of each side as `a → b`; only the side's own for a unit on one side.
    fn sides(&self, u: &UnitChange, before: String, after: String) -> String {
        match u.presence {
            Presence::Both => self.both(&before, &after),
            Presence::BeforeOnly => before,
            Presence::AfterOnly => after,
        }
    }

    pub fn periods(&self, u: &UnitChange) -> String {
        let period = |p: &Option<String>| p.clone().unwrap_or_default();
        self.sides(u, period(&u.period_before), period(&u.period_after))
    }

    pub fn grades(&self, u: &UnitChange) -> String {
        let grade = |g: &Option<String>| g.clone().unwrap_or_else(|| "-".into());
        self.sides(u, grade(&u.grade_before), grade(&u.grade_after))
    }

    pub fn ranks(&self, u: &UnitChange) -> String {
        let rank = |r: Option<usize>| r.map_or_else(|| "-".into(), |r| r.to_string());
        self.sides(u, rank(u.rank_before), rank(u.rank_after))
    }

    /// `mới không đạt 1, giảm 2`: the criteria that moved, by change; `không đổi` when none.
    pub fn changes(&self, u: &UnitChange) -> String {
        let moved: Vec<String> = [
            Change::NewlyFailed,
            Change::NewlyPassed,
            Change::Down,
            Change::Up,
        ]
        .into_iter()
        .filter_map(|change| {
            let n = u.criteria.iter().filter(|c| c.change == change).count();
            (n > 0).then(|| format!("{} {n}", self.change(change)))
        })
        .collect();
        if moved.is_empty() && u.is_compared() {
            self.change(Change::Same).to_string()
        } else {
            moved.join(", ")
        }
    }

    /// What keeps a unit from being compared: on one side only, or a failed row.
    pub fn not_compared(&self, u: &UnitChange) -> Option<String> {
        let labels = &self.c.labels;
        let mut why = Vec::new();
        match u.presence {
            Presence::BeforeOnly => why.push(self.only_in(&labels.before)),
            Presence::AfterOnly => why.push(self.only_in(&labels.after)),
            Presence::Both => {}
        }
        for (error, side) in [
            (&u.error_before, &labels.before),
            (&u.error_after, &labels.after),
        ] {
            if let Some(error) = error {
                why.push(match self.lang {
                    Lang::Vi => format!("lỗi ({side}): {error}"),
                    Lang::En => format!("error ({side}): {error}"),
                });
            }
        }
        (!why.is_empty()).then(|| why.join("; "))
    }

    fn only_in(&self, side: &str) -> String {
        match self.lang {
            Lang::Vi => format!("chỉ có ở {side}"),
            Lang::En => format!("only in {side}"),
        }
    }

    /// What the two sides are.
    pub fn kind(&self) -> &'static str {
        match (self.c.kind, self.lang) {
            (Kind::Periods, Lang::Vi) => "hai kỳ",
            (Kind::Periods, Lang::En) => "two periods",
            (Kind::Rounds, Lang::Vi) => "hai vòng chấm",
            (Kind::Rounds, Lang::En) => "two rounds",
        }
    }

    /// The headline: the mean index on both sides and how many units moved.
    pub fn headline(&self) -> String {
        let s = &self.c.summary;
        let labels = &self.c.labels;
        let mean = |d: Option<Decimal>| {
            d.map_or_else(
                || self.label(Label::NotApplicable).into(),
                |d| self.points(d),
            )
        };
        let mut line = match self.lang {
            Lang::Vi => format!(
                "{} → {} ({}): Chỉ số bình quân {} → {} ({}) của {} đơn vị có ở cả hai bên; \
                 {} tăng, {} giảm, {} không đổi.",
                labels.before,
                labels.after,
                self.kind(),
                mean(s.mean_index_before),
                mean(s.mean_index_after),
                self.signed(s.mean_delta),
                s.both,
                s.up,
                s.down,
                s.same
            ),
            Lang::En => format!(
                "{} → {} ({}): mean index {} → {} ({}) over {} units on both sides; {} up, \
                 {} down, {} unchanged.",
                labels.before,
                labels.after,
                self.kind(),
                mean(s.mean_index_before),
                mean(s.mean_index_after),
                self.signed(s.mean_delta),
                s.both,
                s.up,
                s.down,
                s.same
            ),
        };
        if s.before_only + s.after_only + s.errors > 0 {
            line.push(' ');
            line.push_str(&match self.lang {
                Lang::Vi => format!(
                    "{} đơn vị chỉ có ở {}, {} chỉ có ở {}; {} dòng lỗi.",
                    s.before_only, labels.before, s.after_only, labels.after, s.errors
                ),
                Lang::En => format!(
                    "{} units only in {}, {} only in {}; {} rows with errors.",
                    s.before_only, labels.before, s.after_only, labels.after, s.errors
                ),
            });
        }
        line
    }

    /// Units with criteria without input on either side, for the headline.
    pub fn gaps_line(&self) -> Option<String> {
        let count = |f: fn(&UnitChange) -> Option<usize>| {
            self.c
                .units
                .iter()
                .filter(|u| f(u).is_some_and(|n| n > 0))
                .count()
        };
        let (before, after) = (count(|u| u.missing_before), count(|u| u.missing_after));
        if before + after == 0 {
            return None;
        }
        let labels = &self.c.labels;
        Some(match self.lang {
            Lang::Vi => format!(
                "Có đơn vị thiếu số liệu (tiêu chí chưa có số liệu tính 0 điểm): {before} đơn vị \
                 ở {}, {after} đơn vị ở {}. Chênh lệch của các đơn vị này có thể do thiếu số \
                 liệu, không phải do kết quả thay đổi.",
                labels.before, labels.after
            ),
            Lang::En => format!(
                "Some units lack input (criteria without input score 0): {before} in {}, \
                 {after} in {}. Their differences may come from the gaps, not from results \
                 that changed.",
                labels.before, labels.after
            ),
        })
    }

    /// `chưa có số liệu 2 → 0` for one unit, when it has gaps.
    pub fn unit_gaps(&self, u: &UnitChange) -> Option<String> {
        let (b, a) = (u.missing_before.unwrap_or(0), u.missing_after.unwrap_or(0));
        (b + a > 0).then(|| {
            let counts = match (u.missing_before, u.missing_after) {
                (Some(_), Some(_)) => self.both(&b.to_string(), &a.to_string()),
                _ => (b + a).to_string(),
            };
            format!("{}: {counts}", self.label(Label::Missing))
        })
    }

    /// The units compared in detail: both sides scored, when the comparison is small
    /// enough for a report to show each.
    pub fn details(&self) -> Vec<&'a UnitChange> {
        if self.c.units.len() > DETAIL_LIMIT {
            return Vec::new();
        }
        self.c.units.iter().filter(|u| u.is_compared()).collect()
    }

    pub fn details_omitted(&self) -> Option<String> {
        (self.c.units.len() > DETAIL_LIMIT).then(|| match self.lang {
            Lang::Vi => format!(
                "Chi tiết từng đơn vị chỉ hiển thị khi có tối đa {DETAIL_LIMIT} đơn vị; so sánh \
                 này có {}. `--format xlsx` hoặc `--format json` liệt kê tiêu chí của mọi đơn vị.",
                self.c.units.len()
            ),
            Lang::En => format!(
                "Details per unit are shown for up to {DETAIL_LIMIT} units; this comparison has \
                 {}. `--format xlsx` or `--format json` lists every unit's criteria.",
                self.c.units.len()
            ),
        })
    }

    /// Yes or no in the report's language.
    pub fn yes_no(&self, yes: bool) -> &'static str {
        self.label(if yes { Label::Yes } else { Label::No })
    }

    pub fn lead<'s>(&self, lead: &'s Option<String>) -> &'s str {
        lead.as_deref().unwrap_or("")
    }
}
