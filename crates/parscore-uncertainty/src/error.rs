//! Why an analysis cannot run.

use thiserror::Error;

/// An analysis that cannot run, or a sample that cannot be written out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The model was compiled against another scheme (the id it names).
    #[error("the uncertainty model was made for scheme `{0}`, not this one")]
    WrongScheme(String),
    /// A sample's scheme failed to compile (a bug: every sample should be a valid scheme).
    #[error("a sample's scheme is not valid: {0}")]
    Scheme(#[from] parscore::SchemeError),
    /// A unit's values could not be set on a sample's scheme, or scored by it.
    #[error("{0}")]
    Input(#[from] parscore::InputError),
    /// The exact sums of the unit at this position (among the scored units) need more than
    /// the 38 digits the exact path holds: a scheme of thousands of points with values of 28
    /// decimals.
    #[error("the exact sums of unit {0} need more than 38 digits")]
    TooManyDigits(usize),
    /// The scheme has a part the analysis does not model (the part, as the scheme format
    /// names it): bonus or penalty points, whose caps its exact sums leave out, or a rank
    /// policy, which its sampled ranks would not follow.
    #[error(
        "the uncertainty analysis does not model {0} yet: analyse a copy of the scheme without it"
    )]
    Unsupported(String),
    /// `samples` is 0: nothing to estimate from.
    #[error("at least one sample is needed")]
    NoSamples,
    /// The thread pool could not start.
    #[error("cannot start {threads} threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why they could not start.
        reason: String,
    },
}
