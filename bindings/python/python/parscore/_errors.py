"""parscore's exceptions.

They are plain Python classes (the native module raises them by name) so that their
attributes survive pickling: an error raised in a Dask, Spark or Ray worker reaches the
client with its criterion code, indicator and position intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional, Union

__all__ = [
    "InputError",
    "InputErrorKind",
    "ParscoreError",
    "Problem",
    "RecordsError",
    "RecordsErrorKind",
    "SchemeError",
]

# Written as a union of one-word literals, which type checkers read as one literal of them
# all, so that the runtime object is a `Union` as stubtest expects of a type alias.
InputErrorKind = Union[
    Literal["unknown_indicator"],
    Literal["invalid_value"],
    Literal["missing"],
    Literal["rule"],
    Literal["row"],
    Literal["wrong_scheme"],
]
"""What made an input unscoreable; see ``InputError``."""

RecordsErrorKind = Union[
    Literal["profile"],
    Literal["calendar"],
    Literal["mapping"],
    Literal["columns"],
    Literal["bad_record"],
    Literal["limits"],
]
"""What stopped dossier records from being counted; see ``RecordsError``."""


class ParscoreError(ValueError):
    """Base of every error parscore raises; a ``ValueError``.

    Attributes are ``None`` where they do not apply: ``code`` is the criterion code,
    ``indicator`` the indicator id, ``field`` the scheme key at fault, ``line`` and
    ``column`` the 1-based position in a scheme file.
    """

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        indicator: Optional[str] = None,
        field: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.indicator = indicator
        self.field = field
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One problem found in a scheme, with where it is."""

    message: str
    line: Optional[int] = None
    column: Optional[int] = None
    code: Optional[str] = None
    field: Optional[str] = None
    #: In a workbook scheme: the sheet, and the cell (``F12``) when one is at fault.
    sheet: Optional[str] = None
    cell: Optional[str] = None

    def __str__(self) -> str:
        if self.sheet is not None:
            place = f"{self.sheet}!{self.cell}: " if self.cell else f"{self.sheet}: "
        else:
            place = f"{self.line}:{self.column}: " if self.line is not None else ""
        code = f"{self.code}: " if self.code else ""
        field = f"`{self.field}`: " if self.field else ""
        return f"{place}{code}{field}{self.message}"


class SchemeError(ParscoreError):
    """A scheme that cannot be used: bad TOML/JSON, an invalid node, an unknown built-in id.

    ``problems`` lists every problem found; ``line``, ``column``, ``code`` and ``field``
    repeat the first one.
    """

    def __init__(
        self,
        message: str,
        *,
        problems: Optional[list[Problem]] = None,
        code: Optional[str] = None,
        indicator: Optional[str] = None,
        field: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(
            message, code=code, indicator=indicator, field=field, line=line, column=column
        )
        self.problems: list[Problem] = list(problems or [])


class InputError(ParscoreError):
    """An input that cannot be scored. In a batch it fails its own row only.

    ``kind`` says which: ``unknown_indicator``, ``invalid_value``, ``missing`` (strict mode),
    ``rule`` (e.g. given points above the maximum), ``row`` (no unit, not a mapping) or
    ``wrong_scheme``. ``row`` is the 1-based row of a batch or frame, else ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: InputErrorKind = "invalid_value",
        row: Optional[int] = None,
        code: Optional[str] = None,
        indicator: Optional[str] = None,
        field: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(
            message, code=code, indicator=indicator, field=field, line=line, column=column
        )
        self.kind: InputErrorKind = kind
        self.row = row


class RecordsError(ParscoreError):
    """Dossier records that cannot be counted, or counts that cannot feed the scheme.

    ``kind`` says which: ``profile`` (the profile text cannot be used), ``calendar`` (a
    calendar text cannot be used, or dossiers in progress fall due in a year no calendar
    holds), ``mapping`` (the indicator map does not fit the scheme: ``indicator`` names the
    scheme's indicator), ``columns`` (the table's header does not fit the profile: ``field``
    names the first missing field), ``bad_record`` (strict mode: ``row`` is the record's
    1-based row, ``field`` the field at fault) or ``limits`` (``as_of`` or a range of dates
    outside 1990–2100, or a summary of more periods or groups than one holds: ``row`` names
    the earliest record). ``line`` and ``column`` place a problem in a profile, calendar or
    map text.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: RecordsErrorKind = "bad_record",
        row: Optional[int] = None,
        code: Optional[str] = None,
        indicator: Optional[str] = None,
        field: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(
            message, code=code, indicator=indicator, field=field, line=line, column=column
        )
        self.kind: RecordsErrorKind = kind
        self.row = row
