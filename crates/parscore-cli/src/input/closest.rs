//! The name a misspelt column most likely meant, for "did you mean" in messages.
//!
//! Names are compared folded (case, diacritics and `_`/`-`/spaces ignored, so `Dossiers on
//! time` is close to `dossiers_on_time`), by the number of single-character edits, a swap of
//! two neighbours counting as one. A name is offered only when it is close for its length:
//! a guess that is far off would send the user looking in the wrong place.

use parscore::Scheme;
use parscore::text::fold;

/// The indicator of the scheme whose id is closest to `name`, if one is close.
pub fn closest_indicator<'s>(scheme: &'s Scheme, name: &str) -> Option<&'s str> {
    closest(name, scheme.indicators().iter().map(|i| i.id.as_str()))
}

/// The candidate closest to `name`, if close enough; the first of equally close ones.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<char> = fold(name).chars().collect();
    let allowed = (wanted.len() / 5).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let folded: Vec<char> = fold(candidate).chars().collect();
        let distance = edits(&wanted, &folded);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Insertions, deletions, substitutions and swaps of neighbours that turn `a` into `b`
/// (the optimal string alignment distance).
fn edits(a: &[char], b: &[char]) -> usize {
    // Three rows of the table: two back for a swap, one back, and the one being filled.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        edits(&a, &b)
    }

    #[test]
    fn edits_count_insertions_deletions_substitutions_and_swaps() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("on_tme", "on_time"), 1);
        assert_eq!(distance("on_tiem", "on_time"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("sở", "so"), 1);
    }

    #[test]
    fn only_a_close_name_is_offered() {
        let ids = ["dossiers_on_time", "dossiers_resolved", "survey_points"];
        assert_eq!(closest("dossiers_on_tme", ids), Some("dossiers_on_time"));
        assert_eq!(closest("Dossiers On Time", ids), Some("dossiers_on_time"));
        assert_eq!(closest("survey_poinst", ids), Some("survey_points"));
        assert_eq!(closest("notes", ids), None);
        assert_eq!(closest("ghi chú", ids), None);
        assert_eq!(closest("", ids), None);
        assert_eq!(closest("Unit", ["unit", "period"]), Some("unit"));
    }

    #[test]
    fn the_scheme_offers_its_indicators() {
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        assert_eq!(
            closest_indicator(&scheme, "dossiers_on_tme"),
            Some("dossiers_on_time")
        );
        assert_eq!(closest_indicator(&scheme, "notes"), None);
    }
}
