//! The columns an input names, checked against the scheme once per file, before any row is
//! scored. A misspelt header is one mistake at one place; reported on every row it would
//! be a wall of the same line, and skipped in silence (`--ignore-unknown`) it would score
//! an indicator as missing for every unit.

use parscore::Scheme;

use super::FileRows;
use super::closest::closest_indicator;
use crate::fail::Failure;

/// A column of a CSV file or sheet, or a key of JSON objects, other than `unit` and
/// `period`: a name that should be an indicator id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// As compared: NFC, trimmed.
    pub name: String,
    /// Where a person finds the name: `units.csv:1:27` (line and character), `units.xlsx:
    /// Sheet1!E1`, `units.json: object 1`.
    pub place: String,
    /// Whether a header names it for every row, or objects each name it.
    pub naming: Naming,
}

/// How a file names its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// The header row of a CSV file or sheet: one name for every row under it.
    Header,
    /// A key of JSON objects, each object naming its own: an unknown key fails the objects
    /// that have it, as it does in the Rust and Python interfaces.
    Key,
}

impl Naming {
    fn noun(self) -> &'static str {
        match self {
            Naming::Header => "column",
            Naming::Key => "key",
        }
    }
}

/// Checks the columns of every file. Without `ignore_unknown`, a header column the scheme
/// does not know stops the run: each is one problem at its place, with the closest
/// indicator id when one is close (an unknown JSON key is left to fail its rows). With it,
/// the lines that say which columns each file had ignored.
pub fn check(
    scheme: &Scheme,
    files: &[FileRows],
    ignore_unknown: bool,
) -> Result<Vec<String>, Failure> {
    let mut problems = Vec::new();
    let mut notices = Vec::new();
    for file in files {
        let unknown: Vec<&Column> = file
            .columns
            .iter()
            .filter(|c| scheme.indicator(&c.name).is_none())
            .collect();
        if unknown.is_empty() {
            continue;
        }
        if ignore_unknown {
            let listed: Vec<String> = unknown
                .iter()
                .map(|c| match closest_indicator(scheme, &c.name) {
                    Some(id) => format!("\"{}\" (did you mean \"{id}\"?)", c.name),
                    None => format!("\"{}\"", c.name),
                })
                .collect();
            let noun = unknown[0].naming.noun();
            let (count, noun) = match unknown.len() {
                1 => ("1".to_string(), format!("{noun} that is not an indicator")),
                n => (n.to_string(), format!("{noun}s that are not indicators")),
            };
            notices.push(format!(
                "{}: ignored {count} {noun} of {}: {}",
                file.file,
                scheme.id(),
                listed.join(", ")
            ));
        } else {
            problems.extend(
                unknown
                    .iter()
                    .filter(|c| c.naming == Naming::Header)
                    .map(|c| {
                        let reason = match closest_indicator(scheme, &c.name) {
                            Some(id) => format!("; did you mean \"{id}\"?"),
                            None => format!(", not an indicator of {}", scheme.id()),
                        };
                        format!("{}: unknown column \"{}\"{reason}", c.place, c.name)
                    }),
            );
        }
    }
    if problems.is_empty() {
        Ok(notices)
    } else {
        Err(Failure::Columns {
            scheme: scheme.id().to_string(),
            problems,
        })
    }
}
