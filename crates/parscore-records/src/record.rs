//! One dossier record, and what can be wrong with one.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::date::Date;
use crate::status::DossierStatus;
use crate::text::trim_cell;

/// A field of a dossier record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordField {
    /// The dossier's code in the system (mã hồ sơ): a code read twice is a duplicate, counted
    /// once; it also names a bad record.
    Id,
    /// The unit the dossier counts for (đơn vị); required in every row.
    Unit,
    /// A division or branch (phòng ban, đơn vị trực thuộc), for summaries by sub-unit.
    SubUnit,
    /// The procedure's code or name (mã/tên thủ tục hành chính).
    Procedure,
    /// When the complete dossier was received (ngày tiếp nhận); required in every row.
    Received,
    /// The date promised for the result (ngày hẹn trả).
    Due,
    /// When the result was ready (ngày có kết quả); empty while in progress.
    Completed,
    /// The system's status label (trạng thái); empty lets the dates decide.
    Status,
    /// Submitted online (nộp trực tuyến): yes/no.
    Online,
    /// Full-process online (trực tuyến toàn trình): yes/no.
    FullOnline,
    /// Fees paid online (thanh toán trực tuyến): yes/no.
    PaidOnline,
    /// Carries fees or charges (có phí, lệ phí): yes/no, or an amount (positive is yes).
    Payable,
    /// Dossier and result digitised (số hóa): yes/no.
    Digitised,
    /// The time limit in working days, from which the due date is computed when none is given.
    ProcessingDays,
}

impl RecordField {
    /// Every field, in the order of a record's fields.
    pub const ALL: [RecordField; 14] = [
        RecordField::Id,
        RecordField::Unit,
        RecordField::SubUnit,
        RecordField::Procedure,
        RecordField::Received,
        RecordField::Due,
        RecordField::Completed,
        RecordField::Status,
        RecordField::Online,
        RecordField::FullOnline,
        RecordField::PaidOnline,
        RecordField::Payable,
        RecordField::Digitised,
        RecordField::ProcessingDays,
    ];

    /// The field's name in a profile file.
    pub fn key(self) -> &'static str {
        match self {
            RecordField::Id => "id",
            RecordField::Unit => "unit",
            RecordField::SubUnit => "sub_unit",
            RecordField::Procedure => "procedure",
            RecordField::Received => "received",
            RecordField::Due => "due",
            RecordField::Completed => "completed",
            RecordField::Status => "status",
            RecordField::Online => "online",
            RecordField::FullOnline => "full_online",
            RecordField::PaidOnline => "paid_online",
            RecordField::Payable => "payable",
            RecordField::Digitised => "digitised",
            RecordField::ProcessingDays => "processing_days",
        }
    }

    /// The field of a profile-file name (`received`, `full_online`, …); `None` for an
    /// unknown name.
    pub fn from_key(key: &str) -> Option<RecordField> {
        RecordField::ALL.into_iter().find(|f| f.key() == key)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Whether the field holds yes/no.
    pub fn is_flag(self) -> bool {
        matches!(
            self,
            RecordField::Online
                | RecordField::FullOnline
                | RecordField::PaidOnline
                | RecordField::Payable
                | RecordField::Digitised
        )
    }

    /// Whether the field holds a date: `received`, `due` or `completed`.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            RecordField::Received | RecordField::Due | RecordField::Completed
        )
    }
}

impl fmt::Display for RecordField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One dossier, as one row of the one-stop-shop system's export. Texts borrow from the row,
/// so that reading a record allocates nothing.
///
/// ```
/// use parscore_records::{Date, DossierStatus, Record};
/// let d = |s: &str| Date::parse(s).unwrap();
/// let record = Record {
///     due: Some(d("12/03/2024")),
///     completed: Some(d("12/03/2024")),
///     status: Some(DossierStatus::OnTime),
///     full_online: Some(true),
///     ..Record::new(1, "Sở NN&PTNT", d("05/03/2024"))
/// };
/// assert_eq!(record.check(), Ok(DossierStatus::OnTime));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// The record's row in its source, named in every report of a bad record. The readers
    /// count data rows from 1, not counting the header.
    pub row: usize,
    /// The dossier's code (mã hồ sơ): a code already read makes the record a duplicate, and
    /// the code names the record when it is bad; `None` when the export has no such column
    /// or the cell is empty.
    pub id: Option<&'a str>,
    /// The unit (department, district) the dossier counts for.
    pub unit: &'a str,
    /// A sub-unit (division, branch), when records are summarised by sub-unit.
    pub sub_unit: Option<&'a str>,
    /// The procedure's code or name (mã/tên thủ tục); carried, not counted.
    pub procedure: Option<&'a str>,
    /// When the complete dossier was received (ngày tiếp nhận).
    pub received: Date,
    /// The date promised for the result (ngày hẹn trả).
    pub due: Option<Date>,
    /// When the result was ready (ngày có kết quả); none while in progress.
    pub completed: Option<Date>,
    /// As labelled by the system; none to let the dates decide.
    pub status: Option<DossierStatus>,
    /// Submitted online (nộp trực tuyến).
    pub online: Option<bool>,
    /// Submitted and processed entirely online (trực tuyến toàn trình).
    pub full_online: Option<bool>,
    /// Its fees were paid online (thanh toán trực tuyến).
    pub paid_online: Option<bool>,
    /// It carries fees or charges to pay (có phí, lệ phí).
    pub payable: Option<bool>,
    /// The dossier and its result were digitised (số hóa).
    pub digitised: Option<bool>,
    /// The time limit in working days, when no due date is given.
    pub processing_days: Option<u32>,
}

impl<'a> Record<'a> {
    /// A record with only its row, unit and received date; every other field unknown.
    pub fn new(row: usize, unit: &'a str, received: Date) -> Record<'a> {
        Record {
            row,
            id: None,
            unit,
            sub_unit: None,
            procedure: None,
            received,
            due: None,
            completed: None,
            status: None,
            online: None,
            full_online: None,
            paid_online: None,
            payable: None,
            digitised: None,
            processing_days: None,
        }
    }

    /// The checks that need no calendar: a unit, dates in order, a status that agrees with
    /// the presence of a completed date. Gives the status read with the dates (see
    /// [`Record::effective_status`]).
    pub fn check(&self) -> Result<DossierStatus, BadRecord> {
        let bad = |kind, message: String| Err(BadRecord::new(self.row, self.id, kind, message));
        if trim_cell(self.unit).is_empty() {
            return bad(BadKind::Missing(RecordField::Unit), "no unit".to_string());
        }
        if let Some(completed) = self.completed
            && completed < self.received
        {
            return bad(
                BadKind::CompletedBeforeReceived,
                format!("completed {completed} is before received {}", self.received),
            );
        }
        if let Some(due) = self.due
            && due < self.received
        {
            return bad(
                BadKind::DueBeforeReceived,
                format!("due {due} is before received {}", self.received),
            );
        }
        self.effective_status()
    }

    /// The status read together with the completed date. A result status (early, on time,
    /// resolved) needs a completed date, and an in-progress status must not have one. `Late`
    /// without a completed date is in progress past its due date, as the systems use the same
    /// word for both. Without a status, a completed date means resolved (the dates decide
    /// whether in time) and its absence means in progress.
    pub fn effective_status(&self) -> Result<DossierStatus, BadRecord> {
        use DossierStatus::*;
        let completed = self.completed.is_some();
        let status = match (self.status, completed) {
            (None, true) => Resolved,
            (None, false) => InProgress,
            (Some(Late), false) => InProgressOverdue,
            (Some(Withdrawn), _) => Withdrawn,
            (Some(s), true) if s.is_resolved() => s,
            (Some(s), false) if !s.is_resolved() => s,
            (Some(s), true) => {
                return Err(BadRecord::new(
                    self.row,
                    self.id,
                    BadKind::StatusConflict,
                    format!(
                        "status {} ({}) but a completed date is given",
                        s.key(),
                        s.label_vi()
                    ),
                ));
            }
            (Some(s), false) => {
                return Err(BadRecord::new(
                    self.row,
                    self.id,
                    BadKind::StatusConflict,
                    format!(
                        "status {} ({}) but no completed date is given",
                        s.key(),
                        s.label_vi()
                    ),
                ));
            }
        };
        Ok(status)
    }
}

/// What is wrong with a bad record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BadKind {
    /// A required field is empty: the unit, the received date, a field the profile's
    /// `require` names, or the due date when neither it nor the processing days are given
    /// (`missing:<field>`).
    Missing(RecordField),
    /// A date cell that is not a date: 31/02/2024, Excel serial 60, text
    /// (`unreadable_date:<field>`).
    UnreadableDate(RecordField),
    /// A yes/no cell that is neither (`unreadable_flag:<field>`).
    UnreadableFlag(RecordField),
    /// A number of days that is not a whole number (`unreadable_number:processing_days`).
    UnreadableNumber(RecordField),
    /// A status label that is neither in the built-in vocabulary nor in the profile's
    /// `[status]` (`unknown_status`).
    UnknownStatus,
    /// The completed date is before the received date (`completed_before_received`).
    CompletedBeforeReceived,
    /// The due date is before the received date (`due_before_received`).
    DueBeforeReceived,
    /// A status that contradicts the completed date: a result status without one, an
    /// in-progress or waiting status with one (`status_conflict`).
    StatusConflict,
    /// Its term needs working days of a year the calendar does not hold (`no_calendar`).
    NoCalendar,
    /// Received or completed after the `as_of` date of the export (`after_as_of`).
    AfterAsOf,
    /// The dossier code of a row already read (within a file or across files): the same
    /// dossier given twice, counted at its first row only (`duplicate_id`).
    DuplicateId,
    /// A date outside the years a summary accepts, 1990–2100 (see
    /// [`limits`](crate::limits)): a year typed wrong, an Excel serial of a small number
    /// (`out_of_range:<field>`).
    OutOfRange(RecordField),
}

impl BadKind {
    /// A stable name for reports: `unreadable_date:received`, `unknown_status`, …
    pub fn code(self) -> String {
        match self {
            BadKind::Missing(field) => format!("missing:{field}"),
            BadKind::UnreadableDate(field) => format!("unreadable_date:{field}"),
            BadKind::UnreadableFlag(field) => format!("unreadable_flag:{field}"),
            BadKind::UnreadableNumber(field) => format!("unreadable_number:{field}"),
            BadKind::UnknownStatus => "unknown_status".into(),
            BadKind::CompletedBeforeReceived => "completed_before_received".into(),
            BadKind::DueBeforeReceived => "due_before_received".into(),
            BadKind::StatusConflict => "status_conflict".into(),
            BadKind::NoCalendar => "no_calendar".into(),
            BadKind::AfterAsOf => "after_as_of".into(),
            BadKind::DuplicateId => "duplicate_id".into(),
            BadKind::OutOfRange(field) => format!("out_of_range:{field}"),
        }
    }
}

impl fmt::Display for BadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadKind::Missing(field) => write!(f, "missing {field}"),
            BadKind::UnreadableDate(field) => write!(f, "unreadable {field} date"),
            BadKind::UnreadableFlag(field) => write!(f, "unreadable {field} yes/no"),
            BadKind::UnreadableNumber(field) => write!(f, "unreadable {field} number"),
            BadKind::UnknownStatus => f.write_str("unknown status"),
            BadKind::CompletedBeforeReceived => f.write_str("completed before received"),
            BadKind::DueBeforeReceived => f.write_str("due before received"),
            BadKind::StatusConflict => f.write_str("status contradicts the dates"),
            BadKind::NoCalendar => f.write_str("no working-day calendar for its year"),
            BadKind::AfterAsOf => f.write_str("dated after the export"),
            BadKind::DuplicateId => f.write_str("dossier code already read"),
            BadKind::OutOfRange(field) => write!(f, "{field} date out of range"),
        }
    }
}

/// A record that cannot be counted, with its row and why. Bad records are counted and
/// reported, never silently dropped; in strict mode the first one is an error.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("row {row}{}: {message}", id.as_ref().map(|id| format!(" ({id})")).unwrap_or_default())]
pub struct BadRecord {
    /// The record's row in its source: data rows from 1, the header not counted.
    pub row: usize,
    /// The dossier's code, when known.
    pub id: Option<String>,
    /// What is wrong, as a kind that reports count by.
    pub kind: BadKind,
    /// What is wrong with this record, in words naming the cell (`completed 2024-03-01 is
    /// before received 2024-03-05`).
    pub message: String,
    /// For a [`BadKind::DuplicateId`], the row that first gave the dossier code: the one
    /// counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_row: Option<usize>,
}

impl BadRecord {
    /// A bad record of `row`; an empty or blank `id` is kept as none.
    pub fn new(row: usize, id: Option<&str>, kind: BadKind, message: String) -> BadRecord {
        BadRecord {
            row,
            id: id.filter(|id| !id.trim().is_empty()).map(str::to_string),
            kind,
            message,
            first_row: None,
        }
    }

    /// A row whose dossier code `first_row` gave before; the code, when known, is named.
    pub fn duplicate(row: usize, id: Option<&str>, first_row: usize) -> BadRecord {
        let id = id.map(trim_cell);
        let code = id.map(|id| format!(" {id}")).unwrap_or_default();
        BadRecord {
            first_row: Some(first_row),
            ..BadRecord::new(
                row,
                id,
                BadKind::DuplicateId,
                format!("dossier code{code} was read before, at row {first_row}"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(completed: Option<&str>, status: Option<DossierStatus>) -> Record<'static> {
        Record {
            completed: completed.map(|c| Date::parse(c).unwrap()),
            status,
            due: Some(Date::parse("10/01/2024").unwrap()),
            ..Record::new(4, "A", Date::parse("05/01/2024").unwrap())
        }
    }

    #[test]
    fn a_status_is_read_with_the_completed_date() {
        use DossierStatus::*;
        let ok = |c, s| record(c, s).effective_status().unwrap();
        assert_eq!(ok(Some("09/01/2024"), None), Resolved);
        assert_eq!(ok(None, None), InProgress);
        assert_eq!(ok(None, Some(Late)), InProgressOverdue);
        assert_eq!(ok(Some("12/01/2024"), Some(Late)), Late);
        assert_eq!(ok(None, Some(Withdrawn)), Withdrawn);
        assert_eq!(ok(Some("06/01/2024"), Some(Withdrawn)), Withdrawn);
        let conflict = |c, s| record(c, s).effective_status().unwrap_err().kind;
        assert_eq!(conflict(None, Some(OnTime)), BadKind::StatusConflict);
        assert_eq!(
            conflict(Some("09/01/2024"), Some(InProgress)),
            BadKind::StatusConflict
        );
        assert_eq!(
            conflict(Some("09/01/2024"), Some(WaitingForSupplement)),
            BadKind::StatusConflict
        );
    }

    #[test]
    fn dates_out_of_order_are_bad() {
        let early = record(Some("04/01/2024"), None).check().unwrap_err();
        assert_eq!(early.kind, BadKind::CompletedBeforeReceived);
        assert_eq!(
            early.to_string(),
            "row 4: completed 2024-01-04 is before received 2024-01-05"
        );
        let mut due = record(None, None);
        due.due = Some(Date::parse("01/01/2024").unwrap());
        due.id = Some("H01.2");
        assert_eq!(
            due.check().unwrap_err().to_string(),
            "row 4 (H01.2): due 2024-01-01 is before received 2024-01-05"
        );
        assert!(record(Some("05/01/2024"), None).check().is_ok());
    }
}
