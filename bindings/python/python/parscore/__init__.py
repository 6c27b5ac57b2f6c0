"""Exact scoring of public-administration reform targets and PAR Index points.

>>> import parscore
>>> scheme = parscore.Scheme.builtin("lang-son-snn-2024")
>>> result = scheme.evaluate({"unit": "Sở NN&PTNT", "dossiers_on_time": 9899, "dossiers_resolved": 10000})
>>> result.criterion("III.4.1").passed   # 98.99% misses the 99% target, exactly
False

Every number in and out is a ``decimal.Decimal`` (or an exact count such as ``"987/1000"``);
see ``docs/python.md`` for the guide.
"""

from parscore._errors import (
    InputError,
    InputErrorKind,
    ParscoreError,
    Problem,
    RecordsError,
    RecordsErrorKind,
    SchemeError,
)
from parscore._types import Decimals, ValueLike
from parscore._parscore import (
    AreaChange,
    Comparison,
    CompareSummary,
    Criterion,
    CriterionChange,
    CriterionResult,
    Evaluation,
    Fix,
    GroupResult,
    Indicator,
    PathToGrade,
    Lowered,
    RecordSummary,
    Recoverable,
    Results,
    Row,
    Scheme,
    Sensitivity,
    Summary,
    WhatIf,
    TrackRow,
    Tracking,
    Trend,
    TrendMonth,
    UnitChange,
    Untracked,
    __version__,
    builtin_schemes,
    summarize_records,
)

__all__ = [
    "AreaChange",
    "CompareSummary",
    "Comparison",
    "Criterion",
    "CriterionChange",
    "CriterionResult",
    "Decimals",
    "Evaluation",
    "Fix",
    "GroupResult",
    "Indicator",
    "InputError",
    "InputErrorKind",
    "Lowered",
    "ParscoreError",
    "PathToGrade",
    "Problem",
    "RecordSummary",
    "RecordsError",
    "RecordsErrorKind",
    "Recoverable",
    "Results",
    "Row",
    "Scheme",
    "SchemeError",
    "Sensitivity",
    "Summary",
    "TrackRow",
    "Tracking",
    "Trend",
    "TrendMonth",
    "UnitChange",
    "Untracked",
    "ValueLike",
    "WhatIf",
    "__version__",
    "builtin_schemes",
    "summarize_records",
]
