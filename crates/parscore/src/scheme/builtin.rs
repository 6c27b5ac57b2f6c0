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

#[cfg(test)]
mod tests {
    use crate::Scheme;

    #[test]
    fn every_builtin_loads_under_its_id() {
        for id in super::builtin_ids() {
            let scheme = Scheme::builtin(id).unwrap_or_else(|e| panic!("{id}:\n{e}"));
            assert_eq!(scheme.id(), id);
        }
    }
}
