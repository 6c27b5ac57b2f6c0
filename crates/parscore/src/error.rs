//! Errors, each naming the place it comes from: the file position and criterion code for a
//! scheme, the indicator (and row) for an input.

use std::fmt;

use thiserror::Error;

/// A 1-based position in a scheme file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, counted in characters (not bytes) as an editor shows it.
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

/// The largest char boundary at or before `offset` (at most the text's length).
pub(crate) fn floor_char_boundary(text: &str, offset: usize) -> usize {
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
    /// Two areas or criteria share this code; codes are unique across the whole scheme,
    /// areas included. Located at the second one, the one to remove.
    #[error("code `{0}` is used twice")]
    DuplicateCode(String),
    /// Two `[[indicators]]` share this id. Located at the second one.
    #[error("indicator id `{0}` is declared twice")]
    DuplicateIndicator(String),
    /// A criterion's `indicator`, an `@id` target, or an indicator's `numerator`,
    /// `denominator`, `baseline` or `current` names an id that `[[indicators]]` does not
    /// declare.
    #[error("indicator `{0}` is not declared in [[indicators]]")]
    UnknownIndicator(String),
    /// A group (an area, or a criterion with `criteria`) states a `max_points` that is not
    /// the sum of its children's maxima.
    #[error("max_points {stated} disagrees with the sum of its children, {sum}")]
    GroupMaxMismatch {
        /// The `max_points` the file states, as written.
        stated: String,
        /// The sum of the children's `max_points`.
        sum: String,
    },
    /// A `bands` rule has no band, a band whose points lie outside `[0, max_points]`, bands
    /// not ordered by `min` from the highest down, or a lower band that gives more points
    /// than the one above it. The text says which.
    #[error("{0}")]
    Bands(String),
    /// `[[grades]]` are not ordered by `min_index` from the highest down; names the first
    /// grade out of order.
    #[error("grades must go from the highest min_index down: `{0}` is out of order")]
    GradesOutOfOrder(String),
    /// A rule or target does not fit the indicator's kind (a `boolean` rule on a percent,
    /// `>= 99` on a bool indicator, an ordering on a bool), a derived rate is not a
    /// `percent`, or its `numerator`/`denominator`/`baseline`/`current` is not an input
    /// indicator of a fitting kind. The text says which.
    #[error("{0}")]
    KindMismatch(String),
    /// A required key is absent: a leaf's `indicator`, `max_points` or `rule`, the `target`
    /// of a `threshold` rule, an area's `criteria`, the scheme's `areas`, or one half of a
    /// `numerator`/`denominator` or `baseline`/`current` pair.
    #[error("`{field}` is required for {what}")]
    MissingField {
        /// The key that is missing.
        field: &'static str,
        /// What needs it, in words ("a leaf criterion", "a threshold rule", …).
        what: String,
    },
    /// A key that has no meaning where it stands: `indicator`, `rule`, `target` or
    /// `not_applicable` on a group, or `baseline` on a rate of `numerator`/`denominator`.
    #[error("`{field}` does not belong on {what}")]
    UnexpectedField {
        /// The key that does not belong.
        field: &'static str,
        /// Where it was found, in words ("a group (a criterion with criteria of its own)").
        what: String,
    },
    /// Any other value out of its range or unreadable: rounding `places` above 10, a
    /// negative `max_points`, an empty code, an indicator id that is not letters, digits and
    /// `_`, `min` above `max`, a target that does not parse, inconsistent `threshold`,
    /// `proportional` or `deduction` parameters, or points and caps adding up beyond what
    /// a scheme may hold (10^9). Also the one problem of [`SchemeError::problems`] for an
    /// error that is not a list of problems.
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
    /// The key at fault (`max_points`, `target`, `bands`, `places`, …), when one is.
    pub field: Option<String>,
    /// What is wrong.
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
    /// The text is not valid TOML/JSON, or holds an unknown key, a value of the wrong type
    /// or a number that cannot be held exactly.
    #[error(
        "{}{}{message}",
        location.map(|l| format!("{l}: ")).unwrap_or_default(),
        code.as_ref().map(|c| format!("{c}: ")).unwrap_or_default()
    )]
    Syntax {
        /// Where the parser stopped, when it says.
        location: Option<Location>,
        /// The code of the criterion (or the id of the indicator) whose table holds the
        /// fault, when it is inside one.
        code: Option<String>,
        /// The parser's message, without its own position.
        message: String,
    },
    /// The file parses but is not a valid scheme; every problem found is listed.
    #[error("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// Every problem, in the order found.
        problems: Vec<Problem>,
    },
    /// [`Scheme::builtin`](crate::Scheme::builtin) was given an id that is not among
    /// [`builtin_ids`](crate::builtin_ids).
    #[error("no built-in scheme `{0}` (see `builtin_ids()`)")]
    UnknownBuiltin(String),
    /// [`Scheme::to_toml`](crate::Scheme::to_toml) or
    /// [`Scheme::to_json`](crate::Scheme::to_json) could not write the scheme out.
    #[error("cannot write the scheme: {0}")]
    Write(String),
}

impl SchemeError {
    /// Each problem as a list; a syntax error is a single problem without a code.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            SchemeError::Invalid { problems } => problems.clone(),
            SchemeError::Syntax {
                location,
                code,
                message,
            } => vec![Problem {
                location: *location,
                code: code.clone(),
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
    /// A value was set for, or a row has a column named, an id that is not an indicator of
    /// the scheme (a row's columns are checked unless unknown columns are ignored).
    #[error("`{0}` is not an indicator of this scheme")]
    UnknownIndicator(String),
    /// As [`InputError::UnknownIndicator`], for an id close to one the scheme declares (a
    /// typo, another case or spelling): names that one
    /// ([`Scheme::closest_indicator`](crate::Scheme::closest_indicator)).
    #[error("`{indicator}` is not an indicator of this scheme; did you mean `{closest}`?")]
    MisspeltIndicator {
        /// The id as given.
        indicator: String,
        /// The scheme's indicator id closest to it.
        closest: String,
    },
    /// A value does not fit its indicator: unreadable text, the wrong kind (`yes` for a
    /// percent, `50%` for a count), outside its range (a percent above 100, a negative or
    /// fractional count, beyond the indicator's `min`/`max`, beyond the
    /// [limits](crate::limits)), counts that contradict each other (`5/0`, a numerator
    /// above its denominator), or a rate given directly that its counts contradict.
    #[error("indicator `{indicator}`: {reason}")]
    InvalidValue {
        /// The indicator id whose value is at fault.
        indicator: String,
        /// What is wrong with it.
        reason: String,
    },
    /// In strict mode ([`Options::strict`](crate::Options::strict)), a criterion's
    /// indicator (or the indicator an `@id` target compares with) has no value.
    #[error("criterion {code}: no value for indicator `{indicator}` (strict mode)")]
    Missing {
        /// The code of the criterion that needed the value.
        code: String,
        /// The indicator id with no value.
        indicator: String,
    },
    /// The rule cannot score a value that fits its indicator: `given` points outside the
    /// criterion's `[0, max_points]`.
    #[error("criterion {code}: {reason}")]
    Rule {
        /// The code of the criterion whose rule refused the value.
        code: String,
        /// The indicator id it scores.
        indicator: String,
        /// Why the rule refused it.
        reason: String,
    },
    /// A row as a whole cannot be read: no `unit`, JSON that does not parse or is not an
    /// object of values, a key or column given twice, a row of the wrong length. Also, with `row` 0, an error that is no one row's: a JSON array
    /// that does not parse, a table that cannot be scored at all (no `unit` column, threads
    /// that cannot start).
    #[error("row {row}: {reason}")]
    Row {
        /// The row, from 1 (data rows, the header not counted); 0 when the error is no one
        /// row's.
        row: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// [`Inputs`](crate::Inputs) made for another scheme (the id it names) were given to
    /// this one.
    #[error("these inputs were made for scheme `{0}`, not this one")]
    WrongScheme(String),
}

impl InputError {
    /// The indicator the error is about, when there is one.
    pub fn indicator(&self) -> Option<&str> {
        match self {
            InputError::UnknownIndicator(id)
            | InputError::MisspeltIndicator { indicator: id, .. }
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
