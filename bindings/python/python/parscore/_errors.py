"""parscore's exceptions.

They are plain Python classes (the native module raises them by name) so that their
attributes survive pickling: an error raised in a Dask, Spark or Ray worker reaches the
client with its criterion code, indicator and position intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["InputError", "ParscoreError", "Problem", "SchemeError"]


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

    def __str__(self) -> str:
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
    ``wrong_scheme``; for dossier records, ``columns`` (the header does not fit the profile:
    ``field`` names the first missing one), ``bad_record`` (strict mode) or ``calendar``
    (dossiers in progress fall due in a year the calendar does not hold). ``row`` is the
    1-based row of a batch, frame or records table, else ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str = "invalid_value",
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
        self.kind = kind
        self.row = row
