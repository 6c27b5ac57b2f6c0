//! The bonus and penalties sections and the rank policy, compiled into the one tree: each
//! section a group outside the areas, each penalty a leaf of maximum 0 whose deduction the
//! section caps.

use rust_decimal::Decimal;

use super::{Problems, Tree};
use crate::error::ProblemKind;
use crate::scheme::file::{
    BonusFile, CriterionFile, IndicatorKind, NaPolicy, PenaltiesFile, PenaltyFile,
};
use crate::scheme::model::{Criterion, Leaf, Node, Part, Section};
use crate::scheme::rule::Rule;

/// The nodes `tie_break` names, each once.
pub(super) fn compile_tie_break(
    codes: &[String],
    nodes: &[Criterion],
    problems: &mut Problems,
) -> Vec<usize> {
    let mut found = Vec::new();
    for code in codes {
        match nodes.iter().position(|node| node.code == *code) {
            Some(node) if found.contains(&node) => problems.table(
                "ranking",
                "tie_break",
                ProblemKind::InvalidValue(format!("tie_break names `{code}` twice")),
            ),
            Some(node) => found.push(node),
            None => problems.table(
                "ranking",
                "tie_break",
                ProblemKind::InvalidValue(format!(
                    "tie_break names `{code}`, which is no area, group or criterion of the scheme"
                )),
            ),
        }
    }
    found
}

/// A section's `cap`, above 0.
fn section_cap(code: &str, cap: Decimal, problems: &mut Problems) -> Decimal {
    if cap <= Decimal::ZERO {
        problems.criterion(
            code,
            "cap",
            ProblemKind::InvalidValue(format!("cap {} must be above 0", cap.normalize())),
        );
    }
    cap
}

impl Tree<'_> {
    /// The `[bonus]` section, a group outside the areas whose criteria give no bonus when
    /// they do not apply, unless they say otherwise.
    pub(super) fn bonus(&mut self, file: &BonusFile) -> Section {
        let section = CriterionFile {
            code: file.code.clone(),
            title: file.title.clone(),
            task: None,
            indicator: None,
            max_points: None,
            target: None,
            rule: None,
            not_applicable: None,
            lead: None,
            coordinating: None,
            timeline: None,
            result: None,
            evidence: None,
            criteria: file.criteria.clone(),
        };
        (self.part, self.default_na) = (Part::Bonus, NaPolicy::Exclude);
        if file.criteria.is_empty() {
            self.problems
                .criterion(&file.code, "criteria", section_without_criteria());
        }
        let node = self.add(&section, 0);
        Section {
            node,
            cap: section_cap(&file.code, file.cap.0, self.problems),
        }
    }

    /// The `[penalties]` section: a group of leaves of maximum 0 whose deductions, at most
    /// the section's `cap`, are taken from the total.
    pub(super) fn penalties(&mut self, file: &PenaltiesFile) -> Section {
        self.part = Part::Penalty;
        let node = self.open(&file.code, &file.title, 0);
        let cap = section_cap(&file.code, file.cap.0, self.problems);
        if file.criteria.is_empty() {
            self.problems
                .criterion(&file.code, "criteria", section_without_criteria());
        }
        let children = file
            .criteria
            .iter()
            .map(|penalty| self.penalty(penalty, cap))
            .collect();
        self.nodes[node].node = Node::Group { children };
        Section { node, cap }
    }

    fn penalty(&mut self, file: &PenaltyFile, section_cap: Decimal) -> usize {
        let code = file.code.as_str();
        let index = self.open(code, &file.title, 1);
        self.nodes[index].lead = file.lead.clone();
        let Some(&slot) = self.slots.get(&file.indicator) else {
            self.problems.criterion(
                code,
                "indicator",
                ProblemKind::UnknownIndicator(file.indicator.clone()),
            );
            return index;
        };
        let kind = self.indicators[slot].kind;
        if !matches!(kind, IndicatorKind::Count | IndicatorKind::Bool) {
            self.problems.criterion(
                code,
                "indicator",
                ProblemKind::KindMismatch(format!(
                    "a penalty counts occurrences: its indicator must be a count or a bool, not a {}",
                    kind.name()
                )),
            );
        }
        let per = file.per.0;
        if per <= Decimal::ZERO {
            self.problems.criterion(
                code,
                "per",
                ProblemKind::InvalidValue(format!("per {} must be above 0", per.normalize())),
            );
        }
        let cap = file.cap.map_or(section_cap, |cap| cap.0);
        if cap <= Decimal::ZERO || cap > section_cap {
            self.problems.criterion(
                code,
                "cap",
                ProblemKind::InvalidValue(format!(
                    "cap {} must be above 0 and at most the penalties' cap, {}",
                    cap.normalize(),
                    section_cap.normalize()
                )),
            );
        }
        self.nodes[index].node = Node::Leaf(Leaf {
            indicator: slot,
            rule: Rule::Deduction { per, cap },
            target: None,
            target_slot: None,
            not_applicable: NaPolicy::Exclude,
            points_at_target: None,
        });
        index
    }
}

fn section_without_criteria() -> ProblemKind {
    ProblemKind::MissingField {
        field: "criteria",
        what: "a bonus or penalties section".into(),
    }
}
