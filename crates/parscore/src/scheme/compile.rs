//! Validation and compilation of a scheme file into a [`Scheme`](crate::Scheme): every
//! problem is collected (not just the first), each with its criterion code, key and position.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use super::file::IndicatorKind;
use super::file::{CriterionFile, IndicatorFile, NaPolicy, RuleFile, SchemeFile};
use super::locate::{locate, locate_in_table};
use super::model::{Criterion, Grade, Indicator, IndicatorSource, Leaf, Node, Part, SchemeData};
use super::rounding::Rounding;
use super::rule::{Band, Goalposts, Rule, RuleInput};
use super::target::{Op, Rhs, Target};
use crate::error::{Problem, ProblemKind, SchemeError};
use crate::input::bounds;
use crate::limits::{MAX_POINTS, too_large};
use crate::text::nfc;
use crate::value::Value;

mod sections;

/// A problem before its position in the text is known.
struct Found {
    /// `("code", "III.4.1")` for a criterion, `("id", "on_time")` for an indicator.
    node: Option<(&'static str, String)>,
    field: Option<&'static str>,
    kind: ProblemKind,
}

#[derive(Default)]
struct Problems(Vec<Found>);

impl Problems {
    fn at(
        &mut self,
        key: &'static str,
        node: &str,
        field: Option<&'static str>,
        kind: ProblemKind,
    ) {
        self.0.push(Found {
            node: Some((key, node.to_string())),
            field,
            kind,
        });
    }

    fn criterion(&mut self, code: &str, field: &'static str, kind: ProblemKind) {
        self.at("code", code, Some(field), kind);
    }

    fn indicator(&mut self, id: &str, field: &'static str, kind: ProblemKind) {
        self.at("id", id, Some(field), kind);
    }

    fn top(&mut self, field: &'static str, kind: ProblemKind) {
        self.0.push(Found {
            node: None,
            field: Some(field),
            kind,
        });
    }

    /// A problem with a key of a top-level table that has no code (`[ranking]`).
    fn table(&mut self, table: &'static str, field: &'static str, kind: ProblemKind) {
        self.0.push(Found {
            node: Some(("table", table.to_string())),
            field: Some(field),
            kind,
        });
    }

    /// Positions each problem in the source text. A duplicate is located at its second
    /// definition, the one to remove.
    fn into_error(self, source: Option<&str>) -> SchemeError {
        let problems = self
            .0
            .into_iter()
            .map(|found| {
                let location = source.and_then(|text| match &found.node {
                    Some(("table", table)) => locate_in_table(text, table, found.field?),
                    Some((key, value)) => {
                        let occurrence = usize::from(matches!(
                            found.kind,
                            ProblemKind::DuplicateCode(_) | ProblemKind::DuplicateIndicator(_)
                        ));
                        locate(text, key, value, occurrence, found.field)
                    }
                    None => None,
                });
                Problem {
                    location,
                    code: found
                        .node
                        .filter(|(key, _)| *key != "table")
                        .map(|(_, value)| value),
                    field: found.field.map(str::to_string),
                    kind: found.kind,
                }
            })
            .collect();
        SchemeError::Invalid { problems }
    }
}

pub(crate) fn compile(file: SchemeFile, source: Option<&str>) -> Result<SchemeData, SchemeError> {
    let mut problems = Problems::default();
    let rounding = Rounding {
        places: file.rounding.places,
        mode: file.rounding.mode,
        scope: file.rounding.apply,
    };
    if rounding.places > Rounding::MAX_PLACES {
        problems.top(
            "places",
            ProblemKind::InvalidValue(format!(
                "rounding places must be at most {}",
                Rounding::MAX_PLACES
            )),
        );
    }
    check_numbers(&file, &mut problems);
    if !problems.0.is_empty() {
        // Sums of numbers beyond the limits could overflow: nothing more is checked.
        return Err(problems.into_error(source));
    }
    let grades = compile_grades(&file, &mut problems);
    let (indicators, slots) = compile_indicators(&file.indicators, &mut problems);

    let mut tree = Tree {
        indicators: &indicators,
        slots: &slots,
        default_na: file.not_applicable,
        part: Part::Content,
        nodes: Vec::new(),
        codes: HashSet::new(),
        problems: &mut problems,
    };
    let mut areas = Vec::new();
    for area in &file.areas {
        if area.criteria.is_empty() {
            tree.problems.criterion(
                &area.code,
                "criteria",
                ProblemKind::MissingField {
                    field: "criteria",
                    what: "an area".into(),
                },
            );
        }
        areas.push(tree.add(area, 0));
    }
    let bonus = file.bonus.as_ref().map(|bonus| tree.bonus(bonus));
    let penalties = file.penalties.as_ref().map(|file| tree.penalties(file));
    let nodes = tree.nodes;
    let tie_break = sections::compile_tie_break(&file.ranking.tie_break, &nodes, &mut problems);
    if file.areas.is_empty() {
        problems.top(
            "areas",
            ProblemKind::MissingField {
                field: "areas",
                what: "a scheme".into(),
            },
        );
    }

    let reach: Decimal = nodes
        .iter()
        .filter_map(|c| c.leaf().map(|leaf| (c.max_points, &leaf.rule)))
        .map(|(max, rule)| match rule {
            Rule::Deduction { cap, .. } => max.abs() + cap.abs(),
            _ => max.abs(),
        })
        .fold(Decimal::ZERO, |sum, d| sum.saturating_add(d));
    if reach > MAX_POINTS {
        problems.top(
            "max_points",
            ProblemKind::InvalidValue(format!(
                "the criteria's points and deduction caps add up to {reach}, above the {MAX_POINTS} a scheme may hold"
            )),
        );
    }
    if !problems.0.is_empty() {
        return Err(problems.into_error(source));
    }
    let leaves = (0..nodes.len()).filter(|&i| !nodes[i].is_group()).collect();
    let groups = (0..nodes.len()).filter(|&i| nodes[i].is_group()).collect();
    let max_points = areas.iter().map(|&a| nodes[a].max_points).sum();
    let derived = (0..indicators.len())
        .filter(|&slot| indicators[slot].source != IndicatorSource::Input)
        .collect();
    let above_100 = file.bonus.as_ref().is_some_and(|b| b.index_above_100);
    let ties = file.ranking.ties;
    Ok(SchemeData {
        file,
        indicators,
        derived,
        slots,
        nodes,
        areas,
        leaves,
        groups,
        grades,
        rounding,
        max_points,
        bonus,
        penalties,
        above_100,
        ties,
        tie_break,
    })
}

/// Every number of the criteria within the limits: a file read from text has been checked as
/// it was read, one built in code is checked here, before any sum is formed.
fn check_numbers(file: &SchemeFile, problems: &mut Problems) {
    fn walk(criterion: &CriterionFile, problems: &mut Problems) {
        let mut numbers = vec![("max_points", criterion.max_points)];
        match &criterion.rule {
            Some(RuleFile::Threshold {
                pass_points,
                fail_points,
            }) => numbers.extend([("rule", *pass_points), ("rule", *fail_points)]),
            Some(RuleFile::Proportional { floor, full_at }) => {
                numbers.extend([("rule", *floor), ("rule", *full_at)]);
            }
            Some(RuleFile::Bands { bands }) => numbers.extend(
                bands
                    .iter()
                    .flat_map(|band| [("bands", Some(band.min)), ("bands", Some(band.points))]),
            ),
            Some(RuleFile::Deduction { per, cap }) => {
                numbers.extend([("rule", Some(*per)), ("rule", Some(*cap))]);
            }
            _ => {}
        }
        for (field, number) in numbers {
            if let Some(reason) = number.and_then(|n| too_large(n.0)) {
                problems.criterion(&criterion.code, field, ProblemKind::InvalidValue(reason));
            }
        }
        for child in &criterion.criteria {
            walk(child, problems);
        }
    }
    for area in file
        .areas
        .iter()
        .chain(file.bonus.iter().flat_map(|b| &b.criteria))
    {
        walk(area, problems);
    }
    let mut caps = Vec::new();
    if let Some(bonus) = &file.bonus {
        caps.push((&bonus.code, "cap", bonus.cap));
    }
    if let Some(penalties) = &file.penalties {
        caps.push((&penalties.code, "cap", penalties.cap));
        for penalty in &penalties.criteria {
            caps.push((&penalty.code, "per", penalty.per));
            caps.extend(penalty.cap.map(|cap| (&penalty.code, "cap", cap)));
        }
    }
    for (code, field, number) in caps {
        if let Some(reason) = too_large(number.0) {
            problems.criterion(code, field, ProblemKind::InvalidValue(reason));
        }
    }
    for grade in &file.grades {
        if let Some(reason) = too_large(grade.min_index.0) {
            problems.top("min_index", ProblemKind::InvalidValue(reason));
        }
    }
}

fn compile_grades(file: &SchemeFile, problems: &mut Problems) -> Vec<Grade> {
    let grades: Vec<Grade> = file
        .grades
        .iter()
        .map(|g| Grade {
            name: g.name.clone(),
            min_index: g.min_index.0,
        })
        .collect();
    let mut names = HashSet::new();
    for grade in &grades {
        if grade.min_index.is_sign_negative() || grade.min_index > Decimal::ONE_HUNDRED {
            problems.top(
                "min_index",
                ProblemKind::InvalidValue(format!(
                    "grade `{}` starts at {}: an index lies from 0 to 100",
                    grade.name,
                    grade.min_index.normalize()
                )),
            );
        }
        if !names.insert(nfc(grade.name.trim()).into_owned()) {
            problems.top(
                "name",
                ProblemKind::InvalidValue(format!("grade `{}` is named twice", grade.name)),
            );
        }
    }
    for pair in grades.windows(2) {
        if pair[1].min_index >= pair[0].min_index {
            problems.top(
                "grades",
                ProblemKind::GradesOutOfOrder(pair[1].name.clone()),
            );
        }
    }
    grades
}

fn compile_indicators(
    files: &[IndicatorFile],
    problems: &mut Problems,
) -> (Vec<Indicator>, HashMap<String, usize>) {
    let mut slots = HashMap::new();
    for (slot, file) in files.iter().enumerate() {
        if slots.insert(file.id.clone(), slot).is_some() {
            problems.indicator(
                &file.id,
                "id",
                ProblemKind::DuplicateIndicator(file.id.clone()),
            );
        }
        if file.id.is_empty() {
            problems.top(
                "id",
                ProblemKind::InvalidValue(format!(
                    "an indicator has an empty id{}",
                    if file.title.is_empty() {
                        String::new()
                    } else {
                        format!(" (`{}`)", file.title)
                    }
                )),
            );
        } else if file.id == "unit" || file.id == "period" {
            problems.indicator(
                &file.id,
                "id",
                ProblemKind::InvalidValue(format!(
                    "`{}` names the column of an input's {0}, so an indicator of that id could never receive a value",
                    file.id
                )),
            );
        } else if !file.id.chars().all(|c| c.is_alphanumeric() || c == '_') {
            problems.indicator(
                &file.id,
                "id",
                ProblemKind::InvalidValue(format!(
                    "indicator id `{}` must be letters, digits and _ only",
                    file.id
                )),
            );
        }
    }
    let indicators = files
        .iter()
        .map(|file| {
            let source = indicator_source(file, files, &slots, problems);
            for (field, bound) in [("min", file.min), ("max", file.max)] {
                if let Some(reason) = bound.and_then(|b| too_large(b.0)) {
                    problems.indicator(&file.id, field, ProblemKind::InvalidValue(reason));
                }
            }
            if let (Some(min), Some(max)) = (file.min, file.max)
                && min > max
            {
                problems.indicator(
                    &file.id,
                    "min",
                    ProblemKind::InvalidValue(format!("min {min} is above max {max}")),
                );
            }
            Indicator {
                id: file.id.clone(),
                title: file.title.clone(),
                kind: file.kind,
                min: file.min.map(|n| n.0),
                max: file.max.map(|n| n.0),
                source,
            }
        })
        .collect();
    (indicators, slots)
}

/// Resolves `numerator`/`denominator` or `baseline`/`current` to the slots of input
/// indicators of a fitting kind. Sources must themselves be inputs, so no cycle can form.
fn indicator_source(
    file: &IndicatorFile,
    files: &[IndicatorFile],
    slots: &HashMap<String, usize>,
    problems: &mut Problems,
) -> IndicatorSource {
    let id = &file.id;
    let ratio = file.numerator.is_some() || file.denominator.is_some();
    let reduction = file.baseline.is_some() || file.current.is_some();
    if (ratio || reduction) && file.kind != IndicatorKind::Percent {
        problems.indicator(
            id,
            "kind",
            ProblemKind::KindMismatch(format!(
                "a derived rate is a percent, not a {}",
                file.kind.name()
            )),
        );
    }
    if ratio && reduction {
        problems.indicator(
            id,
            "baseline",
            ProblemKind::UnexpectedField {
                field: "baseline",
                what: "a rate of numerator/denominator".into(),
            },
        );
        return IndicatorSource::Input;
    }
    let mut source_slot = |field: &'static str, name: &Option<String>, kinds: &[IndicatorKind]| {
        let Some(name) = name else {
            problems.indicator(
                id,
                field,
                ProblemKind::MissingField {
                    field,
                    what: format!("indicator `{id}` (it has the other half of the pair)"),
                },
            );
            return None;
        };
        let Some(&slot) = slots.get(name) else {
            problems.indicator(id, field, ProblemKind::UnknownIndicator(name.clone()));
            return None;
        };
        let source = &files[slot];
        let derived = source.numerator.is_some()
            || source.denominator.is_some()
            || source.baseline.is_some()
            || source.current.is_some();
        if derived || !kinds.contains(&source.kind) {
            let wanted: Vec<_> = kinds.iter().map(|k| k.name()).collect();
            problems.indicator(
                id,
                field,
                ProblemKind::KindMismatch(format!(
                    "`{name}` must be an input indicator of kind {}",
                    wanted.join(" or ")
                )),
            );
            return None;
        }
        Some(slot)
    };
    if ratio {
        let counts = [IndicatorKind::Count];
        let numerator = source_slot("numerator", &file.numerator, &counts);
        let denominator = source_slot("denominator", &file.denominator, &counts);
        if let (Some(numerator), Some(denominator)) = (numerator, denominator) {
            return IndicatorSource::Ratio {
                numerator,
                denominator,
            };
        }
    } else if reduction {
        let quantities = [IndicatorKind::Count, IndicatorKind::Number];
        let baseline = source_slot("baseline", &file.baseline, &quantities);
        let current = source_slot("current", &file.current, &quantities);
        if let (Some(baseline), Some(current)) = (baseline, current) {
            return IndicatorSource::Reduction { baseline, current };
        }
    }
    IndicatorSource::Input
}

struct Tree<'a> {
    indicators: &'a [Indicator],
    slots: &'a HashMap<String, usize>,
    default_na: NaPolicy,
    /// The part the nodes being added belong to.
    part: Part,
    nodes: Vec<Criterion>,
    codes: HashSet<String>,
    problems: &'a mut Problems,
}

impl Tree<'_> {
    /// Adds a node with a unique code, to be filled in; returns its index.
    fn open(&mut self, code: &str, title: &str, depth: usize) -> usize {
        if code.is_empty() {
            self.problems.top(
                "code",
                ProblemKind::InvalidValue(format!("criterion `{title}` has an empty code")),
            );
        }
        if !self.codes.insert(code.to_string()) {
            self.problems
                .criterion(code, "code", ProblemKind::DuplicateCode(code.to_string()));
        }
        self.nodes.push(Criterion {
            code: code.to_string(),
            title: title.to_string(),
            task: None,
            lead: None,
            coordinating: None,
            timeline: None,
            result: None,
            max_points: Decimal::ZERO,
            depth,
            part: self.part,
            node: placeholder(),
        });
        self.nodes.len() - 1
    }

    /// Adds a criterion and its children in pre-order; returns its node index.
    fn add(&mut self, file: &CriterionFile, depth: usize) -> usize {
        let index = self.open(&file.code, &file.title, depth);
        let node = &mut self.nodes[index];
        node.task = file.task.clone();
        node.lead = file.lead.clone();
        node.coordinating = file.coordinating.clone();
        node.timeline = file.timeline.clone();
        node.result = file.result.clone();
        let (max_points, node) = if file.criteria.is_empty() {
            self.leaf(file)
        } else {
            self.group(file, depth)
        };
        self.nodes[index].max_points = max_points;
        self.nodes[index].node = node;
        index
    }

    fn group(&mut self, file: &CriterionFile, depth: usize) -> (Decimal, Node) {
        let code = &file.code;
        for (field, present) in [
            ("indicator", file.indicator.is_some()),
            ("rule", file.rule.is_some()),
            ("target", file.target.is_some()),
            ("not_applicable", file.not_applicable.is_some()),
        ] {
            if present {
                self.problems.criterion(
                    code,
                    field,
                    ProblemKind::UnexpectedField {
                        field,
                        what: "a group (a criterion with criteria of its own)".into(),
                    },
                );
            }
        }
        let children: Vec<usize> = file
            .criteria
            .iter()
            .map(|c| self.add(c, depth + 1))
            .collect();
        let sum: Decimal = children.iter().map(|&c| self.nodes[c].max_points).sum();
        if let Some(stated) = file.max_points
            && stated.0 != sum
        {
            self.problems.criterion(
                code,
                "max_points",
                ProblemKind::GroupMaxMismatch {
                    stated: stated.to_string(),
                    sum: sum.normalize().to_string(),
                },
            );
        }
        (sum, Node::Group { children })
    }

    fn leaf(&mut self, file: &CriterionFile) -> (Decimal, Node) {
        let code = file.code.as_str();
        let mut missing = |field: &'static str| {
            self.problems.criterion(
                code,
                field,
                ProblemKind::MissingField {
                    field,
                    what: "a leaf criterion".into(),
                },
            );
        };
        let (indicator_id, max, rule_file) = match (&file.indicator, file.max_points, &file.rule) {
            (Some(i), Some(m), Some(r)) => (i, m.0, r),
            (i, m, r) => {
                if i.is_none() {
                    missing("indicator");
                }
                if m.is_none() {
                    missing("max_points");
                }
                if r.is_none() {
                    missing("rule");
                }
                return (Decimal::ZERO, placeholder());
            }
        };
        if max.is_sign_negative() {
            self.problems.criterion(
                code,
                "max_points",
                ProblemKind::InvalidValue(format!("max_points {max} is negative")),
            );
        }
        let Some(&slot) = self.slots.get(indicator_id) else {
            self.problems.criterion(
                code,
                "indicator",
                ProblemKind::UnknownIndicator(indicator_id.clone()),
            );
            return (max, placeholder());
        };
        let kind = self.indicators[slot].kind;
        let (target, target_slot) = self.target(code, file.target.as_deref(), slot);
        let rule = self.rule(code, rule_file, max, kind, target.is_some());
        self.within_range(code, &rule, slot);
        let points_at_target = match (&rule, target.as_ref().map(|t| (t.op, &t.rhs))) {
            (Rule::Proportional(_) | Rule::Bands(_), Some((Op::Ge | Op::Gt, Rhs::Number(d)))) => {
                RuleInput::of(Value::Number(*d))
                    .and_then(|aim| rule.points(max, aim, Some(true)).ok())
            }
            _ => None,
        };
        (
            max,
            Node::Leaf(Leaf {
                indicator: slot,
                rule,
                target,
                target_slot,
                not_applicable: file.not_applicable.unwrap_or(self.default_na),
                points_at_target,
            }),
        )
    }

    fn target(
        &mut self,
        code: &str,
        text: Option<&str>,
        indicator: usize,
    ) -> (Option<Target>, Option<usize>) {
        let Some(text) = text else {
            return (None, None);
        };
        let kind = self.indicators[indicator].kind;
        // `>= 99%` reads as 99 on a percent, as a cell does; on anything else a percent
        // sign is a mistake, as in a cell.
        if text.trim_end().ends_with('%') && kind != IndicatorKind::Percent {
            self.problems.criterion(
                code,
                "target",
                ProblemKind::KindMismatch(format!(
                    "target `{text}` is a percentage but the indicator is a {}",
                    kind.name()
                )),
            );
            return (None, None);
        }
        let target: Target = match text.parse() {
            Ok(t) => t,
            Err(reason) => {
                self.problems
                    .criterion(code, "target", ProblemKind::InvalidValue(reason));
                return (None, None);
            }
        };
        let mismatch = |what: &str| {
            ProblemKind::KindMismatch(format!(
                "target `{target}` compares {what} but the indicator is a {}",
                kind.name()
            ))
        };
        let mut slot = None;
        match &target.rhs {
            Rhs::Bool(_) if kind.is_numeric() => {
                self.problems.criterion(code, "target", mismatch("a bool"));
            }
            Rhs::Number(_) if !kind.is_numeric() => {
                self.problems
                    .criterion(code, "target", mismatch("a number"));
            }
            Rhs::Indicator(id) => match self.slots.get(id) {
                None => self.problems.criterion(
                    code,
                    "target",
                    ProblemKind::UnknownIndicator(id.clone()),
                ),
                Some(&other) if self.indicators[other].kind.is_numeric() != kind.is_numeric() => {
                    let other_kind = self.indicators[other].kind.name();
                    self.problems
                        .criterion(code, "target", mismatch(&format!("a {other_kind}")));
                }
                Some(&other) if other == indicator => self.problems.criterion(
                    code,
                    "target",
                    ProblemKind::InvalidValue(format!(
                        "target `{target}` compares the indicator with itself: it is always or never met"
                    )),
                ),
                Some(&other) => slot = Some(other),
            },
            Rhs::Number(bound) => {
                if let Some(reason) = too_large(*bound) {
                    self.problems
                        .criterion(code, "target", ProblemKind::InvalidValue(reason));
                } else if let Some(verdict) = decided(target.op, *bound, &self.indicators[indicator])
                {
                    self.problems.criterion(
                        code,
                        "target",
                        ProblemKind::InvalidValue(format!(
                            "target `{target}` is {verdict} met by a {} of `{}`",
                            kind.name(),
                            self.indicators[indicator].id
                        )),
                    );
                }
            }
            _ => {}
        }
        if !kind.is_numeric() && !matches!(target.op, Op::Eq | Op::Ne) {
            self.problems
                .criterion(code, "target", mismatch("with an order"));
        }
        (Some(target), slot)
    }

    fn rule(
        &mut self,
        code: &str,
        file: &RuleFile,
        max: Decimal,
        kind: IndicatorKind,
        has_target: bool,
    ) -> Rule {
        use IndicatorKind::{Bool, Count, Number, Percent, Points};
        let fits: &[IndicatorKind] = match file {
            RuleFile::Threshold { .. } => &[Percent, Count, Bool, Points, Number],
            RuleFile::Proportional { .. } => &[Percent, Number],
            RuleFile::Bands { .. } => &[Percent, Count, Points, Number],
            RuleFile::Boolean => &[Bool],
            RuleFile::Given => &[Points, Number],
            RuleFile::Deduction { .. } => &[Count],
        };
        let rule = match file {
            RuleFile::Threshold {
                pass_points,
                fail_points,
            } => {
                let pass = pass_points.map_or(max, |n| n.0);
                let fail = fail_points.map_or(Decimal::ZERO, |n| n.0);
                if !has_target {
                    self.problems.criterion(
                        code,
                        "target",
                        ProblemKind::MissingField {
                            field: "target",
                            what: "a threshold rule".into(),
                        },
                    );
                }
                if pass > max || fail.is_sign_negative() || fail > pass {
                    self.problems.criterion(
                        code,
                        "rule",
                        ProblemKind::InvalidValue(format!(
                            "threshold points need 0 ≤ fail_points ({fail}) ≤ pass_points ({pass}) ≤ max_points ({max})"
                        )),
                    );
                }
                Rule::Threshold { pass, fail }
            }
            RuleFile::Proportional { floor, full_at } => {
                let floor = floor.map_or(Decimal::ZERO, |n| n.0);
                let full_at = full_at.map_or(Decimal::ONE_HUNDRED, |n| n.0);
                let posts = Goalposts::new(floor, full_at).unwrap_or_else(|| {
                    self.problems.criterion(
                        code,
                        "rule",
                        ProblemKind::InvalidValue(format!(
                            "floor {floor} must lie below full_at {full_at}"
                        )),
                    );
                    Goalposts::PLAIN
                });
                Rule::Proportional(posts)
            }
            RuleFile::Bands { bands } => {
                let bands: Vec<Band> = bands
                    .iter()
                    .map(|b| Band {
                        min: b.min.0,
                        points: b.points.0,
                    })
                    .collect();
                self.check_bands(code, &bands, max);
                Rule::Bands(bands)
            }
            RuleFile::Boolean => Rule::Boolean,
            RuleFile::Given => Rule::Given,
            RuleFile::Deduction { per, cap } => {
                if per.0 <= Decimal::ZERO || cap.0 <= Decimal::ZERO {
                    self.problems.criterion(
                        code,
                        "rule",
                        ProblemKind::InvalidValue("deduction per and cap must be above 0".into()),
                    );
                }
                Rule::Deduction {
                    per: per.0,
                    cap: cap.0,
                }
            }
        };
        if !fits.contains(&kind) {
            self.problems.criterion(
                code,
                "rule",
                ProblemKind::KindMismatch(format!(
                    "a {} rule cannot score a {} indicator",
                    rule.kind(),
                    kind.name()
                )),
            );
        }
        rule
    }

    /// Goal posts and bands inside the range the indicator's values can take: a post or a
    /// band beyond it could never be reached (or is always passed), a typo of a scale.
    fn within_range(&mut self, code: &str, rule: &Rule, indicator: usize) {
        let (least, most) = bounds(&self.indicators[indicator]);
        let outside = |value: Decimal| {
            least.is_some_and(|least| value < least) || most.is_some_and(|most| value > most)
        };
        let range = || {
            let show =
                |b: Option<Decimal>| b.map_or("…".to_string(), |d| d.normalize().to_string());
            format!("[{}, {}]", show(least), show(most))
        };
        match rule {
            Rule::Proportional(posts) => {
                for (name, post) in [("floor", posts.floor()), ("full_at", posts.full_at())] {
                    if outside(post) {
                        self.problems.criterion(
                            code,
                            "rule",
                            ProblemKind::InvalidValue(format!(
                                "{name} {} lies outside the indicator's range {}",
                                post.normalize(),
                                range()
                            )),
                        );
                    }
                }
            }
            Rule::Bands(bands) => {
                for band in bands.iter().filter(|band| outside(band.min)) {
                    self.problems.criterion(
                        code,
                        "bands",
                        ProblemKind::Bands(format!(
                            "band at {} lies outside the indicator's range {}",
                            band.min.normalize(),
                            range()
                        )),
                    );
                }
            }
            _ => {}
        }
    }

    fn check_bands(&mut self, code: &str, bands: &[Band], max: Decimal) {
        if bands.is_empty() {
            self.problems.criterion(
                code,
                "bands",
                ProblemKind::Bands("a bands rule needs at least one band".into()),
            );
        }
        for band in bands {
            if band.points > max || band.points.is_sign_negative() {
                self.problems.criterion(
                    code,
                    "bands",
                    ProblemKind::Bands(format!(
                        "band at {} gives {} points, outside [0, {}]",
                        band.min, band.points, max
                    )),
                );
            }
        }
        for pair in bands.windows(2) {
            if pair[1].min >= pair[0].min {
                self.problems.criterion(
                    code,
                    "bands",
                    ProblemKind::Bands(format!(
                        "bands out of order: min {} follows min {} (highest first)",
                        pair[1].min, pair[0].min
                    )),
                );
            } else if pair[1].points > pair[0].points {
                self.problems.criterion(
                    code,
                    "bands",
                    ProblemKind::Bands(format!(
                        "band at {} gives more points than the band above it",
                        pair[1].min
                    )),
                );
            }
        }
    }
}

/// Whether `op bound` is decided by the indicator's range alone: `Some("always")` when every
/// value it accepts meets it, `Some("never")` when none does.
fn decided(op: Op, bound: Decimal, indicator: &Indicator) -> Option<&'static str> {
    let (least, most) = bounds(indicator);
    let below = |limit: Option<Decimal>, strict: bool| {
        limit.is_some_and(|l| if strict { bound < l } else { bound <= l })
    };
    let above = |limit: Option<Decimal>, strict: bool| {
        limit.is_some_and(|l| if strict { bound > l } else { bound >= l })
    };
    let whole = indicator.kind == IndicatorKind::Count;
    let unreachable = below(least, true) || above(most, true) || whole && !bound.fract().is_zero();
    match op {
        Op::Ge if above(most, true) => Some("never"),
        Op::Ge if below(least, false) => Some("always"),
        Op::Gt if above(most, false) => Some("never"),
        Op::Gt if below(least, true) => Some("always"),
        Op::Le if below(least, true) => Some("never"),
        Op::Le if above(most, false) => Some("always"),
        Op::Lt if below(least, false) => Some("never"),
        Op::Lt if above(most, true) => Some("always"),
        Op::Eq if unreachable => Some("never"),
        Op::Ne if unreachable => Some("always"),
        _ => None,
    }
}

/// Stands in for a leaf that failed validation; never evaluated, since compilation fails.
fn placeholder() -> Node {
    Node::Group {
        children: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::error::{Location, ProblemKind, SchemeError};
    use crate::scheme::Scheme;

    const VALID: &str = r#"id = "t"
title = "Test"
version = "1"

[[grades]]
name = "Tốt"
min_index = 80

[[grades]]
name = "Khá"
min_index = 60

[[indicators]]
id = "rate"
kind = "percent"

[[indicators]]
id = "done"
kind = "bool"

[[indicators]]
id = "n"
kind = "count"

[[areas]]
code = "A"
title = "Area"
max_points = 4

[[areas.criteria]]
code = "A.1"
title = "Rate"
indicator = "rate"
max_points = 2
target = ">= 99"
rule = { kind = "bands", bands = [{ min = 99, points = 2 }, { min = 90, points = 1 }] }

[[areas.criteria]]
code = "A.2"
title = "Done"
indicator = "done"
max_points = 1
target = "== true"
rule = { kind = "threshold" }

[[areas.criteria]]
code = "A.3"
title = "Count"
indicator = "n"
max_points = 1
rule = { kind = "deduction", per = 0.5, cap = 1 }
"#;

    fn problems(text: &str) -> Vec<crate::Problem> {
        match Scheme::from_toml(text) {
            Err(SchemeError::Invalid { problems }) => problems,
            other => panic!("expected validation problems, got {other:?}"),
        }
    }

    fn with(from: &str, to: &str) -> String {
        assert!(VALID.contains(from), "{from}");
        VALID.replacen(from, to, 1)
    }

    #[test]
    fn the_base_scheme_is_valid() {
        let scheme = Scheme::from_toml(VALID).unwrap();
        assert_eq!(scheme.max_points().to_string(), "4");
        assert_eq!(scheme.leaves().count(), 3);
    }

    #[test]
    fn unknown_keys_are_refused_with_their_position() {
        let text = with("max_points = 1\ntarget", "max_point = 1\ntarget");
        match Scheme::from_toml(&text) {
            Err(SchemeError::Syntax {
                location, message, ..
            }) => {
                assert_eq!(location.map(|l| l.line), Some(42));
                assert!(message.contains("unknown field `max_point`"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let json = r#"{"id": "t", "title": "T", "version": "1", "indicators": [],
  "areas": [], "colour": 1}"#;
        match Scheme::from_json(json) {
            Err(SchemeError::Syntax {
                location, message, ..
            }) => {
                assert_eq!(
                    location,
                    Some(Location {
                        line: 2,
                        column: 23
                    })
                );
                assert!(message.contains("unknown field `colour`"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn duplicate_codes_point_at_the_second() {
        let p = problems(&with("code = \"A.2\"", "code = \"A.1\""));
        assert_eq!(p[0].kind, ProblemKind::DuplicateCode("A.1".into()));
        assert_eq!(p[0].code.as_deref(), Some("A.1"));
        assert_eq!(
            p[0].location,
            Some(Location {
                line: 39,
                column: 1
            })
        );
    }

    #[test]
    fn duplicate_indicators_are_refused() {
        let p = problems(&with("id = \"n\"", "id = \"done\""));
        assert!(
            p.iter()
                .any(|p| p.kind == ProblemKind::DuplicateIndicator("done".into())
                    && p.location
                        == Some(Location {
                            line: 22,
                            column: 1
                        }))
        );
    }

    #[test]
    fn undeclared_indicators_are_named() {
        let p = problems(&with("indicator = \"done\"", "indicator = \"finished\""));
        assert_eq!(p[0].kind, ProblemKind::UnknownIndicator("finished".into()));
        assert_eq!(p[0].code.as_deref(), Some("A.2"));
        assert_eq!(p[0].field.as_deref(), Some("indicator"));
        assert_eq!(
            p[0].location,
            Some(Location {
                line: 41,
                column: 1
            })
        );
        let p = problems(&with("target = \">= 99\"", "target = \">= @elsewhere\""));
        assert_eq!(p[0].kind, ProblemKind::UnknownIndicator("elsewhere".into()));
    }

    #[test]
    fn group_maximum_must_match_its_children() {
        let p = problems(&with("max_points = 4", "max_points = 5"));
        assert_eq!(
            p[0].kind,
            ProblemKind::GroupMaxMismatch {
                stated: "5".into(),
                sum: "4".into()
            }
        );
        assert_eq!(
            p[0].location,
            Some(Location {
                line: 28,
                column: 1
            })
        );
    }

    #[test]
    fn bands_must_descend_and_stay_within_the_maximum() {
        let p = problems(&with(
            "{ min = 90, points = 1 }",
            "{ min = 99.5, points = 1 }",
        ));
        assert!(matches!(&p[0].kind, ProblemKind::Bands(m) if m.contains("out of order")));
        assert_eq!(p[0].location.map(|l| l.line), Some(36));
        let p = problems(&with(
            "{ min = 90, points = 1 }",
            "{ min = 90, points = 3 }",
        ));
        assert!(
            p.iter()
                .any(|p| matches!(&p.kind, ProblemKind::Bands(m) if m.contains("outside [0, 2]")))
        );
        let p = problems(&with(
            "{ min = 99, points = 2 }",
            "{ min = 99, points = 0.5 }",
        ));
        assert!(matches!(&p[0].kind, ProblemKind::Bands(m) if m.contains("more points")));
    }

    #[test]
    fn grades_must_descend() {
        let p = problems(&with("min_index = 60", "min_index = 85"));
        assert_eq!(p[0].kind, ProblemKind::GradesOutOfOrder("Khá".into()));
    }

    #[test]
    fn targets_and_rules_must_fit_the_indicator_kind() {
        let p = problems(&with("target = \"== true\"", "target = \">= 1\""));
        assert!(
            matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("compares a number"))
        );
        let p = problems(&with("target = \">= 99\"", "target = \"== true\""));
        assert!(
            matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("compares a bool"))
        );
        let p = problems(&with("kind = \"threshold\"", "kind = \"given\""));
        assert!(
            matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("given rule cannot score a bool"))
        );
        let p = problems(&with(
            "target = \"== true\"\nrule = { kind = \"threshold\" }",
            "rule = { kind = \"threshold\" }",
        ));
        assert!(matches!(
            &p[0].kind,
            ProblemKind::MissingField {
                field: "target",
                ..
            }
        ));
        let p = problems(&with("target = \">= 99\"", "target = \"99\""));
        assert!(matches!(&p[0].kind, ProblemKind::InvalidValue(m) if m.contains("operator")));
    }

    #[test]
    fn leaves_need_their_fields_and_groups_refuse_leaf_fields() {
        let p = problems(&with("indicator = \"n\"\n", ""));
        assert_eq!(p[0].code.as_deref(), Some("A.3"));
        assert!(matches!(
            p[0].kind,
            ProblemKind::MissingField {
                field: "indicator",
                ..
            }
        ));
        let p = problems(&with(
            "max_points = 4",
            "max_points = 4\nrule = { kind = \"given\" }",
        ));
        assert!(matches!(
            p[0].kind,
            ProblemKind::UnexpectedField { field: "rule", .. }
        ));
    }

    #[test]
    fn derived_rates_need_count_sources() {
        let text = with(
            "[[indicators]]\nid = \"n\"",
            "[[indicators]]\nid = \"r2\"\nkind = \"percent\"\nnumerator = \"done\"\ndenominator = \"n\"\n\n[[indicators]]\nid = \"n\"",
        );
        let p = problems(&text);
        assert_eq!(p[0].code.as_deref(), Some("r2"));
        assert_eq!(p[0].field.as_deref(), Some("numerator"));
        assert!(
            matches!(&p[0].kind, ProblemKind::KindMismatch(m) if m.contains("`done` must be an input indicator of kind count"))
        );
    }

    #[test]
    fn points_beyond_what_a_sum_can_hold_are_refused() {
        let p = problems(&with(
            "max_points = 1\nrule = { kind = \"deduction\"",
            "max_points = 1\nrule = { kind = \"deduction\", per = 1, cap = 1e12 } #",
        ));
        assert!(
            matches!(&p[0].kind, ProblemKind::InvalidValue(m) if m.contains("above the 1000000000"))
        );
    }

    fn refused(text: &str, field: &str, why: &str) {
        let p = problems(text);
        assert!(
            p.iter()
                .any(|p| p.field.as_deref() == Some(field) && p.to_string().contains(why)),
            "{field}: {why}: {p:?}"
        );
    }

    #[test]
    fn ids_that_can_never_receive_a_value_are_refused() {
        refused(
            &with("id = \"n\"", "id = \"unit\""),
            "id",
            "never receive a value",
        );
        refused(
            &with("id = \"n\"", "id = \"period\""),
            "id",
            "never receive a value",
        );
        refused(&with("id = \"n\"", "id = \"\""), "id", "empty id");
    }

    #[test]
    fn targets_decided_by_the_range_alone_are_refused() {
        for (target, verdict) in [
            (">= 150", "never"),
            (">= 0", "always"),
            ("<= 100", "always"),
            ("< 0", "never"),
            ("== 101", "never"),
            ("!= -1", "always"),
        ] {
            let text = with("target = \">= 99\"", &format!("target = \"{target}\""));
            refused(&text, "target", &format!("is {verdict} met"));
        }
        let count_target = |target: &str| {
            VALID.replacen(
                "rule = { kind = \"deduction\"",
                &format!("target = \"{target}\"\nrule = {{ kind = \"deduction\""),
                1,
            )
        };
        refused(&count_target("<= -1"), "target", "never met");
        refused(&count_target("== 0.5"), "target", "never met");
        let text = with("target = \">= 99\"", "target = \">= @rate\"");
        refused(&text, "target", "with itself");
        // A percent sign fits a percent only, as in a cell.
        let text = with("target = \">= 99\"", "target = \">= 99%\"");
        assert!(Scheme::from_toml(&text).is_ok());
        refused(
            &count_target("<= 1%"),
            "target",
            "is a percentage but the indicator is a count",
        );
        // Read from its digits: 98.99999999999999999 is not 99.
        let text = with("target = \">= 99\"", "target = \">= 98.99999999999999999\"");
        let scheme = Scheme::from_toml(&text).unwrap();
        let target = scheme
            .criterion("A.1")
            .unwrap()
            .target()
            .unwrap()
            .to_string();
        assert_eq!(target, ">= 98.99999999999999999");
    }

    #[test]
    fn goal_posts_and_bands_beyond_the_range_are_refused() {
        let text = with(
            "kind = \"bands\", bands = [{ min = 99, points = 2 }, { min = 90, points = 1 }]",
            "kind = \"proportional\", floor = -5, full_at = 150",
        );
        refused(
            &text,
            "rule",
            "floor -5 lies outside the indicator's range [0, 100]",
        );
        refused(&text, "rule", "full_at 150 lies outside");
        let text = with("{ min = 99, points = 2 }", "{ min = 199, points = 2 }");
        refused(&text, "bands", "band at 199 lies outside");
    }

    #[test]
    fn grades_beyond_the_index_or_named_twice_are_refused() {
        refused(
            &with("min_index = 80", "min_index = 101"),
            "min_index",
            "from 0 to 100",
        );
        refused(
            &with("min_index = 60", "min_index = -1"),
            "min_index",
            "from 0 to 100",
        );
        refused(
            &with("name = \"Khá\"", "name = \"Tốt\""),
            "name",
            "named twice",
        );
    }

    #[test]
    fn a_syntax_error_inside_a_criterion_names_its_code() {
        let text = with(
            "max_points = 1\nrule = { kind = \"deduction\"",
            "max_point = 1\nrule = { kind = \"deduction\"",
        );
        match Scheme::from_toml(&text) {
            Err(SchemeError::Syntax { code, .. }) => assert_eq!(code.as_deref(), Some("A.3")),
            other => panic!("{other:?}"),
        }
        let json = "\u{feff}{\"id\": \"t\", \"title\": \"T\", \"version\": \"1\", \"indicators\": [],\n\"areas\": [{\"code\": \"A\", \"title\": \"A\", \"colour\": 1}]}";
        match Scheme::from_text(json) {
            Err(SchemeError::Syntax { code, message, .. }) => {
                assert_eq!(code.as_deref(), Some("A"));
                assert!(message.contains("colour"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn numbers_of_a_scheme_built_in_code_are_held_to_the_limits() {
        let mut file = Scheme::from_toml(VALID).unwrap().file().clone();
        file.areas[0].criteria[0].max_points = Some(crate::file::Num(rust_decimal::Decimal::MAX));
        file.areas[0].criteria[1].max_points = Some(crate::file::Num(rust_decimal::Decimal::MAX));
        match Scheme::from_file(file) {
            Err(SchemeError::Invalid { problems }) => {
                assert!(
                    problems[0].to_string().contains("too large"),
                    "{problems:?}"
                );
                assert_eq!(problems[0].code.as_deref(), Some("A.1"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_problem_is_reported_not_just_the_first() {
        let text = with("max_points = 4", "max_points = 5").replacen(
            "min_index = 60",
            "min_index = 85",
            1,
        );
        assert_eq!(problems(&text).len(), 2);
    }
}
