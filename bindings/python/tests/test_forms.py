"""Bonus points (điểm thưởng), penalty points (điểm trừ) and the rank policy on the result
objects: the attributes match the results document, and a scheme without the sections says
None rather than 0."""

from __future__ import annotations

from decimal import Decimal

import parscore

from conftest import GOLDEN


def scheme_of(case: str) -> parscore.Scheme:
    return parscore.Scheme.from_file(GOLDEN / case / "scheme.toml")


def test_bonus_points_are_counted_to_the_cap_and_the_index_stops_at_100() -> None:
    scheme = scheme_of("bonus-capped")
    evaluation = scheme.evaluate(
        {
            "unit": "Sở Tư pháp",
            "on_time_rate": 90,
            "survey_points": Decimal("3.5"),
            "initiative": "có",
            "awards": 3,
        }
    )
    assert evaluation.bonus_points == Decimal("1.5")
    assert evaluation.penalty_points is None
    assert evaluation.points == Decimal(10)
    assert evaluation.index == Decimal(100)
    assert [c.part for c in evaluation.criteria] == ["content", "content", "bonus", "bonus"]
    assert evaluation.group("TH").part == "bonus"
    assert evaluation.group("TH").points == Decimal("1.5")
    assert [a.code for a in evaluation.areas] == ["I", "II"]
    assert evaluation.to_dict()["bonus_points"] == Decimal("1.5")


def test_penalties_take_their_capped_points_off() -> None:
    scheme = scheme_of("penalties-capped")
    results = scheme.evaluate_many(
        [
            {"unit": "Sở Nội vụ", "on_time_rate": 100, "survey_points": 4, "reprimands": 5,
             "violation": "x"},
            {"unit": "Sở Tư pháp", "on_time_rate": 90, "survey_points": 4, "reprimands": "1.5"},
        ]
    )
    first, bad = results[0], results[1]
    assert first.penalty_points == Decimal(2)
    assert first.points == Decimal(8)
    assert first.bonus_points is None
    assert first.evaluation is not None
    penalty = first.evaluation.criterion("TR.1")
    assert (penalty.part, penalty.points, penalty.recoverable) == ("penalty", Decimal("-1.5"), 0)
    assert bad.status == "error" and bad.penalty_points is None


def test_ranks_follow_the_schemes_tie_break() -> None:
    scheme = scheme_of("ranking-tie-break")
    results = scheme.evaluate_many(
        [
            {"unit": "Sở KH&CN", "on_time_rate": Decimal("87.5"), "survey_points": Decimal("16.9")},
            {"unit": "Sở GTVT", "on_time_rate": 87, "survey_points": Decimal("17.3")},
        ]
    )
    assert [(r.unit, r.index, r.rank) for r in results] == [
        ("Sở KH&CN", Decimal("86.9"), 2),
        ("Sở GTVT", Decimal("86.9"), 1),
    ]
    assert results.to_dict()["scheme"]["ranking"] == {"ties": "reported", "tie_break": ["II", "I"]}


def test_a_scheme_without_the_sections_has_none() -> None:
    evaluation = parscore.Scheme.builtin("lang-son-snn-2024").evaluate({"survey_points": 17})
    assert evaluation.bonus_points is None and evaluation.penalty_points is None
    assert {c.part for c in evaluation.criteria} == {"content"}
    assert "bonus_points" not in evaluation.to_dict()
