//! Generators shared by the property tests: random valid schemes with every kind of rule,
//! and random cells for their indicators.

use parscore::Decimal;
use parscore::file::{
    BandFile, BonusFile, CriterionFile, GradeFile, IndicatorFile, Num, PenaltiesFile, PenaltyFile,
    RankingFile, RuleFile, SchemeFile,
};
use parscore::{
    Indicator, IndicatorKind, IndicatorSource, NaPolicy, RoundingMode, RoundingScope, Ties,
};
use proptest::prelude::*;

/// One generated cell: how a frame would store it, and the same cell as the text of a raw
/// row or an input.
#[derive(Debug, Clone)]
pub enum Cell {
    Null,
    Float(f64),
    Int(i64),
    Bool(bool),
    Text(String),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Float(f) => f.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Text(t) => t.clone(),
        }
    }
}

/// A cell for an indicator: mostly valid values (within its bounds), values on the edges
/// that send a row to the general path (a third, a count in quarters, 100.5 %), some missing,
/// some n/a, now and then one that no indicator reads. A derived rate is usually left to its
/// counts.
pub fn cell(indicator: &Indicator) -> BoxedStrategy<Cell> {
    // Hundredths up to the indicator's maximum, if it has one.
    let top = indicator
        .max
        .and_then(|max| i64::try_from((max * Decimal::ONE_HUNDRED).trunc()).ok())
        .unwrap_or(2_500);
    let value = match indicator.kind {
        IndicatorKind::Percent => prop_oneof![
            60 => (0i64..=10_000).prop_map(|v| Cell::Float(v as f64 / 100.0)),
            2 => (0i64..=100).prop_map(|v| Cell::Float(v as f64 + 1.0 / 3.0)),
            2 => (0u32..=500, 1u32..=500).prop_map(|(a, b)| Cell::Text(format!("{}/{}", a.min(b), b))),
            1 => Just(Cell::Float(100.5)),
            4 => Just(Cell::Float(99.5)),
        ]
        .boxed(),
        IndicatorKind::Count => prop_oneof![
            60 => (0i64..=200).prop_map(Cell::Int),
            4 => Just(Cell::Int(0)),
            1 => Just(Cell::Int(-1)),
            // A count is whole: a quarter is refused, whichever path reads it.
            1 => (0i64..=40).prop_map(|v| Cell::Float(v as f64 / 4.0)),
        ]
        .boxed(),
        IndicatorKind::Bool => prop_oneof![
            30 => any::<bool>().prop_map(Cell::Bool),
            1 => (0i64..=2).prop_map(Cell::Int),
        ]
        .boxed(),
        _ => prop_oneof![
            // As many points as a criterion gives, or any up to the maximum.
            15 => (0i64..=top.min(400)).prop_map(|v| Cell::Float(v as f64 / 100.0)),
            15 => (0i64..=top).prop_map(|v| Cell::Float(v as f64 / 100.0)),
            1 => (-100i64..=0).prop_map(|v| Cell::Float(v as f64 / 100.0)),
        ]
        .boxed(),
    };
    let not_applicable = Just(Cell::Text("n/a".into()));
    let unreadable = prop_oneof![
        Just(Cell::Text("x".into())),
        Just(Cell::Text("1..2".into()))
    ];
    if indicator.source != IndicatorSource::Input {
        prop_oneof![120 => Just(Cell::Null), 60 => value, 20 => not_applicable, 1 => unreadable]
            .boxed()
    } else {
        prop_oneof![400 => value, 20 => Just(Cell::Null), 10 => not_applicable, 1 => unreadable]
            .boxed()
    }
}

fn num(units: i64, scale: u32) -> Num {
    Num(Decimal::new(units, scale))
}

fn indicator(id: &str, kind: IndicatorKind) -> IndicatorFile {
    IndicatorFile {
        id: id.into(),
        title: format!("Chỉ tiêu {id}"),
        kind,
        min: None,
        max: None,
        numerator: None,
        denominator: None,
        baseline: None,
        current: None,
    }
}

fn criterion(code: String, criteria: Vec<CriterionFile>) -> CriterionFile {
    CriterionFile {
        title: format!("Tiêu chí {code}"),
        code,
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
        criteria,
    }
}

/// One leaf of a generated scheme: its form (which rule on which kind of indicator), its
/// maximum in hundredths, a mark (target, goal posts, deduction) in 0..=100, a choice within
/// the form, and whether n/a gives full points.
type LeafSpec = (usize, i64, i64, usize, bool);

/// A leaf and the indicators it reads.
fn leaf(code: String, (form, max, at, pick, na): LeafSpec) -> (CriterionFile, Vec<IndicatorFile>) {
    use IndicatorKind::{Bool, Count, Number, Percent, Points};
    let id = format!("i{}", code.replace('.', "_"));
    let max_points = num(max, 2);
    let threshold = |fail: Option<Num>| RuleFile::Threshold {
        pass_points: None,
        fail_points: fail,
    };
    // Goal posts whose span terminates (a product) or does not (a quotient).
    let span = [50, 30, 90, 100, 7][pick % 5];
    let floor = (at / 2).min(100 - span);
    let proportional = RuleFile::Proportional {
        floor: Some(num(floor, 0)),
        full_at: Some(num(floor + span, 0)),
    };
    let bands = |top: i64, low: i64| RuleFile::Bands {
        bands: vec![
            BandFile {
                min: num(top, 0),
                points: max_points,
            },
            BandFile {
                min: num(low, 0),
                points: num(max / 3, 2),
            },
        ],
    };
    let (rule, target, indicators) = match form {
        0 => {
            // Pass and fail points of its own, fail below pass.
            let rule = match pick % 3 {
                0 => threshold(None),
                1 => threshold(Some(num(max / 4, 2))),
                _ => RuleFile::Threshold {
                    pass_points: Some(num(max / 2, 2)),
                    fail_points: Some(num(max / 8, 2)),
                },
            };
            // `>= 0` is always met: a scheme refuses it.
            (
                rule,
                Some(format!(">= {}", at.max(1))),
                vec![indicator(&id, Percent)],
            )
        }
        1 => (
            proportional,
            Some(format!(">= {}", floor + span)),
            vec![indicator(&id, Percent)],
        ),
        2 => (bands(90, 50), None, vec![indicator(&id, Percent)]),
        3 => (RuleFile::Boolean, None, vec![indicator(&id, Bool)]),
        4 => (RuleFile::Given, None, vec![indicator(&id, Points)]),
        5 => (
            RuleFile::Deduction {
                per: num(at.max(1), 2),
                cap: num(max + at, 2),
            },
            Some("== 0".to_string()),
            vec![indicator(&id, Count)],
        ),
        6 => {
            let target = ["== true", "!= true", "== false"][pick % 3];
            (
                threshold(Some(num(max / 3, 2))),
                Some(target.to_string()),
                vec![indicator(&id, Bool)],
            )
        }
        7 => {
            // A rate of counts, by any rule a rate takes.
            let (rule, target) = match pick % 3 {
                0 => (threshold(None), Some(format!(">= {}", at.max(1)))),
                1 => (proportional, None),
                _ => (bands(90, 50), None),
            };
            let (done, all) = (format!("{id}_done"), format!("{id}_all"));
            let rate = IndicatorFile {
                numerator: Some(done.clone()),
                denominator: Some(all.clone()),
                ..indicator(&id, Percent)
            };
            (
                rule,
                target,
                vec![rate, indicator(&done, Count), indicator(&all, Count)],
            )
        }
        8 => {
            // A reduction against a baseline.
            let (then, now) = (format!("{id}_then"), format!("{id}_now"));
            let reduction = IndicatorFile {
                baseline: Some(then.clone()),
                current: Some(now.clone()),
                ..indicator(&id, Percent)
            };
            (
                threshold(Some(num(max / 4, 2))),
                Some(format!(">= {}", at / 10)),
                vec![reduction, indicator(&then, Count), indicator(&now, Count)],
            )
        }
        9 => {
            // A target on another indicator: counts against a quota, a rate against a rate.
            let other = format!("{id}_ref");
            let (kind, op) = [(Count, "<="), (Percent, ">="), (Count, "==")][pick % 3];
            (
                threshold(None),
                Some(format!("{op} @{other}")),
                vec![indicator(&id, kind), indicator(&other, kind)],
            )
        }
        _ => {
            let bounded = IndicatorFile {
                min: Some(num(0, 0)),
                max: Some(num(10, 0)),
                ..indicator(&id, Number)
            };
            (bands(9, 5), Some("!= 0".to_string()), vec![bounded])
        }
    };
    let leaf = CriterionFile {
        indicator: Some(id),
        max_points: Some(max_points),
        target,
        rule: Some(rule),
        not_applicable: na.then_some(NaPolicy::FullPoints),
        lead: Some("Văn phòng Sở".into()),
        ..criterion(code, Vec::new())
    };
    (leaf, indicators)
}

/// A `[bonus]` section: its leaves, its cap in hundredths, whether the index may pass 100.
type BonusSpec = (Vec<LeafSpec>, i64, bool);

/// A `[penalties]` section: each penalty (on a yes/no or a count, points per occurrence and
/// an own cap in hundredths, if any), and the section's cap in hundredths.
type PenaltiesSpec = (Vec<(bool, i64, Option<i64>)>, i64);

/// `[ranking]`: whether ties are on the exact index, and picks among the scheme's codes.
type RankingSpec = (bool, Vec<usize>);

/// The bonus section of a spec, with the indicators its leaves read.
fn bonus((leaves, cap, above): BonusSpec, indicators: &mut Vec<IndicatorFile>) -> BonusFile {
    let criteria = leaves
        .into_iter()
        .enumerate()
        .map(|(l, spec)| {
            let (leaf, read) = leaf(format!("b.{l}"), spec);
            indicators.extend(read);
            leaf
        })
        .collect();
    BonusFile {
        code: "b".into(),
        title: "Điểm thưởng".into(),
        cap: num(cap, 2),
        index_above_100: above,
        criteria,
    }
}

/// The penalties section of a spec, with the indicators its penalties read.
fn penalties((specs, cap): PenaltiesSpec, indicators: &mut Vec<IndicatorFile>) -> PenaltiesFile {
    let criteria = specs
        .into_iter()
        .enumerate()
        .map(|(k, (yes_no, per, own))| {
            let id = format!("ip_{k}");
            let kind = if yes_no {
                IndicatorKind::Bool
            } else {
                IndicatorKind::Count
            };
            indicators.push(indicator(&id, kind));
            PenaltyFile {
                code: format!("p.{k}"),
                title: format!("Điểm trừ {k}"),
                indicator: id,
                per: num(per, 2),
                cap: own.map(|own| num(own.min(cap), 2)),
                lead: None,
                evidence: None,
            }
        })
        .collect();
    PenaltiesFile {
        code: "p".into(),
        title: "Điểm trừ".into(),
        cap: num(cap, 2),
        criteria,
    }
}

/// Every code of a scheme: its areas, groups and criteria, and its sections'.
fn codes(file: &SchemeFile) -> Vec<String> {
    fn walk(criterion: &CriterionFile, codes: &mut Vec<String>) {
        codes.push(criterion.code.clone());
        criterion.criteria.iter().for_each(|c| walk(c, codes));
    }
    let mut codes = Vec::new();
    file.areas.iter().for_each(|area| walk(area, &mut codes));
    if let Some(bonus) = &file.bonus {
        codes.push(bonus.code.clone());
        bonus.criteria.iter().for_each(|c| walk(c, &mut codes));
    }
    if let Some(penalties) = &file.penalties {
        codes.push(penalties.code.clone());
        codes.extend(penalties.criteria.iter().map(|p| p.code.clone()));
    }
    codes
}

/// A valid scheme: one to three areas of leaves, some of them in a group of their own, each
/// leaf a rule that fits its indicator; rounding of the report or of each criterion, grades
/// or none; now and then bonus points, penalty points and a rank policy.
pub fn scheme_file() -> impl Strategy<Value = SchemeFile> {
    let leaf_spec = (
        0usize..11,
        1i64..=400,
        0i64..=100,
        0usize..30,
        any::<bool>(),
    );
    let bonus_spec = (
        prop::collection::vec(leaf_spec.clone(), 1..3),
        1i64..=400,
        any::<bool>(),
    );
    let penalty_spec = (any::<bool>(), 1i64..=150, prop::option::of(1i64..=300));
    let penalties_spec = (prop::collection::vec(penalty_spec, 1..4), 1i64..=300);
    let ranking_spec: BoxedStrategy<RankingSpec> =
        (any::<bool>(), prop::collection::vec(0usize..64, 0..3)).boxed();
    let forms = (
        prop::option::weighted(0.4, bonus_spec),
        prop::option::weighted(0.4, penalties_spec),
        prop::option::weighted(0.4, ranking_spec),
    );
    let area = (prop::collection::vec(leaf_spec, 1..5), any::<bool>());
    let rounding = (
        0u32..=4,
        prop_oneof![
            Just(RoundingMode::HalfUp),
            Just(RoundingMode::HalfEven),
            Just(RoundingMode::Down)
        ],
        prop_oneof![3 => Just(RoundingScope::Report), 1 => Just(RoundingScope::Criterion)],
    );
    (
        prop::collection::vec(area, 1..4),
        rounding,
        any::<bool>(),
        0usize..=3,
        forms,
    )
        .prop_map(
            |(areas, (places, mode, apply), full_points, grades, forms)| {
                let mut indicators = Vec::new();
                let mut area_files = Vec::new();
                for (a, (leaves, grouped)) in areas.into_iter().enumerate() {
                    let mut criteria = Vec::new();
                    for (l, spec) in leaves.into_iter().enumerate() {
                        let (leaf, read) = leaf(format!("{a}.{l}"), spec);
                        indicators.extend(read);
                        criteria.push(leaf);
                    }
                    // The later leaves in a group of their own, so that groups nest.
                    if grouped && criteria.len() > 1 {
                        let inner = criteria.split_off(criteria.len() / 2);
                        criteria.push(criterion(format!("{a}.g"), inner));
                    }
                    area_files.push(criterion(format!("{a}"), criteria));
                }
                let mut file: SchemeFile = toml::from_str(
                "id = \"gen\"\ntitle = \"Generated\"\nversion = \"1\"\nindicators = []\nareas = []",
            )
            .unwrap();
                // Fewer places than a maximum has (0.45 at 1 place) too: its points stay
                // within it.
                file.rounding.places = places;
                file.rounding.mode = mode;
                file.rounding.apply = apply;
                file.not_applicable = if full_points {
                    NaPolicy::FullPoints
                } else {
                    NaPolicy::Exclude
                };
                file.grades = [("A", 90), ("B", 50), ("C", 0)][3 - grades..]
                    .iter()
                    .map(|&(name, min)| GradeFile {
                        name: name.into(),
                        min_index: num(min, 0),
                    })
                    .collect();
                let (bonus_spec, penalties_spec, ranking_spec) = forms;
                file.bonus = bonus_spec.map(|spec| bonus(spec, &mut indicators));
                file.penalties = penalties_spec.map(|spec| penalties(spec, &mut indicators));
                file.indicators = indicators;
                file.areas = area_files;
                if let Some((exact, picks)) = ranking_spec {
                    let codes = codes(&file);
                    let mut tie_break: Vec<String> = Vec::new();
                    for pick in picks {
                        let code = &codes[pick % codes.len()];
                        if !tie_break.contains(code) {
                            tie_break.push(code.clone());
                        }
                    }
                    file.ranking = RankingFile {
                        ties: if exact { Ties::Exact } else { Ties::Reported },
                        tie_break,
                    };
                }
                file
            },
        )
}
