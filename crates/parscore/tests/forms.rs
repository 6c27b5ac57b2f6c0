//! The official forms beyond the areas' points: bonus points (điểm thưởng), penalty points
//! of the unit (điểm trừ) and the rank policy — how a scheme writes them, what validation
//! refuses (located, with the code at fault), and how they score, explain and rank.

use parscore::{Decimal, Location, Options, Part, Scheme, SchemeError, Status, Ties, Value};

const SCHEME: &str = r#"id = "forms"
title = "Thưởng, trừ, xếp hạng"
version = "1"

[[grades]]
name = "Tốt"
min_index = 80

[[indicators]]
id = "on_time"
title = "Tỷ lệ đúng hạn"
kind = "percent"

[[indicators]]
id = "initiative"
title = "Sáng kiến"
kind = "bool"

[[indicators]]
id = "reprimands"
title = "Số lần bị phê bình"
kind = "count"

[[indicators]]
id = "violation"
title = "Sai phạm"
kind = "bool"

[[areas]]
code = "I"
title = "Thủ tục hành chính"

[[areas.criteria]]
code = "I.1"
title = "Đúng hạn"
indicator = "on_time"
max_points = 10
target = ">= 99"
rule = { kind = "proportional" }

[bonus]
code = "TH"
title = "Điểm thưởng"
cap = 1

[[bonus.criteria]]
code = "TH.1"
title = "Sáng kiến được công nhận"
indicator = "initiative"
max_points = 1.5
rule = { kind = "boolean" }

[penalties]
code = "TR"
title = "Điểm trừ"
cap = 2

[[penalties.criteria]]
code = "TR.1"
title = "Bị phê bình"
indicator = "reprimands"
per = 0.5
cap = 1.5

[[penalties.criteria]]
code = "TR.2"
title = "Sai phạm"
indicator = "violation"
per = 1

[ranking]
ties = "exact"
tie_break = ["TR", "I"]
"#;

fn with(from: &str, to: &str) -> String {
    assert!(SCHEME.contains(from), "{from}");
    SCHEME.replacen(from, to, 1)
}

fn problems(text: &str) -> Vec<parscore::Problem> {
    match Scheme::from_toml(text) {
        Err(SchemeError::Invalid { problems }) => problems,
        other => panic!("expected validation problems, got {other:?}"),
    }
}

/// The problem with this field, whose text says `why`.
fn problem(text: &str, field: &str, why: &str) -> parscore::Problem {
    let found = problems(text);
    found
        .iter()
        .find(|p| p.field.as_deref() == Some(field) && p.to_string().contains(why))
        .unwrap_or_else(|| panic!("{field}: {why}: {found:?}"))
        .clone()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn evaluate(values: &[(&str, &str)]) -> parscore::Evaluation {
    let scheme = Scheme::from_toml(SCHEME).unwrap();
    let mut inputs = scheme.inputs("Sở Tư pháp", Some("2024".into()));
    for (id, text) in values {
        inputs.set_text(id, text).unwrap();
    }
    scheme.evaluate(&inputs, &Options::default()).unwrap()
}

#[test]
fn the_sections_compile_outside_the_maximum() {
    let scheme = Scheme::from_toml(SCHEME).unwrap();
    assert_eq!(scheme.max_points(), Decimal::from(10));
    let (bonus, cap) = scheme.bonus().unwrap();
    assert_eq!(
        (bonus.code.as_str(), bonus.part, cap),
        ("TH", Part::Bonus, Decimal::ONE)
    );
    let (penalties, cap) = scheme.penalties().unwrap();
    assert_eq!(penalties.part, Part::Penalty);
    assert_eq!(cap, Decimal::TWO);
    assert!(!scheme.index_above_100());
    assert_eq!(scheme.ties(), Ties::Exact);
    let tie_break: Vec<&str> = scheme.tie_break().map(|c| c.code.as_str()).collect();
    assert_eq!(tie_break, ["TR", "I"]);
    // Every criterion is a leaf of the one tree, areas first.
    let leaves: Vec<(&str, Part)> = scheme.leaves().map(|c| (c.code.as_str(), c.part)).collect();
    assert_eq!(
        leaves,
        [
            ("I.1", Part::Content),
            ("TH.1", Part::Bonus),
            ("TR.1", Part::Penalty),
            ("TR.2", Part::Penalty)
        ]
    );
    assert_eq!(scheme.areas().count(), 1);
}

#[test]
fn a_scheme_with_the_forms_writes_back_as_itself() {
    let scheme = Scheme::from_toml(SCHEME).unwrap();
    for text in [scheme.to_toml().unwrap(), scheme.to_json().unwrap()] {
        assert_eq!(Scheme::from_text(&text).unwrap(), scheme, "{text}");
    }
    // Bonus criteria's rules are written inline, as people write them.
    let toml = scheme.to_toml().unwrap();
    assert!(
        toml.contains("max_points = 1.5\nrule = { kind = \"boolean\" }"),
        "{toml}"
    );
    // A scheme without them writes none of their keys.
    let plan = Scheme::builtin("lang-son-snn-2024")
        .unwrap()
        .to_toml()
        .unwrap();
    for key in ["[bonus]", "[penalties]", "[ranking]"] {
        assert!(!plan.contains(key), "{key}");
    }
}

#[test]
fn bonus_adds_at_most_its_cap_and_the_total_stops_at_the_maximum() {
    // 9.5 + min(1.5, 1) = 10.5, held at the maximum 10.
    let full = evaluate(&[
        ("on_time", "95"),
        ("initiative", "có"),
        ("reprimands", "0"),
        ("violation", "không"),
    ]);
    assert_eq!(full.bonus_points(), Some(Decimal::ONE));
    assert_eq!(full.penalty_points(), Some(Decimal::ZERO));
    assert_eq!(full.points(), Decimal::from(10));
    assert_eq!(full.index_rounded(), Some(Decimal::new(10000, 2)));
    let explained = full.explain();
    assert!(
        explained.contains(
            "areas 9.5 + bonus 1 (at most 1) − penalties 0 (at most 2), held at the maximum"
        ),
        "{explained}"
    );
    assert!(
        explained.contains("\nTH Điểm thưởng: 1 (at most 1)\n"),
        "{explained}"
    );
    assert!(
        explained.contains("\nTR Điểm trừ: 0 (at most 2)\n"),
        "{explained}"
    );
    let bonus = full.criterion("TH.1").unwrap();
    assert_eq!(bonus.points(), Decimal::new(15, 1));
    // A bonus criterion recovers no more than its section's cap leaves: 1 of its 1.5.
    let some = evaluate(&[("on_time", "95"), ("initiative", "không")]);
    assert_eq!(some.criterion("TH.1").unwrap().recoverable(), Decimal::ONE);
    // The bonus group counts the capped figure, of at most its cap.
    let group = full.groups().find(|g| g.code() == "TH").unwrap();
    assert_eq!(
        (group.points(), group.max_points()),
        (Decimal::ONE, Decimal::ONE)
    );
    assert_eq!(full.areas().count(), 1);

    let scheme =
        Scheme::from_toml(&with("cap = 1\n", "cap = 1\nindex_above_100 = true\n")).unwrap();
    let mut inputs = scheme.inputs("Sở Tư pháp", None);
    inputs
        .set_text("on_time", "95")
        .unwrap()
        .set_text("initiative", "x")
        .unwrap();
    let above = scheme.evaluate(&inputs, &Options::default()).unwrap();
    assert_eq!(above.points(), Decimal::new(105, 1));
    assert_eq!(above.index_rounded(), Some(Decimal::new(10500, 2)));
}

#[test]
fn penalties_take_capped_points_off_and_the_total_never_falls_below_zero() {
    // 5 reprimands: 2.5, held at 1.5; a violation: 1; 2.5 in all, held at 2.
    let penalised = evaluate(&[("on_time", "60"), ("reprimands", "5"), ("violation", "có")]);
    assert_eq!(penalised.penalty_points(), Some(Decimal::TWO));
    assert_eq!(penalised.points(), Decimal::from(4));
    assert_eq!(
        penalised.criterion("TR.1").unwrap().points(),
        Decimal::new(-15, 1)
    );
    assert_eq!(penalised.criterion("TR.2").unwrap().points(), -Decimal::ONE);
    // A penalty is an event of the year, not a target: nothing to recover from it.
    assert!(
        penalised
            .recoverable()
            .iter()
            .all(|r| r.criterion.code() == "I.1" || r.criterion.code() == "TH.1")
    );
    let lines = penalised.explain();
    assert!(
        lines.contains("TR.1 Bị phê bình: 5 × 0.5, at most 1.5: -1.5"),
        "{lines}"
    );
    assert!(lines.contains("TR.2 Sai phạm: yes: -1"), "{lines}");

    let floored = evaluate(&[("on_time", "10"), ("reprimands", "4"), ("violation", "có")]);
    assert_eq!(floored.points(), Decimal::ZERO);
    assert!(floored.explain().contains("held at 0"));

    // Without input a penalty is missing, reported, and takes nothing off.
    let gap = evaluate(&[("on_time", "99")]);
    let missing: Vec<&str> = gap.missing().map(|c| c.code()).collect();
    assert_eq!(missing, ["TH.1", "TR.1", "TR.2"]);
    assert_eq!(gap.criterion("TR.2").unwrap().status(), Status::Missing);
    assert_eq!(gap.points(), Decimal::new(99, 1));
}

#[test]
fn strict_mode_asks_for_every_bonus_and_penalty_value() {
    let scheme = Scheme::from_toml(SCHEME).unwrap();
    let mut inputs = scheme.inputs("Sở Tư pháp", None);
    inputs
        .set_text("on_time", "99")
        .unwrap()
        .set_text("initiative", "không")
        .unwrap()
        .set_text("reprimands", "0")
        .unwrap();
    let error = scheme
        .evaluate(&inputs, &Options { strict: true })
        .unwrap_err();
    assert_eq!(error.code(), Some("TR.2"));
    assert_eq!(error.indicator(), Some("violation"));
}

#[test]
fn a_path_to_a_grade_counts_the_caps() {
    // 7 + 0 − 2 = 5: Tốt (80) needs 3 more. The bonus gives at most 1 of its 1.5, and a
    // penalty is no fix: only I.1 (3 points to 99%, 9.9) and the bonus can bring points.
    let evaluation = evaluate(&[
        ("on_time", "70"),
        ("initiative", "không"),
        ("reprimands", "4"),
        ("violation", "có"),
    ]);
    let path = evaluation.path_to("Tốt").unwrap();
    assert!(path.reached);
    let codes: Vec<&str> = path.fixes.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["I.1", "TH.1"]);
    // 9.9 + 1 − 2 = 8.9: the bonus's 1.5 counted as its cap, 1.
    assert_eq!(path.points, Decimal::new(89, 1));
    let after = evaluation
        .what_if([
            ("I.1", Value::Number(Decimal::from(99))),
            ("TH.1", Value::Bool(true)),
        ])
        .unwrap()
        .evaluation;
    assert_eq!(after.points(), path.points);
}

#[test]
fn sections_and_the_ranking_are_refused_where_they_are_wrong() {
    let p = problem(&with("cap = 1\n", "cap = 0\n"), "cap", "must be above 0");
    assert_eq!(p.code.as_deref(), Some("TH"));
    let text = with("cap = 1\n", "cap = 0\n");
    assert_eq!(p.location.map(|l| l.line), Some(line_of(&text, "cap = 0")));

    let text = with("indicator = \"reprimands\"", "indicator = \"on_time\"");
    let p = problem(
        &text,
        "indicator",
        "must be a count or a bool, not a percent",
    );
    assert_eq!(p.code.as_deref(), Some("TR.1"));
    let penalty = line_of(&text, "code = \"TR.1\"");
    assert_eq!(
        p.location,
        Some(Location {
            line: penalty + 2,
            column: 1
        })
    );
    let p = problem(
        &with("indicator = \"violation\"", "indicator = \"violations\""),
        "indicator",
        "`violations` is not declared",
    );
    assert_eq!(p.code.as_deref(), Some("TR.2"));

    let p = problem(
        &with("per = 1\n", "per = 0\n"),
        "per",
        "per 0 must be above 0",
    );
    assert_eq!(p.code.as_deref(), Some("TR.2"));
    let p = problem(
        &with("cap = 1.5\n", "cap = 3\n"),
        "cap",
        "at most the penalties' cap, 2",
    );
    assert_eq!(p.code.as_deref(), Some("TR.1"));

    // Codes are unique across areas and sections.
    let p = problem(
        &with("code = \"TH.1\"", "code = \"I.1\""),
        "code",
        "used twice",
    );
    assert_eq!(p.code.as_deref(), Some("I.1"));

    let text = with(
        "tie_break = [\"TR\", \"I\"]",
        "tie_break = [\"TR\", \"IX\"]",
    );
    let p = problem(
        &text,
        "tie_break",
        "`IX`, which is no area, group or criterion",
    );
    assert_eq!(p.code, None);
    assert_eq!(
        p.location.map(|l| l.line),
        Some(line_of(&text, "tie_break"))
    );
    problem(
        &with("tie_break = [\"TR\", \"I\"]", "tie_break = [\"I\", \"I\"]"),
        "tie_break",
        "names `I` twice",
    );

    // A bonus without criteria, an unknown key, an unknown policy.
    let text = with(
        "[[bonus.criteria]]\ncode = \"TH.1\"\ntitle = \"Sáng kiến được công nhận\"\nindicator = \"initiative\"\nmax_points = 1.5\nrule = { kind = \"boolean\" }\n",
        "criteria = []\n",
    );
    let p = problem(&text, "criteria", "`criteria` is required");
    assert_eq!(p.code.as_deref(), Some("TH"));
    for (from, to, why) in [
        ("cap = 2\n", "caps = 2\n", "unknown field `caps`"),
        (
            "ties = \"exact\"",
            "ties = \"rounded\"",
            "unknown variant `rounded`",
        ),
    ] {
        match Scheme::from_toml(&with(from, to)) {
            Err(SchemeError::Syntax {
                message, location, ..
            }) => {
                assert!(message.contains(why), "{message}");
                assert!(location.is_some());
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn ranks_follow_the_policy() {
    let scheme = Scheme::from_toml(SCHEME).unwrap();
    let unit = |name: &str, on_time: &str, reprimands: &str| {
        let mut inputs = scheme.inputs(name, Some("2024".into()));
        inputs
            .set_text("on_time", on_time)
            .unwrap()
            .set_text("initiative", "không")
            .unwrap()
            .set_text("reprimands", reprimands)
            .unwrap()
            .set_text("violation", "không")
            .unwrap();
        Ok(inputs)
    };
    // C: 8.501 (85.01) first. A and D: 8.5; B: 9 − 0.5 = 8.5, all three exactly 85, and
    // the penalties section puts A and D (nothing taken off) above B; A and D, equal in
    // area I too, share a rank.
    let rows = [
        unit("A", "85", "0"),
        unit("B", "90", "1"),
        unit("C", "85.01", "0"),
        unit("D", "85", "0"),
    ];
    let batch = scheme.evaluate_batch(rows, &Options::default());
    let ranks: Vec<Option<usize>> = batch.results.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, [Some(2), Some(4), Some(1), Some(2)]);
}
