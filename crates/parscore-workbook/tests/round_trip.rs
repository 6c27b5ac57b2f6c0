//! A scheme written as a workbook reads back as the same scheme, exactly.

use parscore::Scheme;
use parscore_workbook::{read_scheme, write_scheme};

fn round_trip(scheme: &Scheme) {
    let bytes = write_scheme(scheme).unwrap();
    let read = match read_scheme(&bytes) {
        Ok(read) => read,
        Err(error) => panic!("{} does not read back:\n{error}", scheme.id()),
    };
    assert_eq!(read.file(), scheme.file(), "{}", scheme.id());
    assert_eq!(read.to_toml().unwrap(), scheme.to_toml().unwrap());
}

#[test]
fn the_built_in_plan_reads_back() {
    round_trip(&Scheme::builtin("lang-son-snn-2024").unwrap());
}

#[test]
fn every_golden_scheme_and_every_key_read_back() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests");
    let mut paths = vec![format!("{root}/schemes/every-key.toml")];
    for entry in std::fs::read_dir(format!("{root}/golden")).unwrap() {
        let path = entry.unwrap().path().join("scheme.toml");
        if path.exists() {
            paths.push(path.display().to_string());
        }
    }
    assert!(paths.len() >= 5, "{paths:?}");
    for path in paths {
        let scheme = Scheme::from_toml(&std::fs::read_to_string(&path).unwrap()).unwrap();
        round_trip(&scheme);
    }
}

mod generated {
    //! Generated schemes: every rule with its parameters, nested groups, codes that do and
    //! do not show their depth, and the plan's text with the characters band and parameter
    //! cells treat specially.

    use super::round_trip;
    use parscore::file::{
        BandFile, BonusFile, CriterionFile, GradeFile, IndicatorFile, Num, PenaltiesFile,
        PenaltyFile, RankingFile, RoundingFile, RuleFile, SchemeFile,
    };
    use parscore::{Decimal, IndicatorKind, NaPolicy, RoundingMode, RoundingScope, Scheme, Ties};
    use proptest::prelude::*;

    fn decimal() -> impl Strategy<Value = Decimal> {
        (0i64..=200_000, 0u32..=4).prop_map(|(units, scale)| Decimal::new(units, scale))
    }

    fn text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("[a-zA-Z0-9àạảãăắđêếểôộơớưựỹ ;:,.%\n/-]{0,16}")
            .prop_map(|t| t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()))
    }

    /// A leaf's rule, the kind of indicator it scores and its target, for a maximum.
    fn rule(max: Decimal) -> impl Strategy<Value = (RuleFile, IndicatorKind, Option<String>)> {
        let kinds = [
            IndicatorKind::Percent,
            IndicatorKind::Count,
            IndicatorKind::Points,
            IndicatorKind::Number,
        ];
        let num = |d: Decimal| Num(d);
        prop_oneof![
            (any::<bool>(), any::<bool>(), 0u32..4, decimal()).prop_map(
                move |(pass, fail, k, at)| {
                    let kind = [
                        IndicatorKind::Bool,
                        IndicatorKind::Percent,
                        IndicatorKind::Count,
                        IndicatorKind::Number,
                    ][k as usize];
                    let target = match kind {
                        IndicatorKind::Bool => "== true".to_string(),
                        IndicatorKind::Percent => {
                            format!(">= {}", (at / Decimal::from(2000)).round_dp(3))
                        }
                        _ => format!("<= {at}"),
                    };
                    let fail_points = fail.then(|| num((max / Decimal::from(8)).round_dp(3)));
                    (
                        RuleFile::Threshold {
                            pass_points: pass.then_some(num(max)),
                            fail_points,
                        },
                        kind,
                        Some(target),
                    )
                }
            ),
            (
                proptest::option::of(0i64..50),
                proptest::option::of(60i64..=100)
            )
                .prop_map(move |(floor, full_at)| {
                    (
                        RuleFile::Proportional {
                            floor: floor.map(|f| num(Decimal::new(f, 1))),
                            full_at: full_at.map(|f| num(Decimal::from(f))),
                        },
                        IndicatorKind::Percent,
                        None,
                    )
                }),
            (prop::collection::vec(decimal(), 1..5), 0usize..4).prop_map(move |(mut mins, k)| {
                mins.sort_by(|a, b| b.cmp(a));
                mins.dedup();
                let bands = mins
                    .iter()
                    .enumerate()
                    .map(|(i, min)| BandFile {
                        min: num(*min),
                        points: num((max / Decimal::from(i as i64 + 1)).round_dp(4)),
                    })
                    .collect();
                (
                    RuleFile::Bands { bands },
                    kinds[k],
                    Some(format!(">= {}", mins[0])),
                )
            }),
            Just((RuleFile::Boolean, IndicatorKind::Bool, None)),
            Just((RuleFile::Given, IndicatorKind::Points, None)),
            (decimal(), decimal()).prop_map(move |(per, cap)| {
                let one = Decimal::new(1, 3);
                (
                    RuleFile::Deduction {
                        per: num(per + one),
                        cap: num(cap + one),
                    },
                    IndicatorKind::Count,
                    Some("== 0".into()),
                )
            }),
        ]
    }

    #[derive(Debug, Clone)]
    struct Leaf {
        max: Decimal,
        rule: (RuleFile, IndicatorKind, Option<String>),
        na: Option<NaPolicy>,
        texts: [Option<String>; 6],
        title: String,
    }

    fn leaf() -> impl Strategy<Value = Leaf> {
        (1i64..=4000)
            .prop_map(|m| Decimal::new(m, 2))
            .prop_flat_map(|max| {
                (
                    Just(max),
                    rule(max),
                    proptest::option::of(prop_oneof![
                        Just(NaPolicy::Exclude),
                        Just(NaPolicy::FullPoints)
                    ]),
                    [text(), text(), text(), text(), text(), text()],
                    text(),
                )
            })
            .prop_map(|(max, rule, na, texts, title)| Leaf {
                max,
                rule,
                na,
                texts,
                title: title.unwrap_or_default(),
            })
    }

    /// Areas of groups and leaves: `[area][item] = leaves` (one leaf is a leaf item, more a
    /// group).
    fn tree() -> impl Strategy<Value = (Vec<Vec<Vec<Leaf>>>, bool)> {
        (
            prop::collection::vec(
                prop::collection::vec(prop::collection::vec(leaf(), 1..3), 1..3),
                1..3,
            ),
            any::<bool>(),
        )
    }

    fn scheme() -> impl Strategy<Value = SchemeFile> {
        (
            tree(),
            prop::collection::vec(decimal(), 0..3),
            (
                0u32..=4,
                0usize..3,
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
            ),
            (text(), text()),
            // The last area as a bonus section (its cap, whether the index may pass 100);
            // penalties (on a yes/no or a count, per occurrence, an own cap or none, and
            // the section's cap); ties on the exact index, a tie-break on the first area.
            (
                prop::option::of((decimal(), any::<bool>())),
                prop::option::of((
                    prop::collection::vec(
                        (any::<bool>(), decimal(), prop::option::of(decimal())),
                        1..3,
                    ),
                    decimal(),
                )),
                any::<bool>(),
                any::<bool>(),
            ),
        )
            .prop_map(
                |(
                    (areas, free_codes),
                    mut grades,
                    (places, mode, criterion, estimated, full),
                    (provenance, title),
                    (bonus, penalties, exact, tie_break),
                )| {
                    let mut indicators = Vec::new();
                    let mut next = 0;
                    let mut code = |path: &str| {
                        next += 1;
                        if free_codes {
                            format!("K{next}")
                        } else {
                            path.to_string()
                        }
                    };
                    let mut area_files = Vec::new();
                    for (a, items) in areas.into_iter().enumerate() {
                        let area_code = code(&format!("A{a}"));
                        let mut children = Vec::new();
                        for (i, leaves) in items.into_iter().enumerate() {
                            let item_path = format!("A{a}.{i}");
                            let mut make_leaf = |leaf: Leaf, code: String| {
                                let id = format!("i_{}", indicators.len());
                                let (rule, kind, target) = leaf.rule;
                                indicators.push(IndicatorFile {
                                    id: id.clone(),
                                    title: leaf.texts[0].clone().unwrap_or_default(),
                                    kind,
                                    min: None,
                                    max: None,
                                    numerator: None,
                                    denominator: None,
                                    baseline: None,
                                    current: None,
                                });
                                let [_, task, lead, coordinating, timeline, result] =
                                    leaf.texts.clone();
                                CriterionFile {
                                    code,
                                    title: leaf.title,
                                    task,
                                    indicator: Some(id),
                                    max_points: Some(Num(leaf.max)),
                                    target,
                                    rule: Some(rule),
                                    not_applicable: leaf.na,
                                    lead,
                                    coordinating,
                                    timeline,
                                    evidence: result.clone(),
                                    result,
                                    criteria: Vec::new(),
                                }
                            };
                            if leaves.len() == 1 {
                                let leaf = leaves.into_iter().next().unwrap();
                                let c = code(&item_path);
                                children.push(make_leaf(leaf, c));
                            } else {
                                let group_code = code(&item_path);
                                let mut sum = Decimal::ZERO;
                                let mut criteria = Vec::new();
                                for (l, leaf) in leaves.into_iter().enumerate() {
                                    sum += leaf.max;
                                    let c = code(&format!("{item_path}.{l}"));
                                    criteria.push(make_leaf(leaf, c));
                                }
                                children.push(CriterionFile {
                                    code: group_code,
                                    title: "Nhóm".into(),
                                    task: None,
                                    indicator: None,
                                    max_points: states_its_maximum(&criteria).then_some(Num(sum)),
                                    target: None,
                                    rule: None,
                                    not_applicable: None,
                                    lead: None,
                                    coordinating: None,
                                    timeline: None,
                                    result: None,
                                    evidence: None,
                                    criteria,
                                });
                            }
                        }
                        area_files.push(CriterionFile {
                            code: area_code,
                            title: format!("Lĩnh vực {a}"),
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
                            criteria: children,
                        });
                    }
                    grades.sort_by(|a, b| b.cmp(a));
                    grades.dedup();
                    let bonus = bonus.filter(|_| area_files.len() > 1).map(|(cap, above)| {
                        let area = area_files.pop().unwrap();
                        BonusFile {
                            code: area.code,
                            title: "Điểm thưởng".into(),
                            cap: Num(cap.max(Decimal::ONE)),
                            index_above_100: above,
                            criteria: area.criteria,
                        }
                    });
                    let penalties = penalties.map(|(specs, cap)| {
                        let cap = cap.max(Decimal::ONE);
                        let criteria = specs
                            .into_iter()
                            .enumerate()
                            .map(|(k, (yes_no, per, own))| {
                                let id = format!("p_{k}");
                                indicators.push(IndicatorFile {
                                    id: id.clone(),
                                    title: format!("Số lần {k}"),
                                    kind: if yes_no {
                                        IndicatorKind::Bool
                                    } else {
                                        IndicatorKind::Count
                                    },
                                    min: None,
                                    max: None,
                                    numerator: None,
                                    denominator: None,
                                    baseline: None,
                                    current: None,
                                });
                                PenaltyFile {
                                    code: format!("TR.{k}"),
                                    title: format!("Điểm trừ {k}"),
                                    indicator: id,
                                    per: Num(per.max(Decimal::new(1, 2))),
                                    cap: own.map(|own| Num(own.clamp(Decimal::new(1, 2), cap))),
                                    lead: (k == 0).then(|| "Văn phòng".into()),
                                    evidence: None,
                                }
                            })
                            .collect();
                        PenaltiesFile {
                            code: "TR".into(),
                            title: "Điểm trừ".into(),
                            cap: Num(cap),
                            criteria,
                        }
                    });
                    let ranking = RankingFile {
                        ties: if exact { Ties::Exact } else { Ties::Reported },
                        tie_break: if tie_break {
                            vec![area_files[0].code.clone()]
                        } else {
                            Vec::new()
                        },
                    };
                    SchemeFile {
                        id: "generated".into(),
                        title: title.unwrap_or_else(|| "Sinh ngẫu nhiên".into()),
                        version: "1".into(),
                        estimated,
                        provenance: provenance.unwrap_or_default(),
                        not_applicable: if full {
                            NaPolicy::FullPoints
                        } else {
                            NaPolicy::Exclude
                        },
                        rounding: RoundingFile {
                            places,
                            mode: [
                                RoundingMode::HalfUp,
                                RoundingMode::HalfEven,
                                RoundingMode::Down,
                            ][mode],
                            apply: if criterion {
                                RoundingScope::Criterion
                            } else {
                                RoundingScope::Report
                            },
                        },
                        grades: grades
                            .into_iter()
                            .enumerate()
                            .map(|(i, min)| GradeFile {
                                name: format!("Loại {i}"),
                                min_index: Num((min / Decimal::from(2000)).round_dp(2)),
                            })
                            .collect(),
                        indicators,
                        areas: area_files,
                        bonus,
                        penalties,
                        ranking,
                    }
                },
            )
    }

    /// Whether a group states its maximum: when its first leaf's title has an even length,
    /// which varies from case to case.
    fn states_its_maximum(criteria: &[CriterionFile]) -> bool {
        criteria[0].title.len().is_multiple_of(2)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn generated_schemes_read_back(file in scheme()) {
            // Grades whose rounded bounds collide, or bands whose rounded points rise, make
            // an invalid scheme: only valid ones can be written.
            if let Ok(scheme) = Scheme::from_file(file) {
                round_trip(&scheme);
            }
        }
    }
}
