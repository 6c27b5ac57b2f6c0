"""Type aliases of parscore's signatures."""

from decimal import Decimal
from typing import Literal, Union

#: What a cell may hold. A float is read through its shortest repr (``repr(0.1)`` is
#: ``'0.1'``); ``None`` is missing; text may be ``"98.5"``, ``"987/1000"`` or ``"n/a"``.
ValueLike = Union[Decimal, int, float, str, bool, None]

#: How decimal figures are written to tables: ``"exact"`` (the default: Arrow decimals, each
#: column at the fewest places that hold every value), a fixed scale 0–28 (values rounded
#: as the scheme rounds; a schema that does not depend on the data), or ``"float"`` (the
#: float nearest to each exact figure).
Decimals = Union[Literal["exact", "float"], int, None]
