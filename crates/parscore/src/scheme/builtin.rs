//! Schemes embedded in the library.

const SCHEMES: &[(&str, &str)] = &[(
    "lang-son-snn-2024",
    include_str!("../../schemes/lang-son-snn-2024.toml"),
)];

/// The ids of the built-in schemes; load one with [`Scheme::builtin`](crate::Scheme::builtin).
pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
    SCHEMES.iter().map(|(id, _)| *id)
}

pub(crate) fn text(id: &str) -> Option<&'static str> {
    SCHEMES
        .iter()
        .find(|(key, _)| *key == id)
        .map(|(_, text)| *text)
}
