"""Type stubs of parscore's native module (re-exported by ``parscore``)."""

import datetime
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, Optional, TypeVar, Union, final

from parscore._errors import InputError
from parscore._types import Decimals, ValueLike

__all__ = [
    "__version__",
    "Scheme",
    "Indicator",
    "Criterion",
    "Evaluation",
    "CriterionResult",
    "GroupResult",
    "Recoverable",
    "Results",
    "Row",
    "Summary",
    "RecordSummary",
    "Sensitivity",
    "PathToGrade",
    "WhatIf",
    "Fix",
    "Comparison",
    "UnitChange",
    "CriterionChange",
    "AreaChange",
    "Lowered",
    "CompareSummary",
    "Tracking",
    "TrackRow",
    "Untracked",
    "Trend",
    "TrendMonth",
    "builtin_schemes",
    "summarize_records",
    "_restore_evaluation",
    "_restore_results",
    "_restore_record_summary",
    "_recoverable",
    "_restore_comparison",
    "_restore_tracking",
    "_restore_sensitivity",
    "_restore_fix",
    "_restore_path",
    "_restore_what_if",
    "_panic_for_tests",
]

_Frame = TypeVar("_Frame")
_DtypeBackend = Optional[Literal["numpy_nullable", "pyarrow"]]

__version__: str

def builtin_schemes() -> list[str]:
    """The ids of the schemes built into the library."""

_Calendar = Union[str, Sequence[str], None]
_Date = Union[datetime.date, str, None]
_ResolvedBy = Literal["completed", "received"]
_Rates = Literal["percent", "counts"]
_Lang = Literal["vi", "en"]
_DecimalMark = Literal[".", ","]
_Library = Literal["pandas", "polars", "pyarrow"]
_Path = Union[str, os.PathLike[str]]
_CompareDetail = Literal["units", "criteria", "appraisal"]
_TrackDetail = Literal["criteria", "trends", "untracked"]
_Value = Union[str, bool, None]

def summarize_records(
    frame: Any,
    *,
    profile: Optional[str] = None,
    calendar: _Calendar = None,
    period: str = "year",
    as_of: _Date = None,
    by_sub_unit: bool = False,
    resolved_by: _ResolvedBy = "completed",
    strict: bool = False,
) -> RecordSummary:
    """Counts dossier records (a pandas, polars or pyarrow table, one row per dossier) per
    unit and period. ``profile`` is a profile's TOML text (default: the built-in
    ``vn-one-stop``), ``calendar`` TOML text laid over the built-in Vietnamese calendar.
    Raises ``RecordsError`` for a profile, calendar or header that cannot be used, for an
    ``as_of`` or summary beyond the limits (kind ``limits``) and, with ``strict``, for the
    first bad record (a repeated dossier code among them)."""

def _restore_evaluation(
    scheme: Scheme,
    unit: str,
    period: Optional[str],
    cells: list[tuple[str, str]],
    strict: bool,
) -> Evaluation: ...
def _restore_results(scheme: Scheme, rows: list[tuple[Any, ...]], strict: bool) -> Results: ...
def _restore_record_summary(state: str) -> RecordSummary: ...
def _recoverable(criterion: CriterionResult) -> Recoverable: ...
def _restore_comparison(scheme: Scheme, state: str) -> Comparison: ...
def _restore_tracking(scheme: Scheme, state: str) -> Tracking: ...
def _restore_sensitivity(
    scored: Results,
    state: str,
    model: tuple[str, Optional[Decimal], Optional[str]],
    certain: bool,
) -> Sensitivity: ...
def _restore_fix(code: str, title: str, lead: Optional[str], before: Decimal, after: Decimal) -> Fix: ...
def _restore_path(
    state: tuple[str, str, Decimal, bool, list[Fix], Optional[Decimal], Decimal, Decimal, Optional[Decimal], bool],
) -> PathToGrade: ...
def _restore_what_if(
    state: tuple[Evaluation, list[Fix], Optional[Decimal], Optional[Decimal], Decimal, Optional[str]],
) -> WhatIf: ...
def _panic_for_tests(place: str) -> None:
    """Panics inside the boundary's guard (``"here"``, ``"detached"``, ``"worker"``): only
    the tests call it, to show a panic arrives as ``ParscoreError``."""

@final
class Scheme:
    """A validated, compiled scoring methodology. Load it once, score any number of units."""

    @staticmethod
    def builtin(id: str) -> Scheme:
        """A scheme built into the library (``builtin_schemes()`` lists the ids).
        Raises ``SchemeError`` for an id that is not built in."""
    @staticmethod
    def from_toml(text: str) -> Scheme:
        """A scheme from TOML text. Raises ``SchemeError`` listing every problem found."""
    @staticmethod
    def from_json(text: str) -> Scheme:
        """A scheme from JSON text. Raises ``SchemeError`` listing every problem found."""
    @staticmethod
    def from_text(text: str) -> Scheme:
        """JSON when the text starts with ``{``, TOML otherwise. Raises ``SchemeError``."""
    @staticmethod
    def from_file(path: Union[str, os.PathLike[str]]) -> Scheme:
        """A ``.json`` file as JSON, a ``.toml`` file as TOML, any other by its content.
        Raises ``SchemeError`` whose message starts with the file's path, ``OSError``
        (``FileNotFoundError``) naming the file when it cannot be read."""
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def estimated(self) -> bool:
        """Whether the points are an estimate rather than an official instrument."""
    @property
    def provenance(self) -> str: ...
    @property
    def max_points(self) -> Decimal: ...
    @property
    def places(self) -> int:
        """Decimal places of reported figures."""
    @property
    def grades(self) -> list[tuple[str, Decimal]]:
        """``(name, min_index)`` pairs, highest first."""
    @property
    def indicators(self) -> list[Indicator]: ...
    def indicator(self, id: str) -> Indicator:
        """The indicator with this id; ``KeyError`` if there is none."""
    @property
    def criteria(self) -> list[Criterion]:
        """The scored criteria (leaves), in plan order."""
    @property
    def groups(self) -> list[Criterion]:
        """The areas and sub-groups, in plan order."""
    def criterion(self, code: str) -> Criterion:
        """The area, group or criterion with this code; ``KeyError`` if there is none."""
    def to_toml(self) -> str:
        """The scheme as TOML text; it loads back to an equal scheme."""
    def to_json(self) -> str:
        """The scheme as JSON text; it loads back to an equal scheme."""
    def evaluate(
        self,
        values: Mapping[str, ValueLike],
        *,
        strict: bool = False,
        ignore_unknown: bool = False,
        decimal: _DecimalMark = ".",
    ) -> Evaluation:
        """Scores one unit from a mapping of indicator id → value; ``unit`` and ``period``
        keys are optional. ``strict`` makes a missing value an error, ``ignore_unknown``
        skips keys that are not indicators, ``decimal=","`` reads text numbers with a decimal
        comma (``"17,5"``, ``"1.234,5"``). Raises ``InputError`` naming the indicator of a
        value that cannot be scored, ``TypeError`` when ``values`` is not a mapping or
        ``unit``/``period`` is not text or a number."""
    def evaluate_many(
        self,
        rows: Iterable[Mapping[str, ValueLike]],
        *,
        strict: bool = False,
        ignore_unknown: bool = False,
        decimal: _DecimalMark = ".",
    ) -> Results:
        """Scores every row (keywords as ``evaluate``); a bad row keeps its place with its
        error, as does a row repeating an earlier row's unit and period. Raises
        ``TypeError`` when ``rows`` is a mapping, a table or not iterable."""
    def evaluate_frame(
        self,
        frame: _Frame,
        *,
        strict: bool = False,
        ignore_unknown: bool = False,
        decimals: Decimals = None,
        criteria: bool = True,
        decimal: _DecimalMark = ".",
        rank: bool = True,
        first_row: int = 1,
        dtype_backend: _DtypeBackend = None,
    ) -> _Frame:
        """Scores a pandas, polars or pyarrow table, one result row per input row, returned
        in the same library. ``criteria=False`` leaves out the points per criterion;
        ``decimal=","`` reads text columns with a decimal comma; ``dtype_backend="pyarrow"``
        gives Arrow-backed pandas columns (``pandas.ArrowDtype``) instead of ``Decimal``
        objects. For a part of a larger table, ``rank=False`` leaves ``rank`` null (rank the
        combined parts with ``Scheme.rank``; a scheme whose ``[ranking]`` breaks ties adds
        ``rank_key``, which it reads) and ``first_row`` numbers the rows errors name.
        The result has ``missing`` and ``missing_points`` (criteria without input) after
        ``rank``, and null for a criterion that does not apply and is excluded. A bad row,
        or one repeating an earlier row's unit and period, keeps its place with
        ``status == "error"``. Raises ``InputError`` for a table that cannot be read at all
        (no ``unit`` column, a column given twice), ``TypeError`` for what is not a table."""
    def rank(self, frame: _Frame, *, first_row: int = 1) -> _Frame:
        """``frame`` (rows ``evaluate_frame`` scored, combined from parts) with ``rank``
        computed over all of it: competition ranks within each period by the scheme's rank
        policy, as ``evaluate_frame`` ranks (``rank_key`` is read and taken away); a row
        repeating an earlier row's unit and period becomes an error of its row. Rows are numbered by a ``row`` column if the frame has one, else
        from ``first_row``. Raises ``InputError`` for a frame without ``unit`` or ``index``,
        ``TypeError`` for what is not a pandas, polars or pyarrow table."""
    def evaluate_records(
        self,
        frame: Any,
        *,
        mapping: Union[str, dict[str, str], None] = None,
        profile: Optional[str] = None,
        calendar: _Calendar = None,
        period: str = "year",
        as_of: _Date = None,
        by_sub_unit: bool = False,
        resolved_by: _ResolvedBy = "completed",
        strict: bool = False,
    ) -> Results:
        """Counts dossier records as ``summarize_records`` does, feeds the counts to this
        scheme's indicators through ``mapping`` (an indicator map's TOML text or a dict of
        summary indicator → indicator id; default: the scheme's own map) and scores each unit
        and period. Raises ``RecordsError`` as ``summarize_records`` does, and of kind
        ``mapping`` for a map that does not fit the scheme."""
    def sensitivity(
        self,
        rows: Union[Iterable[Mapping[str, ValueLike]], Results, Any],
        *,
        samples: int = 1000,
        seed: int = 0,
        model: Union[str, os.PathLike[str], None] = None,
        weights: Union[Decimal, int, float, str, None] = None,
        factors: Optional[Literal["areas", "criteria"]] = "areas",
        threads: Optional[int] = None,
        strict: bool = False,
        ignore_unknown: bool = False,
        decimal: _DecimalMark = ".",
    ) -> Sensitivity:
        """How sure the scores are: an uncertainty and sensitivity study of the rows (as
        ``evaluate_many`` takes them, a table, or ``Results``), as ``parscore sensitivity``
        runs it. ``model`` is a model's TOML text or a path to its file; ``weights`` a
        percent laid over its ``[weights]``. Raises ``SchemeError`` for a model that cannot
        be used, ``ParscoreError`` for a study that cannot run, ``ValueError`` for
        ``samples``, ``threads`` or ``factors`` out of range."""
    def output_schema(
        self, decimals: Decimals = None, *, criteria: bool = True, rank: bool = True
    ) -> Any:
        """The ``pyarrow.Schema`` of ``evaluate_frame``'s result for these decimals (with
        ``rank=False``: of ``evaluate_frame(..., rank=False)``, ``rank_key`` last under a
        scheme whose ``[ranking]`` breaks ties)."""
    def track_records(
        self,
        frame: Any,
        *,
        as_of: Union[datetime.date, str],
        expected: Optional[int] = None,
        mapping: Union[str, dict[str, str], None] = None,
        profile: Optional[str] = None,
        calendar: _Calendar = None,
        by_sub_unit: bool = False,
        resolved_by: _ResolvedBy = "completed",
        strict: bool = False,
    ) -> Tracking:
        """The year tracked from records exported on ``as_of``, as ``parscore records
        track`` tracks it: per unit and criterion fed by a rate, the rate so far, the
        dossiers ``expected`` in the rest of the year (else from the previous year's same
        months, else the pace so far) and how many must meet the condition; each rate month
        by month. Raises ``RecordsError`` as ``evaluate_records`` does."""
    def to_xlsx(self, path: _Path, *, overwrite: bool = False) -> None:
        """Writes the scheme as a workbook laid out like a published instrument, whole or
        not at all; ``FileExistsError`` for an existing file unless ``overwrite``."""
    def template(
        self,
        path: _Path,
        *,
        per_unit: bool = False,
        units: Optional[list[str]] = None,
        period: Optional[str] = None,
        overwrite: bool = False,
    ) -> None:
        """Writes a workbook to fill in (a row per unit, a column per input indicator; or
        with ``per_unit`` the self-assessment form, a sheet per unit); ``FileExistsError``
        for an existing file unless ``overwrite``."""
    def evaluate_template(
        self, path: _Path, *, strict: bool = False, ignore_unknown: bool = False
    ) -> Results:
        """Scores a filled template, one result per filled-in row."""
    def to_html(self, *, lang: _Lang = "vi") -> str:
        """The areas as an HTML table, in Vietnamese (default) or English."""
    def __eq__(self, value: object, /) -> bool: ...
    def _repr_html_(self, *, lang: _Lang = "vi") -> str: ...

@final
class Indicator:
    """A declared indicator."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> Literal["percent", "count", "bool", "points", "number"]: ...
    @property
    def min(self) -> Optional[Decimal]: ...
    @property
    def max(self) -> Optional[Decimal]: ...
    @property
    def source(self) -> Literal["input", "ratio", "reduction"]: ...
    @property
    def derived_from(self) -> list[str]:
        """The indicators a derived one is computed from (numerator and denominator, or
        baseline and current)."""

@final
class Criterion:
    """An area, group or criterion of a scheme, with its plan details."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def max_points(self) -> Decimal: ...
    @property
    def depth(self) -> int:
        """0 for an area."""
    @property
    def is_group(self) -> bool: ...
    @property
    def indicator(self) -> Optional[str]: ...
    @property
    def target(self) -> Optional[str]: ...
    @property
    def rule(self) -> Optional[str]:
        """``threshold``, ``proportional``, ``bands``, ``boolean``, ``given`` or ``deduction``."""
    @property
    def task(self) -> Optional[str]: ...
    @property
    def lead(self) -> Optional[str]:
        """The lead unit (chủ trì)."""
    @property
    def coordinating(self) -> Optional[str]: ...
    @property
    def timeline(self) -> Optional[str]: ...
    @property
    def result(self) -> Optional[str]: ...

@final
class Evaluation:
    """The evaluation of one unit in one period."""

    @property
    def scheme(self) -> Scheme: ...
    @property
    def unit(self) -> str: ...
    @property
    def period(self) -> Optional[str]: ...
    @property
    def points(self) -> Decimal:
        """Total points, exact: the areas', with the bonus added and the penalties taken off."""
    @property
    def bonus_points(self) -> Optional[Decimal]:
        """The bonus points counted (điểm thưởng); None when the scheme gives no bonus."""
    @property
    def penalty_points(self) -> Optional[Decimal]:
        """The penalty points taken off (điểm trừ); None when the scheme has no penalties."""
    @property
    def max_points(self) -> Decimal:
        """The applicable maximum (excluded criteria left out)."""
    @property
    def index(self) -> Optional[Decimal]:
        """Points / applicable maximum × 100, rounded as the scheme reports it."""
    @property
    def index_exact(self) -> Optional[Decimal]:
        """The index before rounding (28 significant digits)."""
    @property
    def grade(self) -> Optional[str]:
        """The grade (xếp loại) of the rounded index; None below every grade."""
    @property
    def missing_count(self) -> int:
        """How many criteria had no input (status ``missing``, scored 0)."""
    @property
    def missing_points(self) -> Decimal:
        """The points the criteria without input stand for (their maxima, all lost)."""
    @property
    def missing(self) -> list[str]:
        """The codes of the criteria without input, in scheme order."""
    @property
    def groups(self) -> list[GroupResult]: ...
    @property
    def areas(self) -> list[GroupResult]: ...
    def group(self, code: str) -> GroupResult:
        """The area or sub-group with this code; ``KeyError`` if there is none."""
    @property
    def criteria(self) -> list[CriterionResult]: ...
    def criterion(self, code: str) -> CriterionResult:
        """The criterion with this code; ``KeyError`` if there is none."""
    def failed_targets(self) -> list[CriterionResult]: ...
    def recoverable(self) -> list[Recoverable]:
        """Points that meeting each target would gain, largest first."""
    def explain(self) -> str:
        """A plain-text report: headline, areas, every criterion with its reason."""
    def path_to(self, grade: str) -> PathToGrade:
        """The fewest criteria whose fixing lifts the reported index to ``grade``, with the
        exact index after them; ``ParscoreError`` when the scheme has no such grade."""
    def what_if(self, changes: Mapping[str, ValueLike], *, decimal: _DecimalMark = ".") -> WhatIf:
        """The evaluation after setting each named criterion's indicator to a new value,
        with every criterion whose points moved. ``ParscoreError`` for a code that is no
        leaf criterion, ``InputError`` for a value that does not fit."""
    def compare(
        self,
        other: Evaluation,
        *,
        labels: Optional[tuple[str, str]] = None,
        rounds: bool = False,
    ) -> Comparison:
        """This evaluation beside a later one of the same scheme (another period, or the
        appraisal of a self-assessment), with the fields of ``parscore compare``'s JSON."""
    def to_dict(self) -> dict[str, Any]:
        """The result document, figures as ``Decimal``."""
    def to_json(self, *, indent: int | None = 2) -> str:
        """The result document as JSON text, numbers with their exact digits."""
    def to_arrow(
        self, *, detail: Literal["criteria", "groups"] = "criteria", decimals: Decimals = None
    ) -> Any:
        """A ``pyarrow.Table``: one row per criterion, or per area and group."""
    def to_pandas(
        self, *, detail: Literal["criteria", "groups"] = "criteria", decimals: Decimals = None
    ) -> Any:
        """A ``pandas.DataFrame``: one row per criterion, or per area and group."""
    def to_polars(
        self, *, detail: Literal["criteria", "groups"] = "criteria", decimals: Decimals = None
    ) -> Any:
        """A ``polars.DataFrame``: one row per criterion, or per area and group."""
    def to_html(self, *, lang: _Lang = "vi") -> str:
        """Every area and criterion as an HTML table, with the criteria without input
        counted in the headline; in Vietnamese (default) or English."""
    def __eq__(self, value: object, /) -> bool: ...
    def _repr_html_(self, *, lang: _Lang = "vi") -> str: ...

@final
class CriterionResult:
    """One criterion's result."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def indicator(self) -> str: ...
    @property
    def value(self) -> Union[Decimal, bool, str, None]:
        """A Decimal, counts as ``"987/1000"``, a bool, ``"n/a"``, or None when missing."""
    @property
    def target(self) -> Optional[str]: ...
    @property
    def passed(self) -> Optional[bool]: ...
    @property
    def margin(self) -> Optional[Decimal]: ...
    @property
    def points(self) -> Decimal: ...
    @property
    def max_points(self) -> Decimal: ...
    @property
    def lost_points(self) -> Decimal: ...
    @property
    def recoverable(self) -> Decimal: ...
    @property
    def status(self) -> Literal["scored", "missing", "not_applicable"]: ...
    @property
    def explanation(self) -> str: ...
    @property
    def task(self) -> Optional[str]: ...
    @property
    def lead(self) -> Optional[str]: ...
    @property
    def timeline(self) -> Optional[str]: ...
    @property
    def part(self) -> Literal["content", "bonus", "penalty"]:
        """Counted in the maximum, a bonus added, or a penalty taken off."""

@final
class GroupResult:
    """An area's or sub-group's subtotal."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def depth(self) -> int: ...
    @property
    def points(self) -> Decimal: ...
    @property
    def max_points(self) -> Decimal: ...
    @property
    def lost_points(self) -> Decimal: ...
    @property
    def index(self) -> Optional[Decimal]: ...
    @property
    def part(self) -> Literal["content", "bonus", "penalty"]:
        """An area or group, the bonus section, or the penalties section."""

@final
class Recoverable:
    """Points a criterion could recover."""

    @property
    def criterion(self) -> CriterionResult: ...
    @property
    def points(self) -> Decimal: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...

@final
class Results:
    """The results of ``evaluate_many``, one per input row, in input order."""

    @property
    def scheme(self) -> Scheme: ...
    def __len__(self) -> int: ...
    def __getitem__(self, key: int, /) -> Row: ...
    def __iter__(self) -> Iterator[Row]: ...
    @property
    def ok(self) -> list[Row]: ...
    @property
    def errors(self) -> list[Row]: ...
    def ranking(self) -> list[Row]:
        """Scored rows by rank within each period."""
    @property
    def summary(self) -> Summary:
        """Rows scored and failed, mean index, units per grade, and the gaps."""
    def compare(
        self,
        other: Optional[Results] = None,
        *,
        periods: Optional[tuple[str, str]] = None,
        labels: Optional[tuple[str, str]] = None,
        rounds: bool = False,
    ) -> Comparison:
        """These results beside ``other``, or two ``periods`` of these results, unit by
        unit as ``parscore compare`` matches them."""
    def to_dict(self) -> dict[str, Any]:
        """The results document: ``scheme``, ``results``, ``summary``."""
    def to_json(self, *, indent: int | None = 2) -> str:
        """The results document as JSON text, numbers with their exact digits."""
    def to_arrow(
        self,
        *,
        detail: Literal["units", "criteria", "groups"] = "units",
        decimals: Decimals = None,
    ) -> Any:
        """A ``pyarrow.Table``: one row per unit (with ``missing`` and ``missing_points``),
        per unit and criterion, or per unit and group."""
    def to_pandas(
        self,
        *,
        detail: Literal["units", "criteria", "groups"] = "units",
        decimals: Decimals = None,
    ) -> Any:
        """``to_arrow()`` as a ``pandas.DataFrame``."""
    def to_polars(
        self,
        *,
        detail: Literal["units", "criteria", "groups"] = "units",
        decimals: Decimals = None,
    ) -> Any:
        """``to_arrow()`` as a ``polars.DataFrame``."""
    def to_html(self, *, lang: _Lang = "vi") -> str:
        """The units by rank within each period as an HTML table, with the criteria each
        lacks input for; in Vietnamese (default) or English."""
    def __eq__(self, value: object, /) -> bool: ...
    def _repr_html_(self, *, lang: _Lang = "vi") -> str: ...

@final
class Row:
    """One row of a batch: its evaluation, or its error."""

    @property
    def row(self) -> int: ...
    @property
    def unit(self) -> Optional[str]: ...
    @property
    def period(self) -> Optional[str]: ...
    @property
    def status(self) -> Literal["ok", "error"]: ...
    @property
    def evaluation(self) -> Optional[Evaluation]: ...
    @property
    def error(self) -> Optional[InputError]: ...
    @property
    def rank(self) -> Optional[int]: ...
    @property
    def points(self) -> Optional[Decimal]: ...
    @property
    def index(self) -> Optional[Decimal]: ...
    @property
    def grade(self) -> Optional[str]: ...
    @property
    def bonus_points(self) -> Optional[Decimal]: ...
    @property
    def penalty_points(self) -> Optional[Decimal]: ...

@final
class Summary:
    """A summary of a batch."""

    @property
    def units(self) -> int: ...
    @property
    def ok(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def mean_index(self) -> Optional[Decimal]: ...
    @property
    def grades(self) -> dict[str, int]: ...
    @property
    def missing_units(self) -> int:
        """Scored units with at least one criterion without input."""
    @property
    def missing_criteria(self) -> int:
        """Criteria without input, over every scored unit."""

@final
class RecordSummary:
    """Dossier records counted per unit (or sub-unit) and period, with the bad records.
    It pickles as its counts, bad records and options (not the records)."""

    @property
    def records(self) -> int:
        """Records read, good and bad."""
    @property
    def counted(self) -> int: ...
    @property
    def as_of(self) -> Optional[datetime.date]:
        """The day dossiers in progress were counted on in the last period."""
    @property
    def period(self) -> str: ...
    @property
    def by_sub_unit(self) -> bool: ...
    @property
    def groups(self) -> list[dict[str, Any]]:
        """Per unit and period: ``unit``, ``sub_unit``, ``period``, ``evaluated_on``, then
        counts as ``int`` and rates as exact percentages (``Decimal``), ``"n/a"`` or None."""
    @property
    def bad(self) -> dict[str, dict[str, Any]]:
        """Bad records by kind: ``count``, and the ``rows`` and ``messages`` of the first."""
    @property
    def bad_total(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """The summary document of ``parscore records summarize``: rates as ``"a/b"``."""
    def to_arrow(self, *, rates: _Rates = "percent") -> Any:
        """A ``pyarrow.Table``, one row per unit and period."""
    def to_pandas(self, *, rates: _Rates = "percent") -> Any:
        """A ``pandas.DataFrame``, one row per unit and period."""
    def to_polars(self, *, rates: _Rates = "percent") -> Any:
        """A ``polars.DataFrame``, one row per unit and period."""
    def __eq__(self, value: object, /) -> bool: ...

_SensitivityDetail = Literal["units", "variance_share", "rank_variance_share", "ranks"]

@final
class Sensitivity:
    """The results of ``Scheme.sensitivity``: each unit's index at p5/p50/p95 (exact), the
    probability of each grade and the rank's range; each factor's share of the variance
    (first-order and total, with standard errors: float estimates)."""

    @property
    def scheme(self) -> Scheme: ...
    @property
    def samples(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def factors(self) -> Optional[Literal["areas", "criteria"]]: ...
    @property
    def varies(self) -> bool:
        """Whether anything varies under the model."""
    def to_dict(self) -> dict[str, Any]:
        """The command's JSON document; exact figures as ``Decimal``, estimates as float."""
    def to_json(self, *, indent: int | None = 2) -> str:
        """The document as JSON text, as ``parscore sensitivity --format json`` writes it."""
    def to_arrow(self, *, detail: _SensitivityDetail = "units", decimals: Decimals = None) -> Any:
        """A ``pyarrow.Table``: per unit, per factor, or per unit and rank."""
    def to_pandas(self, *, detail: _SensitivityDetail = "units", decimals: Decimals = None) -> Any:
        """``to_arrow()`` as a ``pandas.DataFrame``."""
    def to_polars(self, *, detail: _SensitivityDetail = "units", decimals: Decimals = None) -> Any:
        """``to_arrow()`` as a ``polars.DataFrame``."""
    def to_html(self, *, lang: _Lang = "vi") -> str:
        """Fan chart, rank stability and tables as HTML with inline SVG."""
    def _repr_html_(self, *, lang: _Lang = "vi") -> str: ...

@final
class Fix:
    """One criterion of a path or a what-if: the points it brings and its lead unit."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def lead(self) -> Optional[str]: ...
    @property
    def before(self) -> Decimal: ...
    @property
    def after(self) -> Decimal: ...
    @property
    def points(self) -> Decimal: ...

@final
class PathToGrade:
    """The fewest fixes that reach a grade, and the unit's exact figures after them."""

    @property
    def unit(self) -> str: ...
    @property
    def grade(self) -> str: ...
    @property
    def min_index(self) -> Decimal: ...
    @property
    def reached(self) -> bool: ...
    @property
    def fixes(self) -> list[Fix]: ...
    @property
    def index_before(self) -> Optional[Decimal]: ...
    @property
    def points(self) -> Decimal: ...
    @property
    def max_points(self) -> Decimal: ...
    @property
    def index(self) -> Optional[Decimal]: ...
    @property
    def exhaustive(self) -> bool: ...

@final
class WhatIf:
    """A unit's evaluation after changes of value, and every criterion whose points moved."""

    @property
    def evaluation(self) -> Evaluation: ...
    @property
    def changes(self) -> list[Fix]: ...
    @property
    def index_before(self) -> Optional[Decimal]: ...
    @property
    def index(self) -> Optional[Decimal]: ...
    @property
    def points(self) -> Decimal: ...
    @property
    def grade(self) -> Optional[str]: ...

@final
class Comparison:
    """Two evaluations of one scheme side by side, unit by unit: the fields of
    ``parscore compare --format json``."""

    @property
    def scheme(self) -> Scheme: ...
    @property
    def kind(self) -> Literal["periods", "rounds"]: ...
    @property
    def labels(self) -> tuple[str, str]: ...
    @property
    def units(self) -> list[UnitChange]: ...
    @property
    def appraisal(self) -> Optional[list[Lowered]]:
        """Between rounds, every criterion the second round lowered; ``None`` between
        periods."""
    @property
    def summary(self) -> CompareSummary: ...
    def unit(self, name: str) -> UnitChange:
        """The entry of a unit by name (either Unicode form); ``KeyError`` if none."""
    def to_json(self, *, indent: int | None = 2) -> str:
        """The document ``parscore compare --format json`` writes."""
    def to_frame(
        self,
        library: _Library = "pandas",
        *,
        detail: _CompareDetail = "units",
        decimals: Decimals = None,
    ) -> Any:
        """One row per unit, per unit and criterion, or per criterion lowered."""
    def to_arrow(self, *, detail: _CompareDetail = "units", decimals: Decimals = None) -> Any: ...
    def to_pandas(self, *, detail: _CompareDetail = "units", decimals: Decimals = None) -> Any: ...
    def to_polars(self, *, detail: _CompareDetail = "units", decimals: Decimals = None) -> Any: ...
    def to_html(self, *, lang: _Lang = "vi") -> str:
        """The comparison as HTML, in Vietnamese (default) or English."""
    def _repr_html_(self, *, lang: _Lang = "vi") -> str: ...
    def __len__(self) -> int: ...

@final
class UnitChange:
    """One unit on both sides; a side it is not on, or whose row failed, has ``None``."""

    @property
    def unit(self) -> str: ...
    @property
    def presence(self) -> Literal["both", "before_only", "after_only"]: ...
    @property
    def period_before(self) -> Optional[str]: ...
    @property
    def period_after(self) -> Optional[str]: ...
    @property
    def index_before(self) -> Optional[Decimal]: ...
    @property
    def index_after(self) -> Optional[Decimal]: ...
    @property
    def delta(self) -> Optional[Decimal]: ...
    @property
    def grade_before(self) -> Optional[str]: ...
    @property
    def grade_after(self) -> Optional[str]: ...
    @property
    def rank_before(self) -> Optional[int]: ...
    @property
    def rank_after(self) -> Optional[int]: ...
    @property
    def points_before(self) -> Optional[Decimal]: ...
    @property
    def points_after(self) -> Optional[Decimal]: ...
    @property
    def points_delta(self) -> Optional[Decimal]: ...
    @property
    def max_points_before(self) -> Optional[Decimal]: ...
    @property
    def max_points_after(self) -> Optional[Decimal]: ...
    @property
    def missing_before(self) -> Optional[int]: ...
    @property
    def missing_after(self) -> Optional[int]: ...
    @property
    def error_before(self) -> Optional[str]: ...
    @property
    def error_after(self) -> Optional[str]: ...
    @property
    def areas(self) -> list[AreaChange]: ...
    @property
    def criteria(self) -> list[CriterionChange]:
        """Every criterion, the largest change of points first."""
    def criterion(self, code: str) -> CriterionChange:
        """The change of a criterion by code; ``KeyError`` if none."""

@final
class CriterionChange:
    """One criterion of a unit on both sides."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def points_before(self) -> Decimal: ...
    @property
    def points_after(self) -> Decimal: ...
    @property
    def delta(self) -> Decimal: ...
    @property
    def passed_before(self) -> Optional[bool]: ...
    @property
    def passed_after(self) -> Optional[bool]: ...
    @property
    def change(self) -> Literal["newly_failed", "newly_passed", "up", "down", "same"]: ...
    @property
    def status_before(self) -> str: ...
    @property
    def status_after(self) -> str: ...
    @property
    def value_before(self) -> _Value: ...
    @property
    def value_after(self) -> _Value: ...
    @property
    def max_points(self) -> Decimal: ...
    @property
    def area(self) -> str: ...
    @property
    def lead(self) -> Optional[str]: ...

@final
class AreaChange:
    """An area's points on both sides."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def points_before(self) -> Decimal: ...
    @property
    def points_after(self) -> Decimal: ...
    @property
    def delta(self) -> Decimal: ...
    @property
    def max_points_before(self) -> Decimal: ...
    @property
    def max_points_after(self) -> Decimal: ...

@final
class Lowered:
    """A criterion the appraisal took points from (or found missed)."""

    @property
    def unit(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def lead(self) -> Optional[str]: ...
    @property
    def points_before(self) -> Decimal: ...
    @property
    def points_after(self) -> Decimal: ...
    @property
    def delta(self) -> Decimal: ...
    @property
    def value_before(self) -> _Value: ...
    @property
    def value_after(self) -> _Value: ...
    @property
    def passed_before(self) -> Optional[bool]: ...
    @property
    def passed_after(self) -> Optional[bool]: ...
    @property
    def explanation_due(self) -> bool: ...

@final
class CompareSummary:
    """Counts and means over a comparison."""

    @property
    def units(self) -> int: ...
    @property
    def both(self) -> int: ...
    @property
    def before_only(self) -> int: ...
    @property
    def after_only(self) -> int: ...
    @property
    def errors(self) -> int: ...
    @property
    def up(self) -> int: ...
    @property
    def down(self) -> int: ...
    @property
    def same(self) -> int: ...
    @property
    def mean_index_before(self) -> Optional[Decimal]: ...
    @property
    def mean_index_after(self) -> Optional[Decimal]: ...
    @property
    def mean_delta(self) -> Optional[Decimal]: ...
    @property
    def changes(self) -> dict[str, int]: ...

@final
class Tracking:
    """The year tracked from records exported mid-year."""

    @property
    def scheme(self) -> Scheme: ...
    @property
    def as_of(self) -> datetime.date: ...
    @property
    def year(self) -> int: ...
    @property
    def days_elapsed(self) -> int: ...
    @property
    def days_left(self) -> int: ...
    @property
    def rows(self) -> list[TrackRow]:
        """One per unit and tracked criterion."""
    @property
    def criteria(self) -> list[TrackRow]:
        """``rows``, under the JSON's name."""
    @property
    def untracked(self) -> list[Untracked]: ...
    @property
    def trends(self) -> list[Trend]: ...
    def to_json(self, *, indent: int | None = 2) -> str:
        """The document ``parscore records track --format json`` writes, less ``records``."""
    def to_frame(
        self,
        library: _Library = "pandas",
        *,
        detail: _TrackDetail = "criteria",
        decimals: Decimals = None,
    ) -> Any:
        """One row per unit and criterion, per unit, rate and month, or per untracked."""
    def to_arrow(self, *, detail: _TrackDetail = "criteria", decimals: Decimals = None) -> Any: ...
    def to_pandas(self, *, detail: _TrackDetail = "criteria", decimals: Decimals = None) -> Any: ...
    def to_polars(self, *, detail: _TrackDetail = "criteria", decimals: Decimals = None) -> Any: ...
    def to_html(self, *, lang: _Lang = "vi") -> str:
        """The tracking and the monthly trend as HTML, in Vietnamese (default) or English."""
    def _repr_html_(self, *, lang: _Lang = "vi") -> str: ...
    def __len__(self) -> int: ...

@final
class TrackRow:
    """One unit and one criterion a rate of the records feeds."""

    @property
    def unit(self) -> str: ...
    @property
    def criterion(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def indicator(self) -> str: ...
    @property
    def rate(self) -> str: ...
    @property
    def so_far(self) -> str:
        """``"met/total"``."""
    @property
    def met(self) -> int: ...
    @property
    def counted(self) -> int: ...
    @property
    def target(self) -> str: ...
    @property
    def expected(self) -> int: ...
    @property
    def needed(self) -> int: ...
    @property
    def status(self) -> Literal["secured", "on_track", "at_risk", "impossible"]: ...
    @property
    def expected_from(self) -> Literal["given", "previous_year", "pace"]: ...
    @property
    def lead(self) -> Optional[str]: ...

@final
class Untracked:
    """A unit and criterion fed by a rate that cannot be tracked, and why."""

    @property
    def unit(self) -> str: ...
    @property
    def criterion(self) -> str: ...
    @property
    def indicator(self) -> str: ...
    @property
    def reason(self) -> Literal["no_target", "not_a_floor", "nothing_counted", "not_said"]: ...
    @property
    def message(self) -> str: ...

@final
class Trend:
    """A rate of one unit month by month."""

    @property
    def unit(self) -> str: ...
    @property
    def rate(self) -> str: ...
    @property
    def indicator(self) -> str: ...
    @property
    def target(self) -> Optional[Decimal]: ...
    @property
    def months(self) -> list[TrendMonth]: ...

@final
class TrendMonth:
    """One month of a trend."""

    @property
    def month(self) -> str: ...
    @property
    def count(self) -> str: ...
    @property
    def year_to_date(self) -> str: ...
    @property
    def rate(self) -> Optional[Decimal]: ...
    @property
    def rate_to_date(self) -> Optional[Decimal]: ...
