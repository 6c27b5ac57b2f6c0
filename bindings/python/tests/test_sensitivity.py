"""How sure the scores are, from Python: `Scheme.sensitivity`, `Evaluation.path_to` and
`Evaluation.what_if`. The trust checks of the study (no uncertainty collapses to the exact
index, a unit far above a threshold keeps its grade, the same seed gives the same results,
the same document as the command's), the frames, the charts, the errors, Vietnamese data
and fuzz cases for every new entry."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parscore
from conftest import EXAMPLES, GOLDEN, REPO, read_rows

COMMAND_JSON = Path(__file__).parent / "data" / "sensitivity-units-2024.json"
MODEL = EXAMPLES / "uncertainty-2024.toml"


def test_no_uncertainty_collapses_to_the_exact_index(
    scheme: parscore.Scheme, example_rows: list[Any]
) -> None:
    study = scheme.sensitivity(example_rows, weights=0, samples=30, seed=1)
    assert not study.varies
    results = scheme.evaluate_many(example_rows)
    document = study.to_dict()
    assert len(document["units"]) == len(results)
    for unit, row in zip(document["units"], results):
        index = row.evaluation.index
        assert unit["index"] == index
        assert unit["p05"] == unit["p50"] == unit["p95"] == index
        assert unit["rank_p05"] == unit["rank_p95"] == row.rank
        assert unit["grades"][row.evaluation.grade] == 1.0
        assert sum(unit["grades"].values()) == 1.0
    assert all(share["first"] is None for share in document["variance_share"])


def test_a_unit_far_above_a_threshold_has_its_grade_with_probability_1(
    scheme: parscore.Scheme, example_rows: list[Any]
) -> None:
    study = scheme.sensitivity(example_rows, weights=30, samples=200, seed=2)
    assert study.varies
    frame = study.to_pandas()
    top = frame.loc[frame["unit"] == "Chi cục Trồng trọt và BVTV"].iloc[0]
    assert top["index"] > Decimal(95)
    assert top["P(Xuất sắc)"] == 1.0
    # Another unit does move.
    moving = frame.loc[frame["unit"] == "Sở NN&PTNT"].iloc[0]
    assert moving["p05"] < moving["p95"]
    grades = [c for c in frame.columns if c.startswith("P(")]
    assert frame[grades].sum(axis=1).round(9).eq(1.0).all()


def test_the_same_seed_gives_the_same_results_on_any_number_of_threads(
    scheme: parscore.Scheme, example_rows: list[Any]
) -> None:
    one = scheme.sensitivity(example_rows, samples=80, seed=7, threads=1)
    two = scheme.sensitivity(example_rows, samples=80, seed=7, threads=2)
    assert one.to_json() == two.to_json()
    other = scheme.sensitivity(example_rows, samples=80, seed=8)
    assert other.to_json() != one.to_json()
    assert (one.samples, one.seed, one.factors) == (80, 7, "areas")


def test_the_document_is_the_commands(scheme: parscore.Scheme) -> None:
    # Written from the repository's root by `parscore sensitivity --scheme lang-son-snn-2024
    # --model examples/data/uncertainty-2024.toml --seed 2024 --samples 200 --factors criteria
    # --format json examples/data/units-2024.json`; write it again when the study changes.
    command = json.loads(COMMAND_JSON.read_text(encoding="utf-8"))
    rows = read_rows(EXAMPLES / "units-2024.json")
    study = scheme.sensitivity(rows, model=MODEL, seed=2024, samples=200, factors="criteria")
    mine = json.loads(study.to_json())
    for unit in command["units"]:
        unit.pop("source")
    command["model"]["file"] = mine["model"]["file"]
    assert mine == command


def test_frames_keep_exact_figures_and_say_which_are_estimates(
    scheme: parscore.Scheme, example_rows: list[Any]
) -> None:
    pa = pytest.importorskip("pyarrow")
    study = scheme.sensitivity(example_rows, samples=50, seed=3)
    units = study.to_arrow()
    assert units.schema.field("p05").type == pa.decimal128(38, 2)
    assert units.schema.field("P(Xuất sắc)").type == pa.float64()
    assert units.column("row").to_pylist() == [1, 2, 3, 4, 5]
    floats = study.to_arrow(decimals="float")
    assert floats.schema.field("p50").type == pa.float64()
    fixed = study.to_arrow(decimals=4)
    assert fixed.schema.field("index").type == pa.decimal128(38, 4)
    shares = study.to_polars(detail="variance_share")
    assert shares.columns == ["code", "title", "first", "total", "first_se", "total_se"]
    assert "KS" in shares["code"].to_list()
    ranks = study.to_pandas(detail="ranks")
    per_unit = ranks.groupby("row")["probability"].sum().round(9)
    assert (per_unit == 1.0).all()
    assert isinstance(study.to_pandas()["p50"].iloc[0], Decimal)
    rank_shares = study.to_arrow(detail="rank_variance_share")
    assert rank_shares.num_rows == shares.height
    with pytest.raises(ValueError, match="detail"):
        study.to_arrow(detail="criteria")
    html = study._repr_html_()
    assert html.count('class="threshold"') >= 1 and html.count('class="band"') == 5


def test_tables_results_and_vietnamese_rows_are_studied_alike(scheme: parscore.Scheme) -> None:
    pd = pytest.importorskip("pandas")
    # A decimal comma, a name typed decomposed (NFD), `có` and `x` for yes.
    nfd = unicodedata.normalize("NFD", "Sở Tư pháp")
    rows = [
        {"unit": nfd, "period": "2024", "survey_points": "16,85", "reports_on_time": "có"},
        {"unit": "Sở Y tế", "period": "2024", "survey_points": "15,5", "reports_on_time": "x",
         "dossiers_on_time": 9899, "dossiers_resolved": 10000},
        {"unit": "Sở Y tế", "period": "2024", "survey_points": "1"},  # repeated: an error row
    ]
    study = scheme.sensitivity(rows, decimal=",", samples=40, seed=5)
    document = study.to_dict()
    assert document["units"][0]["unit"] == "Sở Tư pháp"
    assert document["units"][2]["error"] is not None
    assert document["units"][2]["p50"] is None
    frame = pd.DataFrame(rows)
    from_frame = scheme.sensitivity(frame, decimal=",", samples=40, seed=5)
    assert from_frame.to_json() == study.to_json()
    results = scheme.evaluate_many(rows, decimal=",")
    from_results = scheme.sensitivity(results, samples=40, seed=5)
    assert from_results.to_json() == study.to_json()
    html = study._repr_html_()
    assert "Sở Tư pháp" in html and "16,85" not in html
    assert html.count('<g class="unit">') == 2 * 2  # fan chart and rank chart, two units
    assert 'class="fan-chart"' in html and 'class="rank-chart"' in html
    assert "Chỉ số CCHC" in html
    assert "index" in study.to_html(lang="en")


def test_bonus_and_penalty_schemes_are_studied(scheme: parscore.Scheme) -> None:
    for case in ("bonus-capped", "penalties-capped", "bonus-above-100"):
        bonus = parscore.Scheme.from_file(GOLDEN / case / "scheme.toml")
        rows = read_rows(GOLDEN / case / "input.json")
        study = bonus.sensitivity(rows, weights=0, samples=10)
        for unit, row in zip(study.to_dict()["units"], bonus.evaluate_many(rows)):
            if row.evaluation is not None:
                assert unit["p05"] == unit["p95"] == row.evaluation.index
    ranking = parscore.Scheme.from_file(GOLDEN / "ranking-tie-break" / "scheme.toml")
    rows = read_rows(GOLDEN / "ranking-tie-break" / "input.json")
    with pytest.raises(parscore.ParscoreError, match=r"\[ranking\]"):
        ranking.sensitivity(rows, samples=5)


def test_bad_settings_and_models_are_refused_with_their_place(
    scheme: parscore.Scheme, example_rows: list[Any], tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="samples"):
        scheme.sensitivity(example_rows, samples=0)
    with pytest.raises(ValueError, match="threads"):
        scheme.sensitivity(example_rows, threads=0)
    with pytest.raises(ValueError, match="factors"):
        scheme.sensitivity(example_rows, factors="units")
    with pytest.raises(TypeError, match="weights"):
        scheme.sensitivity(example_rows, weights=True)
    with pytest.raises(parscore.ParscoreError, match="spread"):
        scheme.sensitivity(example_rows, weights=150)
    with pytest.raises(TypeError, match="model"):
        scheme.sensitivity(example_rows, model=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="keyword"):
        scheme.sensitivity(example_rows, sample=3)  # type: ignore[call-arg]
    with pytest.raises(parscore.SchemeError) as bad:
        scheme.sensitivity(example_rows, model="[weights]\nspread = 20\nsprd = 3\n")
    assert bad.value.line == 3
    path = tmp_path / "mô-hình.toml"
    path.write_text("[[inputs]]\nindicator = \"khong_co\"\nrange = [1, 2]\n", encoding="utf-8")
    with pytest.raises(parscore.SchemeError, match="mô-hình.toml") as unknown:
        scheme.sensitivity(example_rows, model=path)
    assert unknown.value.line == 2
    with pytest.raises(FileNotFoundError):
        scheme.sensitivity(example_rows, model=tmp_path / "none.toml")
    other = parscore.Scheme.from_file(GOLDEN / "bonus-capped" / "scheme.toml")
    with pytest.raises(parscore.ParscoreError, match="bonus-capped"):
        scheme.sensitivity(other.evaluate_many([{"unit": "A"}]))
    # A model file with --weights laid over it, as the command does.
    over = scheme.sensitivity(example_rows, model=MODEL, weights=0, samples=20)
    assert over.to_dict()["model"] == {"file": str(MODEL), "weights": Decimal(0), "default": False}


def test_the_path_to_a_grade_is_exact(scheme: parscore.Scheme, example_rows: list[Any]) -> None:
    unit = scheme.evaluate(example_rows[0])
    path = unit.path_to(unicodedata.normalize("NFD", "Xuất sắc"))
    assert path.grade == "Xuất sắc" and path.reached
    assert path.index is not None and path.index >= path.min_index
    assert path.index_before == unit.index
    assert path.points == unit.points + sum(fix.points for fix in path.fixes)
    assert all(fix.after - fix.before == fix.points > 0 for fix in path.fixes)
    assert any(fix.lead for fix in path.fixes) or not path.fixes
    assert "PathToGrade" in repr(path)
    already = unit.path_to(unit.grade or "")
    assert already.fixes == [] and already.reached
    with pytest.raises(parscore.ParscoreError, match="Xuất sắc"):
        unit.path_to("Giỏi")


def test_what_if_gives_the_exact_figures_after_changes(scheme: parscore.Scheme) -> None:
    unit = scheme.evaluate(
        {"unit": "Sở A", "dossiers_on_time": 9899, "dossiers_resolved": 10000,
         "reports_on_time": "không"}
    )
    what_if = unit.what_if({"III.4.1": "99,5", "I.2": "có"}, decimal=",")
    moved = {fix.code: fix for fix in what_if.changes}
    assert moved["III.4.1"].points == Decimal("0.58")
    assert what_if.points == unit.points + sum(fix.points for fix in what_if.changes)
    assert what_if.evaluation.points == what_if.points
    assert what_if.index == what_if.evaluation.index
    assert what_if.index_before == unit.index
    # The new evaluation pickles and scores again to the same figures.
    import pickle

    assert pickle.loads(pickle.dumps(what_if.evaluation)) == what_if.evaluation
    with pytest.raises(parscore.ParscoreError) as unknown:
        unit.what_if({"III": 1})
    assert unknown.value.code == "III"
    with pytest.raises(parscore.InputError):
        unit.what_if({"III.4.1": "nhiều"})
    with pytest.raises(parscore.InputError):
        unit.what_if({"III.4.1": None})
    with pytest.raises(TypeError):
        unit.what_if([("III.4.1", 99)])  # type: ignore[arg-type]


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10**6, 10**6),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["có", "x", "không", "n/a", "16,85", "987/1000", "1e400"]),
)
INDICATORS = ["survey_points", "dossiers_on_time", "dossiers_resolved", "reports_on_time",
              "online_full_services_rate", "law_monitoring_activities"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"unit": st.one_of(st.text(max_size=6), st.none(), st.integers(0, 3))},
            optional={i: VALUES for i in INDICATORS},
        ),
        max_size=5,
    ),
    samples=st.integers(1, 12),
    seed=st.integers(0, 2**64 - 1),
    weights=st.one_of(st.none(), st.integers(0, 99)),
)
def test_fuzz_sensitivity_never_panics_and_keeps_every_row(
    scheme: parscore.Scheme, rows: list[dict[str, Any]], samples: int, seed: int,
    weights: int | None,
) -> None:
    study = scheme.sensitivity(rows, samples=samples, seed=seed, weights=weights)
    units = study.to_dict()["units"]
    assert len(units) == len(rows)
    for unit in units:
        if unit["error"] is None:
            assert unit["p05"] <= unit["p50"] <= unit["p95"]
            assert Decimal(0) <= unit["p05"] and unit["p95"] <= Decimal(100)
            assert abs(sum(unit["grades"].values()) - 1.0) < 1e-9
    assert study.to_arrow().num_rows == len(rows)
    study._repr_html_()


@settings(max_examples=40, deadline=None)
@given(text=st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from([
        "[weights]\n", "spread = 20\n", "spread = -3\n", "distribution = \"dirichlet\"\n",
        "fixed = [\"KS\"]\n", "vary = \"areas\"\n", "[[inputs]]\nindicator = \"survey_points\"\n",
        "range = [14, 19]\n", "margin = 2\n", "[methods]\nnot_applicable = [\"exclude\", \"full_points\"]\n",
    ]), max_size=6).map("".join),
))
def test_fuzz_any_model_text_is_studied_or_refused(
    scheme: parscore.Scheme, example_rows: list[Any], text: str
) -> None:
    try:
        study = scheme.sensitivity(example_rows, model=text, samples=4)
    except parscore.SchemeError as error:
        assert str(error)
        return
    assert len(study.to_dict()["units"]) == len(example_rows)


@settings(max_examples=60, deadline=None)
@given(
    grade=st.one_of(st.text(max_size=10), st.sampled_from(["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"])),
    changes=st.dictionaries(
        st.one_of(st.sampled_from(["III.4.1", "I.2", "KS.1", "II.1", "III", " III.4.1 "]), st.text(max_size=5)),
        VALUES,
        max_size=3,
    ),
)
def test_fuzz_path_to_and_what_if_answer_or_raise_the_packages_errors(
    scheme: parscore.Scheme, example_rows: list[Any], grade: str, changes: dict[str, Any]
) -> None:
    unit = scheme.evaluate(example_rows[2])
    try:
        path = unit.path_to(grade)
    except parscore.ParscoreError:
        pass
    else:
        assert path.points <= path.max_points
        assert not path.reached or (path.index is not None and path.index >= path.min_index)
    try:
        what_if = unit.what_if(changes)
    except parscore.ParscoreError:
        return
    assert Decimal(0) <= what_if.points <= what_if.evaluation.max_points
    assert len(what_if.evaluation.criteria) == len(unit.criteria)


def test_the_repository_has_the_commands_document() -> None:
    # The fixture's command line names files of this repository.
    assert COMMAND_JSON.is_file() and (REPO / "examples" / "data" / "units-2024.csv").is_file()
