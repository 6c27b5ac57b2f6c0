//! The uncertainty model, written as data: which points may vary and how, which inputs may
//! vary and within what, which methodological choices may be switched. Read from TOML with
//! unknown keys refused and every problem located, like a scheme; compiled against a scheme
//! into what a sample draws.

use std::collections::HashSet;

use parscore::file::{CriterionFile, Num, RoundingFile, RuleFile};
use parscore::text::nfc;
use parscore::{
    IndicatorKind, IndicatorSource, Location, NaPolicy, Problem, ProblemKind, Rounding, Scheme,
    SchemeError,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use toml::Spanned;

/// An uncertainty model file (or the `[uncertainty]` table of a larger TOML file), key for
/// key. `docs/uncertainty.md` documents each key.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// `[weights]`: how the points of areas and criteria vary; none when absent.
    #[serde(default)]
    pub weights: Option<WeightsFile>,
    /// `[[inputs]]`: indicators whose values vary.
    #[serde(default)]
    pub inputs: Vec<InputFile>,
    /// `[methods]`: methodological choices switched from sample to sample.
    #[serde(default)]
    pub methods: MethodsFile,
}

impl ModelFile {
    /// A model file's text, read but not yet checked against a scheme: the model's keys at
    /// the top, or in an `[uncertainty]` table. Unknown keys are refused with their place.
    pub fn from_toml(text: &str) -> Result<ModelFile, SchemeError> {
        let syntax = |e: toml::de::Error| SchemeError::Syntax {
            location: e.span().map(|span| Location::of_offset(text, span.start)),
            code: None,
            message: e.message().trim().to_string(),
        };
        let table: toml::Table = toml::from_str(text).map_err(syntax)?;
        if table.contains_key("uncertainty") {
            Ok(toml::from_str::<Section>(text).map_err(syntax)?.uncertainty)
        } else {
            toml::from_str::<ModelFile>(text).map_err(syntax)
        }
    }
}

impl WeightsFile {
    /// Every criterion's points ± `percent`, uniformly, renormalised so that the scheme's
    /// total is kept (`--weights PCT`); compiling refuses a percent outside 0 to below 100.
    pub fn uniform(percent: Decimal) -> WeightsFile {
        WeightsFile {
            distribution: Distribution::Uniform,
            spread: Some(Spanned::new(0..0, Num(percent))),
            concentration: None,
            vary: Vary::Criteria,
            keep: Keep::Total,
            fixed: Vec::new(),
            criterion: Vec::new(),
        }
    }
}

/// `[weights]`: the points of each varied criterion (or area) are drawn around the scheme's,
/// then renormalised so that the total is kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsFile {
    /// `distribution` (default `uniform`): `uniform` (each varied item's points × a factor
    /// drawn in `[1 − spread, 1 + spread]`) or `dirichlet` (the shares drawn from a Dirichlet
    /// distribution centred on the scheme's shares).
    #[serde(default)]
    pub distribution: Distribution,
    /// `spread` (default 20): the ± percent of a uniform factor, 0 to 99.
    #[serde(default)]
    pub spread: Option<Spanned<Num>>,
    /// `concentration` (default 100): the Dirichlet distribution's concentration; larger
    /// keeps the shares nearer the scheme's.
    #[serde(default)]
    pub concentration: Option<Spanned<Num>>,
    /// `vary` (default `criteria`): `criteria` draws a factor for every leaf criterion,
    /// `areas` one for each area (its criteria keep their split).
    #[serde(default)]
    pub vary: Vary,
    /// `keep` (default `total`): `total` renormalises so that the scheme's total is kept;
    /// `areas` so that every area's total is kept (only the split within an area varies).
    #[serde(default)]
    pub keep: Keep,
    /// `fixed` (default none): codes of areas, groups or criteria whose points never change.
    #[serde(default)]
    pub fixed: Vec<Spanned<String>>,
    /// `[[weights.criterion]]`: a spread of its own for an area, group or criterion (the
    /// most specific applies).
    #[serde(default)]
    pub criterion: Vec<CriterionSpreadFile>,
}

/// `[[weights.criterion]]`: one item's own spread.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpreadFile {
    /// `code`: an area, group or criterion of the scheme.
    pub code: Spanned<String>,
    /// `spread`: the ± percent of its uniform factor, 0 to 99.
    pub spread: Spanned<Num>,
}

/// How factors are drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// A factor in `[1 − spread, 1 + spread]`, each value as likely.
    #[default]
    Uniform,
    /// Shares from a Dirichlet distribution centred on the scheme's shares.
    Dirichlet,
}

/// What draws a factor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vary {
    /// Every leaf criterion.
    #[default]
    Criteria,
    /// Every area, as a whole.
    Areas,
}

/// What renormalisation keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The scheme's total.
    #[default]
    Total,
    /// Every area's total.
    Areas,
}

/// `[[inputs]]`: an indicator whose value varies, per unit, independently.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputFile {
    /// `indicator`: the indicator id (a numeric indicator that some criterion scores).
    pub indicator: Spanned<String>,
    /// `range = [low, high]`: the value is drawn in the range (e.g. survey points not yet
    /// known), replacing the unit's.
    #[serde(default)]
    pub range: Option<Spanned<[Num; 2]>>,
    /// `margin`: the unit's own value ± margin, in the indicator's unit.
    #[serde(default)]
    pub margin: Option<Spanned<Num>>,
    /// `places` (default 2; 0 for a count): decimals of a drawn value.
    #[serde(default)]
    pub places: Option<u32>,
    /// `only_missing` (default `false`): with `range`, only units without a value draw one.
    #[serde(default)]
    pub only_missing: bool,
}

/// `[methods]`: choices drawn, each as likely, from sample to sample.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodsFile {
    /// `not_applicable = ["exclude", "full_points"]`: the policy of every not-applicable
    /// criterion; empty keeps the scheme's.
    #[serde(default)]
    pub not_applicable: Vec<NaPolicy>,
    /// `rounding = [{ places = 2 }, { places = 1, apply = "criterion" }]`: the scheme's
    /// `[rounding]`; empty keeps the scheme's.
    #[serde(default)]
    pub rounding: Vec<RoundingFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    uncertainty: ModelFile,
}

/// How one varied item's factor is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Draw {
    /// `1 ± spread`, uniformly.
    Uniform(f64),
    /// `Gamma(shape) / shape`: normalised with its scope, the shares are Dirichlet.
    Gamma(f64),
}

/// An item (a criterion, or an area as a whole) that draws one factor for its leaves.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WeightItem {
    pub code: String,
    /// The area it lies in (itself for an area): variance shares by area add its items up.
    pub area: String,
    /// Positions among the scheme's leaves.
    pub leaves: Vec<usize>,
    pub draw: Draw,
}

/// An indicator whose value varies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InputItem {
    pub indicator: String,
    pub spread: Spread,
    /// Decimals of a drawn value.
    pub places: u32,
    pub only_missing: bool,
    /// The lowest and highest value the indicator takes (its bounds, and for a `given`
    /// criterion's points its maximum).
    pub bounds: (Option<Decimal>, Option<Decimal>),
}

/// How an input varies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Spread {
    Range(Decimal, Decimal),
    Margin(Decimal),
}

/// A compiled uncertainty model: what each sample of a scheme draws.
///
/// ```
/// use parscore::Scheme;
/// use parscore_uncertainty::Model;
///
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let model = Model::from_toml(&scheme, r#"
///     [weights]
///     spread = 20
///     fixed = ["KS"]          # the survey part keeps its 20 points
///
///     [[inputs]]
///     indicator = "survey_points"
///     range = [14, 19]
///
///     [methods]
///     not_applicable = ["exclude", "full_points"]
/// "#)?;
/// assert!(!model.is_certain());
/// assert!(Model::weights(&scheme, 0.into()).is_certain());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) scheme: Scheme,
    pub(crate) items: Vec<WeightItem>,
    /// Leaves whose points never change, by leaf position.
    pub(crate) fixed: Vec<bool>,
    /// Scopes of renormalisation: the leaves whose maxima keep their sum.
    pub(crate) scopes: Vec<Vec<usize>>,
    pub(crate) inputs: Vec<InputItem>,
    pub(crate) not_applicable: Vec<NaPolicy>,
    pub(crate) rounding: Vec<Rounding>,
}

const DEFAULT_SPREAD: i64 = 20;
const DEFAULT_CONCENTRATION: i64 = 100;

impl Model {
    /// The default for a scheme: for an estimated scheme (`estimated = true`), every
    /// criterion's points ±20%, renormalised to the scheme's total; for an official one,
    /// nothing varies.
    pub fn default_for(scheme: &Scheme) -> Model {
        let spread = if scheme.estimated() {
            DEFAULT_SPREAD
        } else {
            0
        };
        Model::weights(scheme, Decimal::from(spread))
    }

    /// Every criterion's points ± `percent`, renormalised so that the scheme's total is
    /// kept; 0 is no uncertainty at all (the command's `--weights PCT`). A percent outside
    /// 0–99 is taken as its nearest bound.
    pub fn weights(scheme: &Scheme, percent: Decimal) -> Model {
        let file = ModelFile {
            weights: Some(WeightsFile {
                distribution: Distribution::Uniform,
                spread: Some(Spanned::new(
                    0..0,
                    Num(percent.clamp(Decimal::ZERO, Decimal::from(99))),
                )),
                concentration: None,
                vary: Vary::Criteria,
                keep: Keep::Total,
                fixed: Vec::new(),
                criterion: Vec::new(),
            }),
            ..ModelFile::default()
        };
        Model::compile(scheme, file, None).expect("a plain spread within 0–99 is a valid model")
    }

    /// Reads a model from TOML: the model's keys at the top, or in an `[uncertainty]` table.
    /// Unknown keys are refused; every problem is reported with its line and column.
    pub fn from_toml(scheme: &Scheme, text: &str) -> Result<Model, SchemeError> {
        Model::compile(scheme, ModelFile::from_toml(text)?, Some(text))
    }

    /// The model of a file's text (checked, its problems located) with its `[weights]`
    /// replaced by every criterion's points ± `percent`: the command's `--model FILE
    /// --weights PCT`. A percent outside 0 to below 100 is refused.
    pub fn from_toml_with_weights(
        scheme: &Scheme,
        text: &str,
        percent: Decimal,
    ) -> Result<Model, SchemeError> {
        Model::from_toml(scheme, text)?;
        let mut file = ModelFile::from_toml(text)?;
        file.weights = Some(WeightsFile::uniform(percent));
        Model::from_file(scheme, file)
    }

    /// Validates a model built in code against a scheme.
    pub fn from_file(scheme: &Scheme, file: ModelFile) -> Result<Model, SchemeError> {
        Model::compile(scheme, file, None)
    }

    /// Whether nothing varies: every sample is the scheme as it is.
    pub fn is_certain(&self) -> bool {
        self.items.is_empty()
            && self.inputs.is_empty()
            && self.not_applicable.len() <= 1
            && self.rounding.len() <= 1
    }

    /// The scheme the model was compiled against.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    fn compile(scheme: &Scheme, file: ModelFile, text: Option<&str>) -> Result<Model, SchemeError> {
        let mut problems = Problems {
            text,
            found: Vec::new(),
        };
        let tree = Tree::of(scheme);
        let leaves = tree.leaves.len();
        let mut model = Model {
            scheme: scheme.clone(),
            items: Vec::new(),
            fixed: vec![false; leaves],
            scopes: Vec::new(),
            inputs: Vec::new(),
            not_applicable: file.methods.not_applicable.clone(),
            rounding: Vec::new(),
        };
        // A `given` criterion's value is its points: scaling its maximum scales its value,
        // which is safe only when nothing else reads that indicator.
        for (leaf, info) in tree.leaves.iter().enumerate() {
            if info.given && tree.readers(&info.indicator) > 1 {
                model.fixed[leaf] = true;
            }
        }
        if let Some(weights) = &file.weights {
            model.compile_weights(&tree, weights, &mut problems);
        }
        for input in &file.inputs {
            if let Some(item) = compile_input(scheme, &tree, input, &mut problems) {
                if model.inputs.iter().any(|i| i.indicator == item.indicator) {
                    problems.at(
                        &input.indicator,
                        Some(input.indicator.get_ref().clone()),
                        "indicator",
                        ProblemKind::InvalidValue(format!(
                            "indicator `{}` varies twice",
                            item.indicator
                        )),
                    );
                }
                model.inputs.push(item);
            }
        }
        for rounding in &file.methods.rounding {
            if rounding.places > Rounding::MAX_PLACES {
                problems.plain(
                    "rounding",
                    ProblemKind::InvalidValue(format!(
                        "rounding places must be at most {}",
                        Rounding::MAX_PLACES
                    )),
                );
            }
            model.rounding.push(Rounding {
                places: rounding.places,
                mode: rounding.mode,
                scope: rounding.apply,
            });
        }
        if problems.found.is_empty() {
            Ok(model)
        } else {
            Err(SchemeError::Invalid {
                problems: problems.found,
            })
        }
    }

    fn compile_weights(&mut self, tree: &Tree, file: &WeightsFile, problems: &mut Problems<'_>) {
        let percent = |n: &Spanned<Num>, problems: &mut Problems<'_>, code: Option<String>| {
            let value = n.get_ref().0;
            if value < Decimal::ZERO || value >= Decimal::ONE_HUNDRED {
                problems.at(
                    n,
                    code,
                    "spread",
                    ProblemKind::InvalidValue(format!(
                        "spread {value} must lie from 0 to below 100 (percent)"
                    )),
                );
            }
            value.to_f64().unwrap_or(0.0) / 100.0
        };
        let spread = file
            .spread
            .as_ref()
            .map_or(DEFAULT_SPREAD as f64 / 100.0, |s| {
                percent(s, problems, None)
            });
        let concentration = match &file.concentration {
            None => DEFAULT_CONCENTRATION as f64,
            Some(c) => {
                let value = c.get_ref().0;
                if value <= Decimal::ZERO {
                    problems.at(
                        c,
                        None,
                        "concentration",
                        ProblemKind::InvalidValue(format!("concentration {value} must be above 0")),
                    );
                }
                value.to_f64().unwrap_or(1.0)
            }
        };
        if file.distribution == Distribution::Dirichlet
            && let Some(first) = file.criterion.first()
        {
            problems.at(
                &first.spread,
                Some(first.code.get_ref().clone()),
                "spread",
                ProblemKind::InvalidValue(
                    "a criterion's own spread is for the uniform distribution".into(),
                ),
            );
        }
        if file.vary == Vary::Areas && file.keep == Keep::Areas {
            problems.plain(
                "keep",
                ProblemKind::InvalidValue(
                    "keep = \"areas\" keeps every area's points, so areas cannot vary".into(),
                ),
            );
        }
        for code in &file.fixed {
            match tree.node(code.get_ref()) {
                Some(node) => node.leaves.iter().for_each(|&l| self.fixed[l] = true),
                None => problems.unknown(code, "fixed"),
            }
        }
        // The most specific spread of each leaf: deeper codes override shallower ones.
        let mut own: Vec<(usize, f64)> = vec![(0, spread); tree.leaves.len()];
        for item in &file.criterion {
            let value = percent(&item.spread, problems, Some(item.code.get_ref().clone()));
            match tree.node(item.code.get_ref()) {
                Some(node) => {
                    for &leaf in &node.leaves {
                        if node.depth + 1 > own[leaf].0 {
                            own[leaf] = (node.depth + 1, value);
                        }
                    }
                }
                None => problems.unknown(&item.code, "code"),
            }
        }
        let varies = |leaf: usize, model: &Model| {
            !model.fixed[leaf] && tree.leaves[leaf].max > Decimal::ZERO
        };
        // Scopes first: a Dirichlet factor's shape is its share of its scope.
        let scope_of_area = |area: &Node| -> Vec<usize> {
            area.leaves
                .iter()
                .copied()
                .filter(|&l| varies(l, self))
                .collect()
        };
        let scopes: Vec<Vec<usize>> = match file.keep {
            Keep::Total => vec![
                (0..tree.leaves.len())
                    .filter(|&l| varies(l, self))
                    .collect(),
            ],
            Keep::Areas => tree.areas.iter().map(scope_of_area).collect(),
        };
        let scope_max = |leaf: usize| -> Decimal {
            scopes
                .iter()
                .find(|s| s.contains(&leaf))
                .map_or(Decimal::ZERO, |s| {
                    s.iter().map(|&l| tree.leaves[l].max).sum()
                })
        };
        let candidates: Vec<(String, String, Vec<usize>)> = match file.vary {
            Vary::Criteria => (0..tree.leaves.len())
                .filter(|&l| varies(l, self))
                .map(|l| {
                    let info = &tree.leaves[l];
                    (info.code.clone(), info.area.clone(), vec![l])
                })
                .collect(),
            Vary::Areas => tree
                .areas
                .iter()
                .map(|a| (a.code.clone(), a.code.clone(), scope_of_area(a)))
                .filter(|(_, _, leaves)| !leaves.is_empty())
                .collect(),
        };
        for (code, area, leaves) in candidates {
            let draw = match file.distribution {
                Distribution::Uniform => {
                    let spread = own[leaves[0]].1;
                    if spread == 0.0 {
                        continue;
                    }
                    Draw::Uniform(spread)
                }
                Distribution::Dirichlet => {
                    let max: Decimal = leaves.iter().map(|&l| tree.leaves[l].max).sum();
                    let share = (max / scope_max(leaves[0])).to_f64().unwrap_or(1.0);
                    Draw::Gamma(concentration * share)
                }
            };
            self.items.push(WeightItem {
                code,
                area,
                leaves,
                draw,
            });
        }
        if !self.items.is_empty() {
            self.scopes = scopes.into_iter().filter(|s| s.len() > 1).collect();
        }
    }
}

fn compile_input(
    scheme: &Scheme,
    tree: &Tree,
    file: &InputFile,
    problems: &mut Problems<'_>,
) -> Option<InputItem> {
    let id = nfc(file.indicator.get_ref().trim()).into_owned();
    let Some(indicator) = scheme.indicator(&id) else {
        problems.at(
            &file.indicator,
            Some(id.clone()),
            "indicator",
            ProblemKind::UnknownIndicator(id),
        );
        return None;
    };
    let refuse = |problems: &mut Problems<'_>, reason: String| {
        problems.at(
            &file.indicator,
            Some(id.clone()),
            "indicator",
            ProblemKind::InvalidValue(reason),
        );
    };
    if !indicator.kind.is_numeric() {
        refuse(
            problems,
            format!("`{id}` is a yes/no indicator: only numbers can vary"),
        );
        return None;
    }
    if tree.readers(&id) == 0 {
        refuse(problems, format!("no criterion scores `{id}`"));
        return None;
    }
    if scheme.indicators().iter().any(|i| match i.source {
        IndicatorSource::Input => false,
        IndicatorSource::Ratio {
            numerator,
            denominator,
        } => scheme.indicators()[numerator].id == id || scheme.indicators()[denominator].id == id,
        IndicatorSource::Reduction { baseline, current } => {
            scheme.indicators()[baseline].id == id || scheme.indicators()[current].id == id
        }
    }) {
        refuse(
            problems,
            format!("`{id}` is counted into a rate: vary the rate itself"),
        );
        return None;
    }
    let places = file
        .places
        .unwrap_or(if indicator.kind == IndicatorKind::Count {
            0
        } else {
            2
        });
    if places > 10 || (indicator.kind == IndicatorKind::Count && places > 0) {
        refuse(
            problems,
            format!("places {places}: a count draws whole numbers, others at most 10 places"),
        );
    }
    let (mut low, mut high) = bounds(indicator.kind, indicator.min, indicator.max);
    for leaf in tree.leaves.iter().filter(|l| l.given && l.indicator == id) {
        high = Some(high.map_or(leaf.max, |h| h.min(leaf.max)));
        low = Some(low.map_or(Decimal::ZERO, |l| l.max(Decimal::ZERO)));
    }
    let spread = match (&file.range, &file.margin) {
        (Some(range), None) => {
            let [a, b] = *range.get_ref();
            let outside = |v: Decimal| low.is_some_and(|l| v < l) || high.is_some_and(|h| v > h);
            if a.0 > b.0 || outside(a.0) || outside(b.0) {
                problems.at(
                    range,
                    Some(id.clone()),
                    "range",
                    ProblemKind::InvalidValue(format!(
                        "range [{a}, {b}] must go up and lie within what `{id}` takes ({})",
                        show_bounds(low, high)
                    )),
                );
            }
            Spread::Range(a.0, b.0)
        }
        (None, Some(margin)) => {
            if margin.get_ref().0 < Decimal::ZERO {
                problems.at(
                    margin,
                    Some(id.clone()),
                    "margin",
                    ProblemKind::InvalidValue("a margin cannot be negative".into()),
                );
            }
            Spread::Margin(margin.get_ref().0)
        }
        _ => {
            refuse(problems, "give either `range` or `margin`".into());
            return None;
        }
    };
    Some(InputItem {
        indicator: id,
        spread,
        places,
        only_missing: file.only_missing,
        bounds: (low, high),
    })
}

fn show_bounds(low: Option<Decimal>, high: Option<Decimal>) -> String {
    let show = |b: Option<Decimal>| b.map_or("…".to_string(), |d| d.normalize().to_string());
    format!("[{}, {}]", show(low), show(high))
}

/// An indicator's own bounds, else its kind's.
pub(crate) fn bounds(
    kind: IndicatorKind,
    min: Option<Decimal>,
    max: Option<Decimal>,
) -> (Option<Decimal>, Option<Decimal>) {
    let (low, high) = match kind {
        IndicatorKind::Percent => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
        IndicatorKind::Count | IndicatorKind::Points => (Some(Decimal::ZERO), None),
        _ => (None, None),
    };
    (min.or(low), max.or(high))
}

struct Problems<'t> {
    text: Option<&'t str>,
    found: Vec<Problem>,
}

impl Problems<'_> {
    fn at<T>(
        &mut self,
        spanned: &Spanned<T>,
        code: Option<String>,
        field: &str,
        kind: ProblemKind,
    ) {
        let span = spanned.span();
        self.found.push(Problem {
            location: self
                .text
                .filter(|_| span.end > 0)
                .map(|text| Location::of_offset(text, span.start)),
            code,
            field: Some(field.to_string()),
            kind,
        });
    }

    fn plain(&mut self, field: &str, kind: ProblemKind) {
        self.found.push(Problem {
            location: None,
            code: None,
            field: Some(field.to_string()),
            kind,
        });
    }

    fn unknown(&mut self, code: &Spanned<String>, field: &str) {
        let name = code.get_ref().clone();
        self.at(
            code,
            Some(name.clone()),
            field,
            ProblemKind::InvalidValue(format!(
                "`{name}` is not an area or criterion of the scheme"
            )),
        );
    }
}

/// A leaf criterion as the model sees it.
#[derive(Debug, Clone)]
pub(crate) struct LeafInfo {
    pub code: String,
    pub area: String,
    pub indicator: String,
    /// The indicator a `@id` target compares with.
    pub reference: Option<String>,
    pub max: Decimal,
    pub given: bool,
    /// A deduction that may take more than the criterion's maximum, into its group.
    pub negative: bool,
    /// The fewest points its rule gives (`max − cap` for a deduction, else 0): where the
    /// core holds a criterion's rounded points, as `max` above.
    pub least: Decimal,
    pub not_applicable: NaPolicy,
}

/// An area or group with the leaves beneath it.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub code: String,
    pub depth: usize,
    pub leaves: Vec<usize>,
}

/// The scheme's tree as the model needs it, from its file: leaves in scheme order.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub leaves: Vec<LeafInfo>,
    pub nodes: Vec<Node>,
    pub areas: Vec<Node>,
    /// How many criteria and targets read each indicator.
    reads: Vec<String>,
}

impl Tree {
    pub fn of(scheme: &Scheme) -> Tree {
        let file = scheme.file();
        let mut tree = Tree {
            leaves: Vec::new(),
            nodes: Vec::new(),
            areas: Vec::new(),
            reads: Vec::new(),
        };
        for area in &file.areas {
            tree.add(area, &area.code, 0, file.not_applicable);
        }
        tree.areas = tree
            .nodes
            .iter()
            .filter(|n| n.depth == 0)
            .cloned()
            .collect();
        for leaf in scheme.leaves() {
            if let Some(parscore::Target {
                rhs: parscore::Rhs::Indicator(id),
                ..
            }) = leaf.target()
            {
                tree.reads.push(id.clone());
            }
        }
        tree
    }

    /// Adds a criterion file and its children; returns the leaves beneath it.
    fn add(&mut self, file: &CriterionFile, area: &str, depth: usize, na: NaPolicy) -> Vec<usize> {
        let position = self.nodes.len();
        self.nodes.push(Node {
            code: file.code.clone(),
            depth,
            leaves: Vec::new(),
        });
        let leaves = if file.criteria.is_empty() {
            let max = file.max_points.map_or(Decimal::ZERO, |n| n.0);
            let indicator = file.indicator.clone().unwrap_or_default();
            self.reads.push(indicator.clone());
            self.leaves.push(LeafInfo {
                code: file.code.clone(),
                area: area.to_string(),
                reference: file.target.as_deref().and_then(|t| {
                    t.trim()
                        .trim_start_matches(['>', '<', '=', '!'])
                        .trim()
                        .strip_prefix('@')
                        .map(str::to_string)
                }),
                indicator,
                max,
                given: matches!(file.rule, Some(RuleFile::Given)),
                negative: matches!(&file.rule, Some(RuleFile::Deduction { cap, .. }) if cap.0 > max),
                least: match &file.rule {
                    Some(RuleFile::Deduction { cap, .. }) => (max - cap.0).min(max),
                    _ => Decimal::ZERO,
                },
                not_applicable: file.not_applicable.unwrap_or(na),
            });
            vec![self.leaves.len() - 1]
        } else {
            file.criteria
                .iter()
                .flat_map(|c| self.add(c, area, depth + 1, na))
                .collect()
        };
        self.nodes[position].leaves = leaves.clone();
        leaves
    }

    pub fn node(&self, code: &str) -> Option<&Node> {
        let code = nfc(code.trim());
        self.nodes.iter().find(|n| n.code == code)
    }

    /// How many criteria and `@id` targets read an indicator.
    pub fn readers(&self, id: &str) -> usize {
        self.reads.iter().filter(|r| *r == id).count()
    }

    /// Leaves that read an indicator, as their value or their target's reference.
    pub fn reading(&self, ids: &HashSet<&str>) -> Vec<usize> {
        (0..self.leaves.len())
            .filter(|&l| {
                let leaf = &self.leaves[l];
                ids.contains(leaf.indicator.as_str())
                    || leaf.reference.as_deref().is_some_and(|r| ids.contains(r))
            })
            .collect()
    }
}
