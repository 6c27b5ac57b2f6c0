//! What an input workbook asks for: each input indicator, the area it belongs to, the
//! criteria it decides, and the values it takes.

use parscore::file::{CriterionFile, IndicatorKind, RuleFile};
use parscore::{Criterion, Decimal, Indicator, IndicatorSource, Rhs, Rule, Scheme};

/// An input indicator, as a template column (or form row) asks for it.
pub(crate) struct Input<'s> {
    pub indicator: &'s Indicator,
    /// The position of its area (or section) among the scheme's [`top_groups`]; `None` when
    /// no criterion uses it.
    pub area: Option<usize>,
    /// The leaves whose points depend on it: scoring it, a rate of it, or comparing with it.
    pub leaves: Vec<&'s Criterion>,
    /// Whether `n/a` is a value it may take: when a leaf scores it directly, and so has a
    /// not-applicable policy to apply. A count behind a rate is a count (0 received makes
    /// the rate not applicable), and an indicator a target compares with is a figure.
    pub not_applicable: bool,
    /// The least and most a value may be, where known.
    pub bounds: (Option<Decimal>, Option<Decimal>),
}

impl Input<'_> {
    pub fn title(&self) -> &str {
        if self.indicator.title.is_empty() {
            &self.indicator.id
        } else {
            &self.indicator.title
        }
    }
}

/// Each input indicator, ordered by the area and criterion that first use it (those no
/// criterion uses last), so that a template's columns follow the instrument.
pub(crate) fn inputs(scheme: &Scheme) -> Vec<Input<'_>> {
    let indicators = scheme.indicators();
    let mut inputs: Vec<Input> = indicators
        .iter()
        .filter(|i| i.source == IndicatorSource::Input)
        .map(|indicator| Input {
            indicator,
            area: None,
            leaves: Vec::new(),
            not_applicable: false,
            bounds: bounds(indicator),
        })
        .collect();
    let mut first_use: Vec<usize> = vec![usize::MAX; inputs.len()];
    let mut area = 0;
    let mut areas_seen = 0;
    for (n, criterion) in scheme.criteria().iter().enumerate() {
        if criterion.depth == 0 {
            area = areas_seen;
            areas_seen += 1;
        }
        let Some(own) = scheme.indicator_of(criterion) else {
            continue;
        };
        let mut uses: Vec<(&str, bool)> = vec![(&own.id, true)];
        match own.source {
            IndicatorSource::Input => {}
            IndicatorSource::Ratio {
                numerator,
                denominator,
            } => {
                uses.push((&indicators[numerator].id, false));
                uses.push((&indicators[denominator].id, false));
            }
            IndicatorSource::Reduction { baseline, current } => {
                uses.push((&indicators[baseline].id, false));
                uses.push((&indicators[current].id, false));
            }
        }
        if let Some(Rhs::Indicator(id)) = criterion.target().map(|t| &t.rhs) {
            uses.push((id, false));
        }
        for (id, direct) in uses {
            if let Some(i) = inputs.iter().position(|input| input.indicator.id == id) {
                let input = &mut inputs[i];
                input.area.get_or_insert(area);
                if !input.leaves.iter().any(|c| c.code == criterion.code) {
                    input.leaves.push(criterion);
                }
                input.not_applicable |= direct;
                first_use[i] = first_use[i].min(n);
                if direct && matches!(criterion.rule(), Some(Rule::Given)) {
                    // Given points lie within the criterion's maximum.
                    let max = criterion.max_points;
                    input.bounds.1 = Some(input.bounds.1.map_or(max, |b| b.min(max)));
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| first_use[i]);
    let mut slots: Vec<Option<Input>> = inputs.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// An indicator's own bounds, else its kind's (0–100 for a percent; from 0 for a count or
/// points).
fn bounds(indicator: &Indicator) -> (Option<Decimal>, Option<Decimal>) {
    let (min, max) = match indicator.kind {
        IndicatorKind::Percent => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
        IndicatorKind::Count | IndicatorKind::Points => (Some(Decimal::ZERO), None),
        IndicatorKind::Bool | IndicatorKind::Number => (None, None),
    };
    (indicator.min.or(min), indicator.max.or(max))
}

/// Each area and criterion of the file, in the compiled scheme's order (both pre-order:
/// the areas, then the bonus and penalties sections), for what only the file holds: the
/// evidence asked for, a leaf's own rule as written. `None` for a section's own node and
/// for a penalty, which are no criteria of the file.
pub(crate) fn files(scheme: &Scheme) -> Vec<Option<&CriterionFile>> {
    fn walk<'a>(criterion: &'a CriterionFile, out: &mut Vec<Option<&'a CriterionFile>>) {
        out.push(Some(criterion));
        for child in &criterion.criteria {
            walk(child, out);
        }
    }
    let file = scheme.file();
    let mut out = Vec::new();
    for area in &file.areas {
        walk(area, &mut out);
    }
    if let Some(bonus) = &file.bonus {
        out.push(None);
        for criterion in &bonus.criteria {
            walk(criterion, &mut out);
        }
    }
    if let Some(penalties) = &file.penalties {
        out.extend(std::iter::repeat_n(None, penalties.criteria.len() + 1));
    }
    out
}

/// The top-level groups in the scheme's order: its areas, then the bonus and penalties
/// sections; [`Input::area`] is a position among them.
pub(crate) fn top_groups(scheme: &Scheme) -> Vec<&Criterion> {
    scheme.criteria().iter().filter(|c| c.depth == 0).collect()
}

/// A rule as one line for a person: its kind and parameters.
pub(crate) fn rule_line(rule: &RuleFile, percent: bool) -> String {
    let (kind, parameters) = crate::rule_text::write_rule(rule, percent);
    if parameters.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {parameters}")
    }
}
