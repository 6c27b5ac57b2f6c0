//! Profiles: which column of an export holds which field of a dossier record, and how its
//! cells are spelt. A profile is resolved against a header row once; rows are then read by
//! column index, with each distinct label interpreted once.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use thiserror::Error;

use crate::date::{Date, DateFormat};
use crate::record::{BadKind, BadRecord, Record, RecordField};
use crate::status::DossierStatus;
use crate::text::{LabelCache, fold, trim_cell};
use parscore::Location;

/// How columns are named and cells spelt in one system's export.
///
/// ```
/// use parscore_records::Profile;
/// let profile = Profile::builtin();
/// let header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
///               "Trạng thái", "Toàn trình"];
/// let mut reader = profile.reader(&header)?;
/// let row = ["H1", "Sở NN&PTNT", "05/03/2024", "12/03/2024", "11/03/2024", "Trước hạn", "x"];
/// let record = reader.read(1, &row).unwrap();
/// assert_eq!(record.unit, "Sở NN&PTNT");
/// assert_eq!(record.full_online, Some(true));
/// assert_eq!(record.online, None); // no such column
/// # Ok::<(), parscore_records::ProfileError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    name: String,
    /// Accepted header names per field, in order of preference.
    columns: [Vec<String>; FIELDS],
    require: Vec<RecordField>,
    strict: bool,
    blank: Blank,
    dates: DateFormat,
    /// Folded spellings of yes and no, for every flag and per flag.
    yes: Vec<String>,
    no: Vec<String>,
    values: BTreeMap<RecordField, (Vec<String>, Vec<String>)>,
    /// Folded extra status labels.
    status: Vec<(String, DossierStatus)>,
}

const FIELDS: usize = RecordField::ALL.len();

/// How an empty yes/no cell reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Blank {
    /// Unknown: the dossier is left out of that rate's count and denominator.
    #[default]
    Unknown,
    /// No.
    No,
}

/// A profile that cannot be read, or a header it does not fit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// A profile file that is not valid TOML, or holds an unknown key or a value of the
    /// wrong type.
    #[error("profile: {}{message}", location.map(|l| format!("{l}: ")).unwrap_or_default())]
    Syntax {
        /// Where the parser stopped in the file, when it says.
        location: Option<Location>,
        /// The parser's message.
        message: String,
    },
    /// A profile file that parses but says something wrong: an unknown `base`, `blank` or
    /// `dates` value, an unknown field or status, `[values]` for a field that is not yes/no,
    /// an empty column name, a spelling that is both yes and no.
    #[error("profile: {0}")]
    Invalid(String),
    /// Required fields with no column in the header; each with the names that were looked for.
    #[error("missing required column{}: {}", if missing.len() == 1 { "" } else { "s" },
        missing.iter().map(|(f, names)| format!("{f} (one of {})", names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", "))).collect::<Vec<_>>().join("; "))]
    MissingColumns {
        /// Each missing field, with the header names the profile looked for (in order of
        /// preference).
        missing: Vec<(RecordField, Vec<String>)>,
    },
    /// Columns the profile does not know, when it is strict.
    #[error("unknown column{}: {} (the profile is strict)", if .0.len() == 1 { "" } else { "s" },
        .0.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", "))]
    UnknownColumns(Vec<String>),
    /// A header name the profile uses appears in two columns.
    #[error(
        "column “{name}” appears twice (columns {first} and {second}): which holds `{field}` is ambiguous"
    )]
    DuplicateColumn {
        /// The header name, as the header writes it.
        name: String,
        /// The field that name would give its column to.
        field: RecordField,
        /// The first column holding it, from 1.
        first: usize,
        /// The second column holding it, from 1.
        second: usize,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    #[serde(default)]
    name: Option<String>,
    /// Start from the built-in profile and change what this file says.
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    strict: Option<bool>,
    #[serde(default)]
    blank: Option<String>,
    #[serde(default)]
    dates: Option<String>,
    #[serde(default)]
    require: Vec<String>,
    #[serde(default)]
    yes: Vec<String>,
    #[serde(default)]
    no: Vec<String>,
    #[serde(default)]
    columns: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    values: BTreeMap<String, ValuesFile>,
    #[serde(default)]
    status: BTreeMap<String, OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValuesFile {
    #[serde(default)]
    yes: Vec<String>,
    #[serde(default)]
    no: Vec<String>,
}

const BUILTIN: &str = include_str!("../profiles/vn-one-stop.toml");
// Yes and no are spelt as in unit inputs: the core's vocabulary, listed once.
const DEFAULT_YES: &[&str] = parscore::text::YES;
const DEFAULT_NO: &[&str] = parscore::text::NO;

impl Profile {
    /// The built-in profile `vn-one-stop` for the common export layout (see
    /// `crates/parscore-records/profiles/vn-one-stop.toml` and `docs/records.md`).
    pub fn builtin() -> Profile {
        Profile::from_toml(BUILTIN).expect("the built-in profile is valid (checked by its tests)")
    }

    /// A profile with no columns: every field must be given.
    fn empty() -> Profile {
        Profile {
            name: String::new(),
            columns: Default::default(),
            require: Vec::new(),
            strict: false,
            blank: Blank::Unknown,
            dates: DateFormat::Auto,
            yes: DEFAULT_YES.iter().map(|s| fold(s)).collect(),
            no: DEFAULT_NO.iter().map(|s| fold(s)).collect(),
            values: BTreeMap::new(),
            status: Vec::new(),
        }
    }

    /// Reads a profile file. With `base = "vn-one-stop"` it starts from the built-in profile:
    /// the columns it names replace the built-in names of those fields, and its spellings and
    /// status labels are added.
    pub fn from_toml(text: &str) -> Result<Profile, ProfileError> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| ProfileError::Syntax {
            location: e.span().map(|span| Location::of_offset(text, span.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut profile = match file.base.as_deref() {
            None => Profile::empty(),
            Some("vn-one-stop") => Profile::builtin(),
            Some(other) => {
                return Err(ProfileError::Invalid(format!(
                    "`base`: no built-in profile `{other}` (there is `vn-one-stop`)"
                )));
            }
        };
        if let Some(name) = file.name {
            profile.name = name;
        }
        if let Some(strict) = file.strict {
            profile.strict = strict;
        }
        if let Some(blank) = file.blank {
            profile.blank = match blank.as_str() {
                "no" => Blank::No,
                "unknown" => Blank::Unknown,
                other => {
                    return Err(ProfileError::Invalid(format!(
                        "`blank`: `{other}` is neither `no` nor `unknown`"
                    )));
                }
            };
        }
        if let Some(dates) = file.dates {
            profile.dates = match dates.as_str() {
                "auto" => DateFormat::Auto,
                "dmy" => DateFormat::DayMonthYear,
                "iso" => DateFormat::Iso,
                "serial" => DateFormat::ExcelSerial,
                other => {
                    return Err(ProfileError::Invalid(format!(
                        "`dates`: `{other}` is not one of auto, dmy, iso, serial"
                    )));
                }
            };
        }
        let field = |key: &str, place: &str| {
            RecordField::from_key(key).ok_or_else(|| {
                ProfileError::Invalid(format!(
                    "{place}: `{key}` is not a record field ({})",
                    RecordField::ALL.map(RecordField::key).join(", ")
                ))
            })
        };
        for key in &file.require {
            let field = field(key, "`require`")?;
            if !profile.require.contains(&field) {
                profile.require.push(field);
            }
        }
        for (key, names) in file.columns {
            let field = field(&key, "[columns]")?;
            let names = names.into_vec();
            if names.iter().any(|n| fold(n).is_empty()) {
                return Err(ProfileError::Invalid(format!(
                    "[columns] `{key}`: a column name is empty"
                )));
            }
            profile.columns[field.index()] = names;
        }
        profile.yes.extend(file.yes.iter().map(|s| fold(s)));
        profile.no.extend(file.no.iter().map(|s| fold(s)));
        for (key, values) in file.values {
            let field = field(&key, "[values]")?;
            if !field.is_flag() {
                return Err(ProfileError::Invalid(format!(
                    "[values.{key}]: `{key}` is not a yes/no field"
                )));
            }
            let entry = profile.values.entry(field).or_default();
            entry.0.extend(values.yes.iter().map(|s| fold(s)));
            entry.1.extend(values.no.iter().map(|s| fold(s)));
        }
        for (key, labels) in file.status {
            let status = DossierStatus::from_key(&key).ok_or_else(|| {
                ProfileError::Invalid(format!(
                    "[status]: `{key}` is not a status ({})",
                    DossierStatus::ALL.map(DossierStatus::key).join(", ")
                ))
            })?;
            for label in labels.into_vec() {
                profile.status.push((fold(&label), status));
            }
        }
        // A spelling both yes and no would be read by whichever is tried first.
        for (field, (yes, no)) in std::iter::once((None, (&profile.yes, &profile.no)))
            .chain(profile.values.iter().map(|(f, (y, n))| (Some(*f), (y, n))))
        {
            if let Some(both) = yes.iter().find(|y| no.contains(y)) {
                let place = field.map_or(String::new(), |f| format!("[values.{f}] "));
                return Err(ProfileError::Invalid(format!(
                    "{place}`{both}` is spelt both yes and no"
                )));
            }
        }
        Ok(profile)
    }

    /// The profile's `name` (`vn-one-stop` for the built-in one; a file with a `base` and
    /// no `name` keeps the base's); empty when none is given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The forms of date text the profile reads.
    pub fn dates(&self) -> DateFormat {
        self.dates
    }

    /// The header names accepted for a field, in order of preference.
    pub fn column_names(&self, field: RecordField) -> &[String] {
        &self.columns[field.index()]
    }

    /// The fields whose columns every header must have: unit, received and completed dates,
    /// and whatever the profile's `require` adds. The due date is not among them: a header
    /// needs its column or the processing days' ([`Profile::reader`] checks one of the two).
    pub fn required(&self) -> Vec<RecordField> {
        let mut required = vec![
            RecordField::Unit,
            RecordField::Received,
            RecordField::Completed,
        ];
        for field in &self.require {
            if !required.contains(field) {
                required.push(*field);
            }
        }
        required
    }

    /// Matches the profile to a header row: every field to the first of its names found.
    /// Missing required columns are an error naming them; unknown columns are ignored unless
    /// the profile is strict.
    pub fn reader<S: AsRef<str>>(&self, header: &[S]) -> Result<RowReader, ProfileError> {
        let folded: Vec<String> = header.iter().map(|h| fold(h.as_ref())).collect();
        let mut index = [None; FIELDS];
        for field in RecordField::ALL {
            'names: for name in &self.columns[field.index()] {
                let wanted = fold(name);
                let mut found = folded.iter().enumerate().filter(|(_, h)| **h == wanted);
                if let Some((first, _)) = found.next() {
                    if let Some((second, _)) = found.next() {
                        return Err(ProfileError::DuplicateColumn {
                            name: header[first].as_ref().trim().to_string(),
                            field,
                            first: first + 1,
                            second: second + 1,
                        });
                    }
                    index[field.index()] = Some(first);
                    break 'names;
                }
            }
        }
        let mut missing = Vec::new();
        for field in self.required() {
            if index[field.index()].is_none() {
                missing.push((field, self.columns[field.index()].clone()));
            }
        }
        let due = RecordField::Due.index();
        let days = RecordField::ProcessingDays.index();
        if index[due].is_none() && index[days].is_none() {
            let mut names = self.columns[due].clone();
            names.extend(self.columns[days].iter().cloned());
            missing.push((RecordField::Due, names));
        }
        if !missing.is_empty() {
            return Err(ProfileError::MissingColumns { missing });
        }
        let ignored: Vec<String> = header
            .iter()
            .enumerate()
            .filter(|(i, h)| !index.contains(&Some(*i)) && !fold(h.as_ref()).is_empty())
            .map(|(_, h)| h.as_ref().trim().to_string())
            .collect();
        if self.strict && !ignored.is_empty() {
            return Err(ProfileError::UnknownColumns(ignored));
        }
        Ok(RowReader {
            profile: self.clone(),
            index,
            ignored,
            status: LabelCache::new(),
            flags: std::array::from_fn(|_| LabelCache::new()),
        })
    }
}

impl FromStr for Profile {
    type Err = ProfileError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Profile::from_toml(text)
    }
}

/// A profile matched to one header row: reads that file's rows into records.
#[derive(Debug, Clone)]
pub struct RowReader {
    profile: Profile,
    index: [Option<usize>; FIELDS],
    ignored: Vec<String>,
    status: LabelCache<Option<DossierStatus>>,
    flags: [LabelCache<Option<bool>>; FIELDS],
}

impl RowReader {
    /// The column (0-based) that holds a field, if any.
    pub fn column(&self, field: RecordField) -> Option<usize> {
        self.index[field.index()]
    }

    /// Header cells that no field uses.
    pub fn ignored_columns(&self) -> &[String] {
        &self.ignored
    }

    /// The profile the reader was made from.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Whether a record is bad without this field: the unit and the received date always,
    /// the fields the profile's `require` names when the header has them. A columnar reader
    /// need not read a column the summary does not use (the dossier code, the procedure)
    /// unless it is required.
    pub fn requires(&self, field: RecordField) -> bool {
        self.column(field).is_some()
            && (matches!(field, RecordField::Unit | RecordField::Received)
                || self.profile.require.contains(&field))
    }

    /// Reads one row of cells; a short row reads as empty cells.
    pub fn read<'a, S: AsRef<str>>(
        &mut self,
        row: usize,
        cells: &'a [S],
    ) -> Result<Record<'a>, BadRecord> {
        self.read_with(row, |i| cells.get(i).map(AsRef::as_ref))
    }

    /// Reads one row given by a function from column index to cell text (for readers that
    /// do not hold a row as a slice).
    pub fn read_with<'a>(
        &mut self,
        row: usize,
        cell: impl Fn(usize) -> Option<&'a str>,
    ) -> Result<Record<'a>, BadRecord> {
        let text = |field: RecordField| -> &'a str {
            self.index[field.index()]
                .and_then(&cell)
                .map_or("", trim_cell)
        };
        let id = Some(text(RecordField::Id)).filter(|s| !s.is_empty());
        let bad = |kind, message: String| BadRecord::new(row, id, kind, message);
        for &field in &self.profile.require {
            if text(field).is_empty() {
                return Err(bad(BadKind::Missing(field), format!("no {field}")));
            }
        }
        let unit = text(RecordField::Unit);
        if unit.is_empty() {
            return Err(bad(BadKind::Missing(RecordField::Unit), "no unit".into()));
        }
        let date = |field: RecordField| -> Result<Option<Date>, BadRecord> {
            let cell = text(field);
            if cell.is_empty() {
                return Ok(None);
            }
            Date::parse_as(cell, self.profile.dates)
                .map(Some)
                .map_err(|e| bad(BadKind::UnreadableDate(field), format!("{field} date {e}")))
        };
        let received = date(RecordField::Received)?.ok_or_else(|| {
            bad(
                BadKind::Missing(RecordField::Received),
                "no received date".into(),
            )
        })?;
        let due = date(RecordField::Due)?;
        let completed = date(RecordField::Completed)?;
        let status_text = text(RecordField::Status);
        let status = if status_text.is_empty() {
            None
        } else {
            let extra = &self.profile.status;
            let status = self.status.get_or(status_text, |label| {
                let folded = fold(label);
                extra
                    .iter()
                    .find(|(l, _)| *l == folded)
                    .map(|(_, s)| *s)
                    .or_else(|| DossierStatus::parse(label))
            });
            Some(status.ok_or_else(|| {
                bad(
                    BadKind::UnknownStatus,
                    format!(
                        "status `{status_text}` is not a known status (map it in the \
                         profile's [status] table)"
                    ),
                )
            })?)
        };
        let mut flags = [None; 5];
        for (slot, field) in [
            RecordField::Online,
            RecordField::FullOnline,
            RecordField::PaidOnline,
            RecordField::Payable,
            RecordField::Digitised,
        ]
        .into_iter()
        .enumerate()
        {
            if self.index[field.index()].is_none() {
                continue;
            }
            let cell = text(field);
            flags[slot] = if cell.is_empty() {
                match self.profile.blank {
                    Blank::No => Some(false),
                    Blank::Unknown => None,
                }
            } else {
                let profile = &self.profile;
                let reading =
                    self.flags[field.index()].get_or(cell, |c| read_flag(profile, field, c));
                Some(reading.ok_or_else(|| {
                    bad(
                        BadKind::UnreadableFlag(field),
                        format!("{field} `{cell}` is neither yes nor no"),
                    )
                })?)
            };
        }
        let days_text = text(RecordField::ProcessingDays);
        let processing_days = if days_text.is_empty() {
            None
        } else {
            Some(days_text.parse::<u32>().map_err(|_| {
                bad(
                    BadKind::UnreadableNumber(RecordField::ProcessingDays),
                    format!("processing days `{days_text}` is not a whole number of days"),
                )
            })?)
        };
        let optional = |field| Some(text(field)).filter(|s| !s.is_empty());
        Ok(Record {
            row,
            id,
            unit,
            sub_unit: optional(RecordField::SubUnit),
            procedure: optional(RecordField::Procedure),
            received,
            due,
            completed,
            status,
            online: flags[0],
            full_online: flags[1],
            paid_online: flags[2],
            payable: flags[3],
            digitised: flags[4],
            processing_days,
        })
    }
}

/// Yes, no, or `None` when the cell is neither. A fee column may hold the amount: more than
/// zero is payable.
fn read_flag(profile: &Profile, field: RecordField, cell: &str) -> Option<bool> {
    let folded = fold(cell);
    if let Some((yes, no)) = profile.values.get(&field) {
        if yes.contains(&folded) {
            return Some(true);
        }
        if no.contains(&folded) {
            return Some(false);
        }
    }
    if profile.yes.contains(&folded) {
        return Some(true);
    }
    if profile.no.contains(&folded) {
        return Some(false);
    }
    if field == RecordField::Payable {
        let amount = cell.trim().replace([' ', '\u{a0}'], "");
        if let Ok(amount) = Decimal::from_str(&amount)
            && !amount.is_sign_negative()
        {
            return Some(!amount.is_zero());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: [&str; 11] = [
        "STT",
        "Mã hồ sơ",
        "Đơn vị",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày có kết quả",
        "Trạng thái",
        "Hình thức nộp",
        "Toàn trình",
        "Thanh toán trực tuyến",
        "Số hóa",
    ];

    #[test]
    fn the_builtin_profile_reads_a_common_export() {
        let mut reader = Profile::builtin().reader(&HEADER).unwrap();
        assert_eq!(reader.column(RecordField::Unit), Some(2));
        assert_eq!(reader.ignored_columns(), ["STT"]);
        let row = [
            "1",
            "000.00.12.H47-240305-0001",
            "Sở NN&PTNT",
            "05/03/2024 08:15",
            "12/03/2024",
            "45363",
            "Đã giải quyết - Đúng hạn",
            "Trực tuyến",
            "x",
            "",
            "Có",
        ];
        let record = reader.read(7, &row).unwrap();
        assert_eq!(record.row, 7);
        assert_eq!(record.id, Some("000.00.12.H47-240305-0001"));
        assert_eq!(record.received.to_string(), "2024-03-05");
        assert_eq!(record.completed.unwrap().to_string(), "2024-03-12");
        assert_eq!(record.status, Some(DossierStatus::OnTime));
        assert_eq!(record.online, Some(true));
        assert_eq!(record.full_online, Some(true));
        assert_eq!(record.paid_online, Some(false)); // blank reads as no in this profile
        assert_eq!(record.digitised, Some(true));
        assert_eq!(record.payable, None); // no column
    }

    #[test]
    fn headers_match_whatever_the_case_and_diacritics() {
        let header = [
            "DON VI",
            "ngay tiep nhan",
            "Ngày Hẹn Trả",
            "NGÀY TRẢ KẾT QUẢ",
        ];
        let reader = Profile::builtin().reader(&header).unwrap();
        assert_eq!(reader.column(RecordField::Completed), Some(3));
    }

    #[test]
    fn missing_required_columns_are_named() {
        let error = Profile::builtin()
            .reader(&["Đơn vị", "Trạng thái"])
            .unwrap_err();
        let text = error.to_string();
        assert!(
            text.starts_with("missing required columns: received (one of “Ngày tiếp nhận”"),
            "{text}"
        );
        assert!(text.contains("completed (one of"), "{text}");
        assert!(text.contains("due (one of “Ngày hẹn trả”"), "{text}");
        assert!(text.contains("“Số ngày giải quyết”"), "{text}");
    }

    #[test]
    fn strict_profiles_refuse_unknown_columns_and_duplicates_are_ambiguous() {
        let profile = Profile::from_toml(
            r#"base = "vn-one-stop"
            strict = true"#,
        )
        .unwrap();
        let error = profile.reader(&HEADER).unwrap_err();
        assert_eq!(error, ProfileError::UnknownColumns(vec!["STT".into()]));
        let error = Profile::builtin()
            .reader(&[
                "Đơn vị",
                "Ngày tiếp nhận",
                "Ngày hẹn trả",
                "Ngày có kết quả",
                "đơn vị",
            ])
            .unwrap_err();
        assert!(error.to_string().contains("columns 1 and 5"), "{error}");
    }

    #[test]
    fn a_users_profile_maps_its_own_columns_and_labels() {
        let profile = Profile::from_toml(
            r#"
            name = "district-system"
            blank = "unknown"
            dates = "iso"
            require = ["status"]
            [columns]
            unit = "Phòng"
            received = "Nhận"
            due = ["Hẹn"]
            completed = "Xong"
            status = "TT"
            online = "Online?"
            [values.online]
            yes = ["Mạng"]
            [status]
            withdrawn = ["Từ chối"]
            "#,
        )
        .unwrap();
        let header = ["Phòng", "Nhận", "Hẹn", "Xong", "TT", "Online?"];
        let mut reader = profile.reader(&header).unwrap();
        let rows = [
            ["Tư pháp", "2024-03-05", "2024-03-12", "", "Từ chối", "mạng"],
            ["Tư pháp", "2024-03-05", "2024-03-12", "", "Đang xử lý", ""],
        ];
        let first = reader.read(1, &rows[0]).unwrap();
        assert_eq!(first.status, Some(DossierStatus::Withdrawn));
        assert_eq!(first.online, Some(true));
        let second = reader.read(2, &rows[1]).unwrap();
        assert_eq!(second.online, None); // blank = unknown
        let bad = reader
            .read(3, &["Tư pháp", "05/03/2024", "", "", "x", ""])
            .unwrap_err();
        assert_eq!(bad.kind, BadKind::UnreadableDate(RecordField::Received));
        let bad = reader
            .read(4, &["Tư pháp", "2024-03-05", "", "", "", ""])
            .unwrap_err();
        assert_eq!(bad.kind, BadKind::Missing(RecordField::Status));
    }

    #[test]
    fn bad_cells_are_named_with_their_row() {
        let mut reader = Profile::builtin().reader(&HEADER).unwrap();
        let base = [
            "1",
            "H9",
            "Sở A",
            "05/03/2024",
            "12/03/2024",
            "",
            "Đang xử lý",
            "Trực tiếp",
            "",
            "",
            "",
        ];
        let with = |i: usize, value: &'static str| {
            let mut row = base;
            row[i] = value;
            row
        };
        let cases = [
            (
                with(2, " "),
                BadKind::Missing(RecordField::Unit),
                "row 3 (H9): no unit",
            ),
            (
                with(3, "31/02/2024"),
                BadKind::UnreadableDate(RecordField::Received),
                "row 3 (H9): received date `31/02/2024` is not a date: month 2 of 2024 has 29 days",
            ),
            (
                with(6, "Đã huỷ"),
                BadKind::UnknownStatus,
                "row 3 (H9): status `Đã huỷ` is not a known status (map it in the profile's [status] table)",
            ),
            (
                with(8, "maybe"),
                BadKind::UnreadableFlag(RecordField::FullOnline),
                "row 3 (H9): full_online `maybe` is neither yes nor no",
            ),
        ];
        for (row, kind, message) in cases {
            let bad = reader.read(3, &row).unwrap_err();
            assert_eq!(bad.kind, kind);
            assert_eq!(bad.to_string(), message);
        }
        assert!(reader.read(3, &base).is_ok());
        // A short row reads as empty cells.
        let short = reader.read(4, &base[..6]).unwrap();
        assert_eq!(short.status, None);
    }

    #[test]
    fn fee_amounts_read_as_payable() {
        let profile = Profile::builtin();
        assert_eq!(
            read_flag(&profile, RecordField::Payable, "50000"),
            Some(true)
        );
        assert_eq!(read_flag(&profile, RecordField::Payable, "0"), Some(false));
        assert_eq!(read_flag(&profile, RecordField::Online, "50000"), None);
    }

    #[test]
    fn profile_files_are_checked() {
        for (text, expected) in [
            ("[columns]\nunti = \"x\"\n", "`unti` is not a record field"),
            ("blank = \"maybe\"\n", "`blank`"),
            ("dates = \"mdy\"\n", "`dates`"),
            ("[status]\ncancelled = \"Huỷ\"\n", "not a status"),
            ("[values.unit]\nyes = [\"x\"]\n", "not a yes/no field"),
            ("yes = [\"không\"]\n", "both yes and no"),
            ("base = \"other\"\n", "no built-in profile"),
            ("colums = 1\n", "1:1"),
        ] {
            let error = Profile::from_toml(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}\n→ {error}");
        }
    }
}
