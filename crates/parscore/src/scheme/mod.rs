//! Schemes: the file model ([`file`]), its validation and compilation ([`compile`], with
//! [`locate`] to place each problem in the text), the built-in schemes, and the compiled
//! [`Scheme`] with its rules, targets and rounding.

mod builtin;
mod compile;
pub mod file;
mod locate;
mod model;
pub(crate) mod rounding;
pub(crate) mod rule;
pub(crate) mod target;

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::error::{Location, SchemeError};
use crate::text::{fold, nfc};
pub use builtin::builtin_ids;
use file::SchemeFile;
pub use file::{IndicatorKind, Ties};

pub use model::{Criterion, Grade, Indicator, IndicatorSource, Part};
pub use model::{Leaf, Node, SchemeData, Section};
use rounding::Rounding;

/// A validated, compiled scoring methodology. Cheap to clone and safe to share across threads.
///
/// Load it once (from TOML, JSON or a built-in id) and evaluate any number of units with it.
#[derive(Debug, Clone)]
pub struct Scheme(pub(crate) Arc<SchemeData>);

impl PartialEq for Scheme {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.file == other.0.file
    }
}

impl Scheme {
    /// Reads and validates a TOML scheme. The text is read in Unicode's composed form (NFC),
    /// so that ids, codes and names typed on any keyboard compare equal.
    pub fn from_toml(text: &str) -> Result<Scheme, SchemeError> {
        let text = nfc(text);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let file = file::parse_toml(text)?;
        Scheme::compile(file, Some(text))
    }

    /// Reads and validates a JSON scheme, in Unicode's composed form (NFC) as
    /// [`Scheme::from_toml`]; numbers are read exactly from their digits.
    pub fn from_json(text: &str) -> Result<Scheme, SchemeError> {
        let text = nfc(text);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let file: SchemeFile = serde_json::from_str(text).map_err(|e| {
            let location = (e.line() > 0).then(|| Location {
                line: e.line(),
                column: e.column(),
            });
            SchemeError::Syntax {
                location,
                code: location
                    .and_then(|l| locate::offset_of(text, l))
                    .and_then(|at| locate::enclosing_node(text, at)),
                message: strip_json_position(&e.to_string()),
            }
        })?;
        Scheme::compile(file, Some(text))
    }

    /// Reads a scheme as JSON when the text starts with `{` (after any byte-order mark and
    /// white space), as TOML otherwise.
    pub fn from_text(text: &str) -> Result<Scheme, SchemeError> {
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            Scheme::from_json(text)
        } else {
            Scheme::from_toml(text)
        }
    }

    /// A scheme embedded in the library, by id (see [`builtin_ids`]).
    pub fn builtin(id: &str) -> Result<Scheme, SchemeError> {
        builtin::text(id)
            .ok_or_else(|| SchemeError::UnknownBuiltin(id.to_string()))
            .and_then(Scheme::from_toml)
    }

    /// Validates and compiles a scheme built in code.
    pub fn from_file(file: SchemeFile) -> Result<Scheme, SchemeError> {
        Scheme::compile(file, None)
    }

    fn compile(file: SchemeFile, source: Option<&str>) -> Result<Scheme, SchemeError> {
        compile::compile(file, source).map(|data| Scheme(Arc::new(data)))
    }

    /// The scheme as a TOML file that loads back to the same scheme, each rule written inline
    /// on its criterion (`rule = { kind = "bands", bands = [...] }`) as people write them.
    pub fn to_toml(&self) -> Result<String, SchemeError> {
        let text = toml::to_string(&self.0.file).map_err(|e| SchemeError::Write(e.to_string()))?;
        let mut document: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| SchemeError::Write(e.to_string()))?;
        if let Some(areas) = document
            .get_mut("areas")
            .and_then(toml_edit::Item::as_array_of_tables_mut)
        {
            areas.iter_mut().for_each(inline_rules);
        }
        if let Some(bonus) = document
            .get_mut("bonus")
            .and_then(toml_edit::Item::as_table_mut)
        {
            inline_rules(bonus);
        }
        Ok(document.to_string())
    }

    /// The scheme as a JSON file that loads back to the same scheme.
    pub fn to_json(&self) -> Result<String, SchemeError> {
        serde_json::to_string_pretty(&self.0.file).map_err(|e| SchemeError::Write(e.to_string()))
    }

    /// The file this scheme was compiled from.
    pub fn file(&self) -> &SchemeFile {
        &self.0.file
    }

    /// The scheme's `id`, e.g. `lang-son-snn-2024`.
    pub fn id(&self) -> &str {
        &self.0.file.id
    }

    /// The scheme's `title`.
    pub fn title(&self) -> &str {
        &self.0.file.title
    }

    /// The scheme's own `version` (free text, not parscore's).
    pub fn version(&self) -> &str {
        &self.0.file.version
    }

    /// Whether the points are an estimate rather than an official instrument.
    pub fn estimated(&self) -> bool {
        self.0.file.estimated
    }

    /// Where the structure and points come from (`provenance`); empty when not given.
    pub fn provenance(&self) -> &str {
        &self.0.file.provenance
    }

    /// How reported figures are rounded (`[rounding]`).
    pub fn rounding(&self) -> Rounding {
        self.0.rounding
    }

    /// The grades, highest `min_index` first; empty when the scheme has none.
    pub fn grades(&self) -> &[Grade] {
        &self.0.grades
    }

    /// The grade of an index (already rounded as the scheme reports it): the first, from the
    /// highest, whose `min_index` it reaches; `None` below every grade or without grades.
    pub fn grade_of(&self, index: Decimal) -> Option<&Grade> {
        self.0.grades.iter().find(|g| index >= g.min_index)
    }

    /// Every declared indicator, in file order. An indicator's position here is its slot,
    /// the index [`IndicatorSource`] and [`Scorer::score_values`](crate::Scorer::score_values)
    /// use.
    pub fn indicators(&self) -> &[Indicator] {
        &self.0.indicators
    }

    /// The indicator with this id; `None` when the scheme declares none.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.slot(id).map(|slot| &self.0.indicators[slot])
    }

    /// The slot (position in [`Scheme::indicators`]) of the indicator with this id.
    pub fn slot(&self, id: &str) -> Option<usize> {
        self.0.slots.get(nfc(id).as_ref()).copied()
    }

    /// The declared indicator id closest to `id`, for a "did you mean": compared folded
    /// (case, diacritics and `_`/`-`/spaces aside), within an edit distance of one for a
    /// short id and two for one of six letters or more. `None` when none is that close, or
    /// when `id` is itself an indicator id.
    ///
    /// ```
    /// let scheme = parscore::Scheme::builtin("lang-son-snn-2024")?;
    /// assert_eq!(scheme.closest_indicator("dossiers_on_tme"), Some("dossiers_on_time"));
    /// assert_eq!(scheme.closest_indicator("Dossiers On Time"), Some("dossiers_on_time"));
    /// assert_eq!(scheme.closest_indicator("budget"), None);
    /// # Ok::<(), parscore::SchemeError>(())
    /// ```
    pub fn closest_indicator(&self, id: &str) -> Option<&str> {
        if self.slot(id).is_some() {
            return None;
        }
        let wanted: Vec<char> = fold(id).chars().collect();
        let reach = if wanted.len() >= 6 { 2 } else { 1 };
        self.0
            .indicators
            .iter()
            .filter_map(|indicator| {
                let folded: Vec<char> = fold(&indicator.id).chars().collect();
                // Lengths further apart than the reach are never close: a long stray name
                // costs no distance.
                (folded.len().abs_diff(wanted.len()) <= reach)
                    .then(|| (edit_distance(&wanted, &folded), indicator.id.as_str()))
            })
            .filter(|(distance, _)| *distance <= reach)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, id)| id)
    }

    /// Every area and criterion in file order.
    pub fn criteria(&self) -> &[Criterion] {
        &self.0.nodes
    }

    /// The indicator a leaf criterion scores.
    pub fn indicator_of(&self, criterion: &Criterion) -> Option<&Indicator> {
        criterion
            .leaf()
            .map(|leaf| &self.0.indicators[leaf.indicator])
    }

    /// The criterion with this code.
    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.0.nodes.iter().find(|c| c.code == code)
    }

    /// The leaves (scored criteria) in file order.
    pub fn leaves(&self) -> impl Iterator<Item = &Criterion> {
        self.0.leaves.iter().map(|&i| &self.0.nodes[i])
    }

    /// The areas, in file order.
    pub fn areas(&self) -> impl Iterator<Item = &Criterion> {
        self.0.areas.iter().map(|&i| &self.0.nodes[i])
    }

    /// The most points a unit can earn: the areas' maxima, bonus aside.
    pub fn max_points(&self) -> Decimal {
        self.0.max_points
    }

    /// The `[bonus]` section (a group of its criteria) and the most bonus it counts; `None`
    /// when the scheme gives no bonus points.
    pub fn bonus(&self) -> Option<(&Criterion, Decimal)> {
        self.0.bonus.map(|s| (&self.0.nodes[s.node], s.cap))
    }

    /// The `[penalties]` section (a group of its penalties) and the most it takes off;
    /// `None` when the scheme has no penalty points.
    pub fn penalties(&self) -> Option<(&Criterion, Decimal)> {
        self.0.penalties.map(|s| (&self.0.nodes[s.node], s.cap))
    }

    /// Whether a unit's total may pass its applicable maximum with its bonus, and so its
    /// index 100 (`[bonus] index_above_100`).
    pub fn index_above_100(&self) -> bool {
        self.0.above_100
    }

    /// Which index makes two units tied in a ranking (`[ranking] ties`).
    pub fn ties(&self) -> Ties {
        self.0.ties
    }

    /// The areas, groups or criteria whose points break ties, in order
    /// (`[ranking] tie_break`).
    pub fn tie_break(&self) -> impl Iterator<Item = &Criterion> {
        self.0.tie_break.iter().map(|&i| &self.0.nodes[i])
    }
}

/// Levenshtein distance: insertions, deletions and substitutions of characters.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substituted = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Turns the `rule` sub-table of a criterion (and of its children) into an inline table.
fn inline_rules(criterion: &mut toml_edit::Table) {
    if let Some(rule) = criterion.get_mut("rule") {
        rule.make_value();
        if let Some(rule) = rule.as_inline_table_mut() {
            rule.fmt();
        }
        if let Some(mut key) = criterion.key_mut("rule") {
            key.fmt();
        }
    }
    if let Some(children) = criterion
        .get_mut("criteria")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
    {
        children.iter_mut().for_each(inline_rules);
    }
}

/// serde_json appends " at line L column C", which the location already says.
fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}
