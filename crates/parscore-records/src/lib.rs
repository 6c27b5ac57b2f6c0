//! Indicators computed from the dossier records that a province's one-stop-shop information
//! system exports: received, resolved, on time, overdue, online, paid online, digitised, per
//! unit and period, as exact counts and rates ready to be a scheme's inputs.
//!
//! The pieces, each usable alone:
//! - [`Date`]: day-first, ISO and Excel-serial dates, read without allocating.
//! - [`Calendar`]: working days, with the built-in Vietnamese public-sector calendar of every
//!   year whose schedule is sourced, extendable by a user's file.
//! - [`Profile`] → [`RowReader`]: which column holds which field, matched to a header once.
//! - [`Record`] and [`DossierStatus`]: one dossier.
//! - [`RecordCell`] and [`DateForm`]: cells of typed columns (Excel dates, Arrow types) for
//!   a row reader; with the `arrow` feature, `ArrowCells` reads an Arrow column's cells.
//! - [`Summarizer`] → [`RecordSummary`]: streaming counts per unit and period, bad records
//!   counted and reported with their rows.
//! - [`IndicatorMap`]: summary indicators → a scheme's indicator ids, then
//!   [`RecordSummary::raw_rows`] for [`Scheme::evaluate_rows`](parscore::Scheme::evaluate_rows).
//! - [`YearTracking`]: a summary by month taken mid-year, against a scheme's targets: what
//!   the rest of the year must deliver, rate by rate.
//!
//! ```
//! use parscore::{Options, Scheme};
//! use parscore_records::*;
//! let csv = "\
//! Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,Toàn trình
//! Sở A,05/03/2024,12/03/2024,11/03/2024,Trước hạn,x
//! Sở A,06/03/2024,13/03/2024,14/03/2024,Trễ hạn,
//! Sở A,07/03/2024,14/03/2024,,Đang xử lý,x";
//! let mut lines = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
//! let mut reader = Profile::builtin().reader(&lines.next().unwrap())?;
//! let options = SummaryOptions { as_of: Date::parse("31/03/2024").ok(), ..Default::default() };
//! let mut summarizer = Summarizer::new(options, Calendar::vietnam());
//! for (i, cells) in lines.enumerate() {
//!     summarizer.push_read(reader.read(i + 1, &cells))?;
//! }
//! let summary = summarizer.finish()?;
//! let group = &summary.groups[0];
//! assert_eq!((group.received, group.resolved, group.resolved_on_time), (3, 2, 1));
//! assert_eq!(group.overdue_in_progress, 1); // due 14/03, still open on 31/03
//! assert_eq!(group.value("full_online_rate").unwrap().to_string(), "2/3");
//!
//! let scheme = Scheme::builtin("lang-son-snn-2024")?;
//! let rows = summary.raw_rows(&IndicatorMap::for_scheme(&scheme));
//! let batch = scheme.evaluate_rows(&rows, false, &Options::default());
//! assert_eq!(batch.results[0].unit.as_deref(), Some("Sở A"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "arrow")]
mod arrow;
mod calendar;
mod cell;
mod codes;
mod date;
pub mod limits;
mod mapping;
mod period;
mod profile;
mod record;
mod status;
mod summary;
mod text;
mod track;

#[cfg(feature = "arrow")]
pub use arrow::{ArrowCells, BatchCounter};
pub use calendar::{Calendar, CalendarError, CalendarYear, DayRange};
pub use cell::{DateForm, RecordCell, TypedDates};
pub use date::{Date, DateError, DateFormat, Weekday};
pub use mapping::{IndicatorMap, MappingError};
pub use period::{Period, PeriodKind};
pub use profile::{Blank, Profile, ProfileError, RowReader};
pub use record::{BadKind, BadRecord, Record, RecordField};
pub use status::DossierStatus;
pub use summary::{
    BadKindCount, BadRecords, FlagCount, GroupId, GroupSummary, RecordError, RecordSummary,
    ResolvedBy, SUMMARY_INDICATORS, Summarizer, SummaryOptions, is_rate_indicator,
};
pub use track::{
    Counts, ExpectedFrom, TrackError, TrackLine, TrackStatus, Trend, TrendMonth, Untracked,
    UntrackedReason, YearTracking,
};
