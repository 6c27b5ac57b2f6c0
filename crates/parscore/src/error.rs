//! Errors, each naming the place it comes from: the file position and criterion code for a
//! scheme, the indicator (and row) for an input.

use std::fmt;

use thiserror::Error;

/// A 1-based position in a scheme file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The line and column of a byte offset in `text` (a column counts characters, as an
    /// editor shows them).
    ///
    /// ```
    /// use parscore::Location;
    /// // "é" takes two bytes and one column.
    /// assert_eq!(Location::of_offset("a = 1\nbé = x", 9), Location { line: 2, column: 3 });
    /// ```
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            line,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What is wrong with one node of a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProblemKind {
    #[error("code `{0}` is used twice")]
    DuplicateCode(String),
    #[error("indicator id `{0}` is declared twice")]
    DuplicateIndicator(String),
    #[error("indicator `{0}` is not declared in [[indicators]]")]
    UnknownIndicator(String),
    #[error("max_points {stated} disagrees with the sum of its children, {sum}")]
    GroupMaxMismatch { stated: String, sum: String },
    #[error("{0}")]
    Bands(String),
    #[error("grades must go from the highest min_index down: `{0}` is out of order")]
    GradesOutOfOrder(String),
    #[error("{0}")]
    KindMismatch(String),
    #[error("`{field}` is required for {what}")]
    MissingField { field: &'static str, what: String },
    #[error("`{field}` does not belong on {what}")]
    UnexpectedField { field: &'static str, what: String },
    #[error("{0}")]
    InvalidValue(String),
}

/// One problem found in a scheme, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Position in the scheme text, when the scheme came from text.
    pub location: Option<Location>,
    /// The criterion code (or indicator id) of the node at fault.
    pub code: Option<String>,
    /// The key at fault.
    pub field: Option<String>,
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location {
            write!(f, "{location}: ")?;
        }
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// A scheme that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SchemeError {
    /// The text is not valid TOML/JSON, or holds an unknown key or a value of the wrong type.
    #[error("{}{message}", location.map(|l| format!("{l}: ")).unwrap_or_default())]
    Syntax {
        location: Option<Location>,
        message: String,
    },
    /// The file parses but is not a valid scheme; every problem found is listed.
    #[error("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid { problems: Vec<Problem> },
    #[error("no built-in scheme `{0}` (see `builtin_ids()`)")]
    UnknownBuiltin(String),
    #[error("cannot write the scheme: {0}")]
    Write(String),
}

impl SchemeError {
    /// Each problem as a list; a syntax error is a single problem without a code.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            SchemeError::Invalid { problems } => problems.clone(),
            SchemeError::Syntax { location, message } => vec![Problem {
                location: *location,
                code: None,
                field: None,
                kind: ProblemKind::InvalidValue(message.clone()),
            }],
            other => vec![Problem {
                location: None,
                code: None,
                field: None,
                kind: ProblemKind::InvalidValue(other.to_string()),
            }],
        }
    }
}

/// An input that cannot be scored. In a batch it fails its own unit only.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("`{0}` is not an indicator of this scheme")]
    UnknownIndicator(String),
    #[error("indicator `{indicator}`: {reason}")]
    InvalidValue { indicator: String, reason: String },
    #[error("criterion {code}: no value for indicator `{indicator}` (strict mode)")]
    Missing { code: String, indicator: String },
    #[error("criterion {code}: {reason}")]
    Rule {
        code: String,
        indicator: String,
        reason: String,
    },
    #[error("row {row}: {reason}")]
    Row { row: usize, reason: String },
    #[error("these inputs were made for scheme `{0}`, not this one")]
    WrongScheme(String),
}

impl InputError {
    /// The indicator the error is about, when there is one.
    pub fn indicator(&self) -> Option<&str> {
        match self {
            InputError::UnknownIndicator(id)
            | InputError::InvalidValue { indicator: id, .. }
            | InputError::Missing { indicator: id, .. }
            | InputError::Rule { indicator: id, .. } => Some(id),
            InputError::Row { .. } | InputError::WrongScheme(_) => None,
        }
    }

    /// The criterion code the error is about, when there is one.
    pub fn code(&self) -> Option<&str> {
        match self {
            InputError::Missing { code, .. } | InputError::Rule { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(
            Location::of_offset(text, 0),
            Location { line: 1, column: 1 }
        );
        assert_eq!(
            Location::of_offset(text, 6),
            Location { line: 2, column: 1 }
        );
        // the column counts characters, not bytes
        assert_eq!(
            Location::of_offset(text, 10),
            Location { line: 2, column: 4 }
        );
    }

    #[test]
    fn problems_print_place_code_field_and_reason() {
        let problem = Problem {
            location: Some(Location {
                line: 12,
                column: 3,
            }),
            code: Some("III.4.1".into()),
            field: Some("indicator".into()),
            kind: ProblemKind::UnknownIndicator("on_time".into()),
        };
        assert_eq!(
            problem.to_string(),
            "12:3: III.4.1: `indicator`: indicator `on_time` is not declared in [[indicators]]"
        );
    }
}
