//! Exact numbers: decimal arithmetic on plain integers where it fits ([`exact`]), sums that
//! never round ([`sum`]), rates kept as fractions ([`fraction`]), trailing decimal zeros
//! dropped without dividing ([`trailing_zeros`]), figures written as text ([`digits`]), and
//! the float nearest a decimal for those who ask for one ([`float`]).

pub(crate) mod digits;
pub(crate) mod exact;
pub(crate) mod float;
pub(crate) mod fraction;
pub(crate) mod sum;
pub(crate) mod trailing_zeros;
