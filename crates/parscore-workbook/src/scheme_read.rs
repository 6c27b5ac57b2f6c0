//! Reading a scheme from a workbook laid out like a published instrument, every problem
//! located at its sheet and cell.

use std::collections::HashMap;

use parscore::file::{
    BonusFile, CriterionFile, GradeFile, IndicatorFile, Num, PenaltiesFile, PenaltyFile,
    RankingFile, RoundingFile, SchemeFile,
};
use parscore::text::{Word, fold};
use parscore::{Decimal, NaPolicy, ProblemKind, Scheme, SchemeError};

use crate::cells::{Book, Cell, Column, Sheet, field_of, is_notes, spellings, word_of};
use crate::error::{Place, Problem, Problems, WorkbookError};
use crate::layout::{
    BONUS_SHEET, CRITERIA_SHEET, CRITERION_COLUMNS, CriterionField, GRADE_COLUMNS, GRADES_SHEET,
    GradeField, INDICATOR_COLUMNS, INDICATOR_KINDS, INDICATORS_SHEET, IndicatorField, NA_POLICIES,
    PENALTIES_SHEET, ROUNDING_MODES, ROUNDING_SCOPES, SETTINGS, SETTINGS_HEADER, SETTINGS_SHEET,
    Setting, TIES,
};
use crate::number::parse_decimal;
use crate::rule_text::{RuleCell, parse_penalty, parse_rule};

/// How far down a sheet its header row may stand, below a title or a note.
const HEADER_SEARCH: u32 = 20;

/// Reads, validates and compiles a scheme workbook.
///
/// The workbook has a sheet of criteria (`Tiêu chí`), of indicators (`Chỉ tiêu`), of the
/// scheme's settings (`Thông tin`) and, optionally, of grades (`Xếp loại`), bonus points
/// (`Điểm thưởng`) and penalty points (`Điểm trừ`); see `docs/workbooks.md`. Every problem is located at its sheet and cell (`Tiêu chí!I12`) with
/// the criterion code: first those of reading the cells (a bad band text, a number that is
/// not one, a row out of its tree), then, when there are none, those of the scheme's
/// validation (a missing maximum, an unknown indicator, bands above the maximum).
pub fn read_scheme(bytes: &[u8]) -> Result<Scheme, WorkbookError> {
    let (file, locator) = read_scheme_file(bytes)?;
    Scheme::from_file(file).map_err(|error| locator.locate(error))
}

/// The scheme file a workbook holds, before validation, and where each of its parts lies.
pub(crate) fn read_scheme_file(bytes: &[u8]) -> Result<(SchemeFile, Locator), WorkbookError> {
    let mut book = Book::open(bytes)?;
    let names = book.sheet_names();
    let mut problems = Problems::default();
    let mut locator = Locator::default();
    let mut sheet =
        |wanted: &[&str], required: bool, problems: &mut Problems| match find_sheet(&names, wanted)
        {
            Some(name) => book.sheet(&name).map(Some),
            None => {
                if required {
                    problems.add(
                        Place::sheet(wanted[0]),
                        None,
                        None,
                        format!(
                            "the workbook has no sheet `{}` (its sheets: {})",
                            wanted[0],
                            names.join(", ")
                        ),
                    );
                }
                Ok(None)
            }
        };
    let settings = sheet(SETTINGS_SHEET, true, &mut problems)?;
    let criteria = sheet(CRITERIA_SHEET, true, &mut problems)?;
    let indicators = sheet(INDICATORS_SHEET, true, &mut problems)?;
    let grades = sheet(GRADES_SHEET, false, &mut problems)?;
    let bonus = sheet(BONUS_SHEET, false, &mut problems)?;
    let penalties = sheet(PENALTIES_SHEET, false, &mut problems)?;

    let mut file = SchemeFile {
        id: String::new(),
        title: String::new(),
        version: String::new(),
        estimated: false,
        provenance: String::new(),
        not_applicable: NaPolicy::default(),
        rounding: RoundingFile::default(),
        grades: Vec::new(),
        indicators: Vec::new(),
        areas: Vec::new(),
        bonus: None,
        penalties: None,
        ranking: RankingFile::default(),
    };
    let above_100 = settings
        .as_ref()
        .and_then(|sheet| read_settings(sheet, &mut file, &mut locator, &mut problems));
    if let Some(sheet) = &indicators {
        file.indicators = read_indicators(sheet, &mut locator, &mut problems);
    }
    if let Some(sheet) = &grades {
        file.grades = read_grades(sheet, &mut locator, &mut problems);
    }
    if let Some(sheet) = &criteria {
        file.areas = read_criteria(sheet, &mut locator, &mut problems);
    }
    if let Some(sheet) = &bonus {
        file.bonus = read_bonus(sheet, &mut locator, &mut problems);
    }
    if let Some(sheet) = &penalties {
        file.penalties = read_penalties(sheet, &mut locator, &mut problems);
    }
    match (&mut file.bonus, above_100) {
        (Some(bonus), Some((above, _))) => bonus.index_above_100 = above,
        (None, Some((true, place))) => problems.add(
            place,
            None,
            Some(Setting::IndexAbove100.key()),
            format!(
                "the index can pass 100 only with bonus points: the workbook has no sheet `{}`",
                BONUS_SHEET[0]
            ),
        ),
        _ => {}
    }
    problems.into_result((file, locator))
}

/// The sheet whose name is one of `wanted`, compared folded.
fn find_sheet(names: &[String], wanted: &[&str]) -> Option<String> {
    names
        .iter()
        .find(|name| wanted.iter().any(|w| fold(w) == fold(name)))
        .cloned()
}

/// Where each part of a scheme file was read from, to place the validation's problems.
#[derive(Debug, Default)]
pub(crate) struct Locator {
    settings: Option<String>,
    setting_rows: HashMap<Setting, u32>,
    /// The criteria sheet, then the bonus and penalties sheets, laid out alike.
    criteria: Vec<RowSheet>,
    indicators: Option<String>,
    indicator_rows: Vec<(String, u32)>,
    indicator_columns: HashMap<IndicatorField, u16>,
    grades: Option<String>,
    grade_rows: Vec<(String, u32)>,
    grade_columns: HashMap<GradeField, u16>,
}

/// A sheet laid out as the criteria sheet, and where its rows are.
#[derive(Debug, Default)]
struct RowSheet {
    name: String,
    /// Each row's code and row, in order.
    rows: Vec<(String, u32)>,
    columns: HashMap<CriterionField, u16>,
    /// The code of its section row (bonus, penalties), whose cap is its maximum.
    section: Option<String>,
}

impl Locator {
    /// The validation's problems, each placed at the cell it is about.
    pub fn locate(&self, error: SchemeError) -> WorkbookError {
        let problems = error
            .problems()
            .into_iter()
            .map(|problem| Problem {
                place: self.place(&problem),
                code: problem.code,
                field: problem.field,
                kind: problem.kind,
            })
            .collect();
        WorkbookError::Invalid { problems }
    }

    fn place(&self, problem: &parscore::Problem) -> Place {
        let field = problem.field.as_deref();
        let second = matches!(
            problem.kind,
            ProblemKind::DuplicateCode(_) | ProblemKind::DuplicateIndicator(_)
        );
        let row_of = |rows: &[(String, u32)], code: &str| {
            let mut found = rows.iter().filter(|(c, _)| c == code).map(|(_, r)| *r);
            let first = found.next();
            if second {
                found.next().or(first)
            } else {
                first
            }
        };
        if let Some(code) = &problem.code {
            let indicator_field = INDICATOR_COLUMNS
                .iter()
                .find(|c| Some(c.field.key()) == field)
                .map(|c| c.field);
            let on_indicator = indicator_field.is_some()
                && field != Some("title")
                && self.indicator_rows.iter().any(|(id, _)| id == code);
            // The rows of the code on the sheets laid out as criteria, in order.
            let mut found = self.criteria.iter().flat_map(|sheet| {
                let rows = sheet.rows.iter().filter(|(c, _)| c == code);
                rows.map(move |(_, row)| (sheet, *row))
            });
            let first = found.next();
            let at = if second {
                found.next().or(first)
            } else {
                first
            };
            if !on_indicator && let Some((sheet, row)) = at {
                let section = sheet.section.as_deref() == Some(code.as_str());
                let wanted = match field {
                    Some("criteria") => Some(CriterionField::Code),
                    // A section's cap is its row's maximum; a penalty's is a parameter.
                    Some("cap") if section => Some(CriterionField::MaxPoints),
                    Some("cap" | "per") => Some(CriterionField::Parameters),
                    // A rule's numbers are in its parameters; a rule that does not fit is
                    // its kind.
                    Some("rule") if matches!(problem.kind, ProblemKind::InvalidValue(_)) => {
                        Some(CriterionField::Parameters)
                    }
                    _ => CRITERION_COLUMNS
                        .iter()
                        .find(|c| Some(c.field.key()) == field)
                        .map(|c| c.field),
                };
                // Bands may stand in the rule column, as instruments write them.
                let fallback = match wanted {
                    Some(CriterionField::Parameters) => Some(CriterionField::Rule),
                    _ => None,
                };
                let column = [wanted, fallback, Some(CriterionField::Code)]
                    .into_iter()
                    .flatten()
                    .find_map(|f| sheet.columns.get(&f))
                    .copied()
                    .unwrap_or(0);
                return Place::cell(&sheet.name, row, column);
            }
            if let (Some(sheet), Some(row)) = (&self.indicators, row_of(&self.indicator_rows, code))
            {
                let column = indicator_field
                    .and_then(|f| self.indicator_columns.get(&f))
                    .or_else(|| self.indicator_columns.get(&IndicatorField::Id))
                    .copied()
                    .unwrap_or(0);
                return Place::cell(sheet, row, column);
            }
        }
        match (field, &problem.kind) {
            (Some("grades"), ProblemKind::GradesOutOfOrder(name)) => {
                if let (Some(sheet), Some(row)) = (&self.grades, row_of(&self.grade_rows, name)) {
                    let column = self.grade_columns.get(&GradeField::MinIndex).copied();
                    return Place::cell(sheet, row, column.unwrap_or(0));
                }
            }
            (Some(key), _) => {
                let setting = SETTINGS.iter().find(|s| s.field.key() == key);
                if let (Some(sheet), Some(row)) = (
                    &self.settings,
                    setting.and_then(|s| self.setting_rows.get(&s.field)),
                ) {
                    return Place::cell(sheet, *row, 1);
                }
            }
            _ => {}
        }
        let sheet = self.criteria.first().map_or(CRITERIA_SHEET[0], |s| &s.name);
        Place::sheet(sheet)
    }
}

/// A sheet's header: the row, and the column of each field it names.
struct Header<F> {
    row: u32,
    columns: HashMap<F, u16>,
    /// Further parameter columns (`Mức 2`, `Mức điểm 3`): one band a cell.
    more_parameters: Vec<u16>,
}

/// Finds the header row (the first to name the `key` column, within the first rows) and
/// maps its columns; an unknown column is a problem, as an unknown key is in a file, unless
/// it holds notes (`Ghi chú`).
fn header<F: Copy + Eq + std::hash::Hash>(
    sheet: &Sheet,
    columns: &[Column<F>],
    key: F,
    numbered: Option<F>,
    problems: &mut Problems,
) -> Option<Header<F>> {
    let width = sheet.columns();
    let row = (0..HEADER_SEARCH.min(sheet.rows()))
        .find(|&row| (0..width).any(|c| field_of(columns, sheet.cell(row, c).text()) == Some(key)));
    let Some(row) = row else {
        let names: Vec<&str> = columns
            .iter()
            .find(|c| c.field == key)
            .map_or(vec![], |c| c.names.to_vec());
        problems.add(
            Place::sheet(&sheet.name),
            None,
            None,
            format!(
                "no header row: the first rows name no `{}` column",
                names.first().copied().unwrap_or_default()
            ),
        );
        return None;
    };
    let mut header = Header {
        row,
        columns: HashMap::new(),
        more_parameters: Vec::new(),
    };
    for column in 0..width {
        let cell = sheet.cell(row, column);
        let text = cell.text();
        if cell.is_empty() || is_notes(text) {
            continue;
        }
        if let Some(field) = field_of(columns, text) {
            if header.columns.insert(field, column).is_some() {
                problems.add(
                    sheet.place(row, column),
                    None,
                    None,
                    format!("column `{text}` appears twice"),
                );
            }
            continue;
        }
        if let Some(field) = numbered {
            let folded = fold(text);
            let base = folded
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end();
            if base.len() < folded.len()
                && (base == "muc"
                    || columns
                        .iter()
                        .find(|c| c.field == field)
                        .is_some_and(|c| c.names.iter().any(|n| fold(n) == base)))
            {
                header.more_parameters.push(column);
                continue;
            }
        }
        let known: Vec<&str> = columns.iter().map(|c| c.names[0]).collect();
        problems.add(
            sheet.place(row, column),
            None,
            None,
            format!(
                "unknown column `{text}` (the columns: {}; a column headed `Ghi chú` holds notes)",
                known.join(", ")
            ),
        );
    }
    Some(header)
}

/// Reads a cell's value for one field of one row, reporting what cannot be read.
struct RowReader<'a, F> {
    sheet: &'a Sheet,
    row: u32,
    code: Option<String>,
    header: &'a Header<F>,
    key: fn(F) -> &'static str,
}

impl<F: Copy + Eq + std::hash::Hash> RowReader<'_, F> {
    fn cell(&self, field: F) -> Cell {
        self.header
            .columns
            .get(&field)
            .map_or(Cell::Empty, |&c| self.sheet.cell(self.row, c))
    }

    fn place(&self, field: F) -> Place {
        let column = self.header.columns.get(&field).copied().unwrap_or(0);
        self.sheet.place(self.row, column)
    }

    fn problem(&self, field: F, message: String, problems: &mut Problems) {
        problems.add(
            self.place(field),
            self.code.as_deref(),
            Some((self.key)(field)),
            message,
        );
    }

    /// Text, or `None` when empty; an error value is a problem.
    fn text(&self, field: F, problems: &mut Problems) -> Option<String> {
        self.read(field, cell_text, problems)
    }

    /// A number typed in the cell (a percentage only where `percent` allows it), or `None`
    /// when empty.
    fn number(&self, field: F, percent: bool, problems: &mut Problems) -> Option<Num> {
        self.read(field, |cell| cell_number(cell, percent), problems)
            .map(Num)
    }

    /// A word of a vocabulary, or `None` when empty.
    fn word<T: Copy>(
        &self,
        field: F,
        words: &[(T, &[&str])],
        problems: &mut Problems,
    ) -> Option<T> {
        self.read(field, |cell| cell_word(cell, words), problems)
    }

    fn read<T>(
        &self,
        field: F,
        read: impl Fn(&Cell) -> Result<Option<T>, String>,
        problems: &mut Problems,
    ) -> Option<T> {
        read(&self.cell(field)).unwrap_or_else(|reason| {
            self.problem(field, reason, problems);
            None
        })
    }
}

/// A cell's text, `None` when empty.
fn cell_text(cell: &Cell) -> Result<Option<String>, String> {
    match cell {
        Cell::Error(error) => Err(excel_error(error)),
        cell => Ok(Some(cell.text().to_string()).filter(|t| !t.is_empty())),
    }
}

/// A word of a vocabulary, `None` when the cell is empty.
fn cell_word<T: Copy>(cell: &Cell, words: &[(T, &[&str])]) -> Result<Option<T>, String> {
    let Some(text) = cell_text(cell)? else {
        return Ok(None);
    };
    word_of(words, &text)
        .map(Some)
        .ok_or_else(|| format!("`{text}` is not one of {}", spellings(words)))
}

fn excel_error(error: &str) -> String {
    format!("the cell holds {error}: type the value itself")
}

/// The number a cell holds: a number cell as typed, or text read with either decimal mark.
fn cell_number(cell: &Cell, percent: bool) -> Result<Option<Decimal>, String> {
    let (text, typed) = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(text) if text.is_empty() => return Ok(None),
        Cell::Number(text) => (text.as_str(), false),
        Cell::Text(text) => (text.as_str(), true),
        Cell::Bool(b) => return Err(format!("`{b}` is not a number")),
        Cell::Error(error) => return Err(excel_error(error)),
    };
    let (digits, is_percent) = match text.strip_suffix('%') {
        Some(digits) => (digits.trim(), true),
        None => (text, false),
    };
    if is_percent && !percent {
        return Err(format!(
            "`{text}` is a percentage; this is a number: format the cell as a number"
        ));
    }
    let number = if typed {
        parse_decimal(digits)
    } else {
        // A number cell's text is Rust's shortest form of a double: plain digits and a point.
        Decimal::from_str_exact(digits).map_err(|_| format!("`{text}` does not fit a decimal"))
    };
    number.map(Some)
}

/// Reads the settings into `file`; returns `index_above_100` and its cell, which the bonus
/// section (read later) holds.
fn read_settings(
    sheet: &Sheet,
    file: &mut SchemeFile,
    locator: &mut Locator,
    problems: &mut Problems,
) -> Option<(bool, Place)> {
    locator.settings = Some(sheet.name.clone());
    let mut above_100 = None;
    for row in sheet.rows_from(0) {
        let label = sheet.cell(row, 0);
        if label.is_empty() || fold(label.text()) == fold(SETTINGS_HEADER[0]) {
            continue;
        }
        let Some(setting) = field_of(SETTINGS, label.text()) else {
            let known: Vec<&str> = SETTINGS.iter().map(|s| s.names[0]).collect();
            problems.add(
                sheet.place(row, 0),
                None,
                None,
                format!(
                    "unknown setting `{}` (the settings: {})",
                    label.text(),
                    known.join(", ")
                ),
            );
            continue;
        };
        if let Some(first) = locator.setting_rows.insert(setting, row) {
            locator.setting_rows.insert(setting, first);
            problems.add(
                sheet.place(row, 0),
                None,
                Some(setting.key()),
                format!(
                    "`{}` is given twice (rows {} and {})",
                    label.text(),
                    first + 1,
                    row + 1
                ),
            );
            continue;
        }
        // Each setting is a row: its name in column A, its value in column B.
        let cell = sheet.cell(row, 1);
        let read = match setting {
            Setting::IndexAbove100 => cell_yes_no(&cell).map(|above| {
                above_100 = Some((above, sheet.place(row, 1)));
            }),
            _ => read_setting(setting, &cell, file),
        };
        if let Err(reason) = read {
            problems.add(sheet.place(row, 1), None, Some(setting.key()), reason);
        }
    }
    for setting in [Setting::Id, Setting::Title, Setting::Version] {
        if !locator.setting_rows.contains_key(&setting) {
            let name = SETTINGS
                .iter()
                .find(|s| s.field == setting)
                .map_or("", |s| s.names[0]);
            problems.push(Problem {
                place: Place::sheet(&sheet.name),
                code: None,
                field: Some(setting.key().to_string()),
                kind: ProblemKind::MissingField {
                    field: setting.key(),
                    what: format!("a scheme (a row `{name}`)"),
                },
            });
        }
    }
    above_100
}

/// Yes or no, as a setting holds it; an empty cell is no.
fn cell_yes_no(cell: &Cell) -> Result<bool, String> {
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Empty => Ok(false),
        cell => match Word::of(cell.text()) {
            Some(Word::Yes) => Ok(true),
            Some(Word::No) => Ok(false),
            _ => Err(format!("`{}` is not có or không", cell.text())),
        },
    }
}

fn read_setting(setting: Setting, cell: &Cell, file: &mut SchemeFile) -> Result<(), String> {
    let text = || cell_text(cell).map(Option::unwrap_or_default);
    match setting {
        Setting::Id => file.id = text()?,
        Setting::Title => file.title = text()?,
        Setting::Version => file.version = text()?,
        Setting::Provenance => file.provenance = text()?,
        Setting::Estimated => file.estimated = cell_yes_no(cell)?,
        Setting::NotApplicable => {
            file.not_applicable = cell_word(cell, NA_POLICIES)?.unwrap_or_default();
        }
        Setting::Places => {
            if let Some(places) = cell_number(cell, false)? {
                file.rounding.places = u32::try_from(places.normalize().mantissa())
                    .ok()
                    .filter(|_| places.fract().is_zero())
                    .ok_or_else(|| format!("`{places}` is not a whole number of places"))?;
            }
        }
        Setting::Mode => file.rounding.mode = cell_word(cell, ROUNDING_MODES)?.unwrap_or_default(),
        Setting::Apply => {
            file.rounding.apply = cell_word(cell, ROUNDING_SCOPES)?.unwrap_or_default();
        }
        Setting::Ties => file.ranking.ties = cell_word(cell, TIES)?.unwrap_or_default(),
        // Codes separated by `;` (or `,`), as typed: `VIII; III`.
        Setting::TieBreak => {
            file.ranking.tie_break = text()?
                .split([';', ','])
                .map(str::trim)
                .filter(|code| !code.is_empty())
                .map(str::to_string)
                .collect();
        }
        // Read by `read_settings`, for the bonus section.
        Setting::IndexAbove100 => {}
    }
    Ok(())
}

fn read_indicators(
    sheet: &Sheet,
    locator: &mut Locator,
    problems: &mut Problems,
) -> Vec<IndicatorFile> {
    locator.indicators = Some(sheet.name.clone());
    let Some(header) = header(sheet, INDICATOR_COLUMNS, IndicatorField::Id, None, problems) else {
        return Vec::new();
    };
    locator.indicator_columns = header.columns.clone();
    let mut indicators = Vec::new();
    for row in sheet.rows_from(header.row + 1) {
        if sheet.row_is_empty(row, sheet.columns()) {
            continue;
        }
        let mut reader = RowReader {
            sheet,
            row,
            code: None,
            header: &header,
            key: IndicatorField::key,
        };
        let Some(id) = reader.text(IndicatorField::Id, problems) else {
            reader.problem(
                IndicatorField::Id,
                "a row of indicators needs its id".into(),
                problems,
            );
            continue;
        };
        reader.code = Some(id.clone());
        locator.indicator_rows.push((id.clone(), row));
        let kind = reader.word(IndicatorField::Kind, INDICATOR_KINDS, problems);
        if kind.is_none() && reader.cell(IndicatorField::Kind).is_empty() {
            problems.push(Problem {
                place: reader.place(IndicatorField::Kind),
                code: Some(id.clone()),
                field: Some("kind".into()),
                kind: ProblemKind::MissingField {
                    field: "kind",
                    what: format!("an indicator (one of {})", spellings(INDICATOR_KINDS)),
                },
            });
        }
        let percent = kind == Some(parscore::IndicatorKind::Percent);
        let indicator = IndicatorFile {
            title: reader
                .text(IndicatorField::Title, problems)
                .unwrap_or_default(),
            kind: kind.unwrap_or(parscore::IndicatorKind::Number),
            min: reader.number(IndicatorField::Min, percent, problems),
            max: reader.number(IndicatorField::Max, percent, problems),
            numerator: reader.text(IndicatorField::Numerator, problems),
            denominator: reader.text(IndicatorField::Denominator, problems),
            baseline: reader.text(IndicatorField::Baseline, problems),
            current: reader.text(IndicatorField::Current, problems),
            id,
        };
        indicators.push(indicator);
    }
    indicators
}

fn read_grades(sheet: &Sheet, locator: &mut Locator, problems: &mut Problems) -> Vec<GradeFile> {
    locator.grades = Some(sheet.name.clone());
    let Some(header) = header(sheet, GRADE_COLUMNS, GradeField::Name, None, problems) else {
        return Vec::new();
    };
    locator.grade_columns = header.columns.clone();
    let mut grades = Vec::new();
    for row in sheet.rows_from(header.row + 1) {
        if sheet.row_is_empty(row, sheet.columns()) {
            continue;
        }
        let reader = RowReader {
            sheet,
            row,
            code: None,
            header: &header,
            key: |field| match field {
                GradeField::Name => "name",
                GradeField::MinIndex => "min_index",
            },
        };
        let name = reader.text(GradeField::Name, problems);
        let min_index = reader.number(GradeField::MinIndex, true, problems);
        match (name, min_index) {
            (Some(name), Some(min_index)) => {
                locator.grade_rows.push((name.clone(), row));
                grades.push(GradeFile { name, min_index });
            }
            (None, _) => {
                reader.problem(GradeField::Name, "a grade needs its name".into(), problems)
            }
            (Some(_), None) => {
                if reader.cell(GradeField::MinIndex).is_empty() {
                    reader.problem(
                        GradeField::MinIndex,
                        "a grade needs the index it starts at".into(),
                        problems,
                    );
                }
            }
        }
    }
    grades
}

/// One row of the criteria sheet, before the tree is built.
struct CriterionRow {
    row: u32,
    /// The level the row gives (`Cấp`), else the code's depth.
    level: usize,
    explicit_level: bool,
    file: CriterionFile,
    /// A penalty's points per occurrence and own cap, read from its rule cells.
    penalty: Option<(Num, Option<Num>)>,
}

fn read_criteria(
    sheet: &Sheet,
    locator: &mut Locator,
    problems: &mut Problems,
) -> Vec<CriterionFile> {
    let Some((header, rows)) = read_rows(sheet, false, locator, problems) else {
        return Vec::new();
    };
    build_tree(sheet, &header, rows, problems)
}

/// The rows of a sheet laid out as the criteria sheet, each in the locator; a penalties
/// sheet's rule cells are read as penalties'.
fn read_rows(
    sheet: &Sheet,
    penalties: bool,
    locator: &mut Locator,
    problems: &mut Problems,
) -> Option<(Header<CriterionField>, Vec<CriterionRow>)> {
    let header = header(
        sheet,
        CRITERION_COLUMNS,
        CriterionField::Code,
        Some(CriterionField::Parameters),
        problems,
    )?;
    let mut found = RowSheet {
        name: sheet.name.clone(),
        columns: header.columns.clone(),
        ..RowSheet::default()
    };
    let mut rows = Vec::new();
    for row in sheet.rows_from(header.row + 1) {
        if sheet.row_is_empty(row, sheet.columns()) {
            continue;
        }
        if let Some(criterion) = read_criterion(sheet, &header, row, penalties, problems) {
            found.rows.push((criterion.file.code.clone(), row));
            rows.push(criterion);
        }
    }
    locator.criteria.push(found);
    Some((header, rows))
}

/// The section of a bonus or penalties sheet: its first row, of level 1, whose maximum is
/// the section's cap; `None`, with the problem, when the sheet has no such row.
fn section_of(
    sheet: &Sheet,
    header: &Header<CriterionField>,
    rows: &[CriterionRow],
    locator: &mut Locator,
    problems: &mut Problems,
) -> Option<(String, String, Num)> {
    let code_column = header
        .columns
        .get(&CriterionField::Code)
        .copied()
        .unwrap_or(0);
    let Some(first) = rows.first().filter(|row| row.level == 1) else {
        let place = rows.first().map_or(Place::sheet(&sheet.name), |row| {
            sheet.place(row.row, code_column)
        });
        problems.add(
            place,
            None,
            None,
            "the sheet's first row is its section, of level 1: its code, its title and its cap \
             as its maximum (Điểm tối đa)"
                .into(),
        );
        return None;
    };
    for other in rows[1..].iter().filter(|row| row.level == 1) {
        problems.add(
            sheet.place(other.row, code_column),
            Some(&other.file.code),
            Some("level"),
            format!(
                "the sheet holds one section, `{}`: `{}` must stand under it, of level 2 or more",
                first.file.code, other.file.code
            ),
        );
    }
    let file = &first.file;
    if let Some(section) = locator.criteria.last_mut() {
        section.section = Some(file.code.clone());
    }
    let extra = [
        ("indicator", file.indicator.is_some()),
        ("target", file.target.is_some()),
        ("rule", file.rule.is_some() || first.penalty.is_some()),
    ];
    for (field, present) in extra {
        if present {
            problems.add(
                sheet.place(first.row, code_column),
                Some(&file.code),
                Some(field),
                format!("`{field}` does not belong on a section's row"),
            );
        }
    }
    match file.max_points {
        Some(cap) => Some((file.code.clone(), file.title.clone(), cap)),
        None => {
            let column = header
                .columns
                .get(&CriterionField::MaxPoints)
                .copied()
                .unwrap_or(code_column);
            problems.add(
                sheet.place(first.row, column),
                Some(&file.code),
                Some("cap"),
                "the section's row needs its cap as its maximum (Điểm tối đa)".into(),
            );
            None
        }
    }
}

/// The `Điểm thưởng` sheet: the section's row, then its criteria as the criteria sheet's.
fn read_bonus(sheet: &Sheet, locator: &mut Locator, problems: &mut Problems) -> Option<BonusFile> {
    let (header, rows) = read_rows(sheet, false, locator, problems)?;
    let (code, title, cap) = section_of(sheet, &header, &rows, locator, problems)?;
    let mut tree = build_tree(sheet, &header, rows, problems);
    let criteria = match tree.len() {
        0 => Vec::new(),
        _ => std::mem::take(&mut tree[0].criteria),
    };
    Some(BonusFile {
        code,
        title,
        cap,
        index_above_100: false,
        criteria,
    })
}

/// The `Điểm trừ` sheet: the section's row, then one row of level 2 per penalty, its rule
/// `trừ điểm` with `mỗi lần` and, if it has one, `trừ tối đa`.
fn read_penalties(
    sheet: &Sheet,
    locator: &mut Locator,
    problems: &mut Problems,
) -> Option<PenaltiesFile> {
    let (header, rows) = read_rows(sheet, true, locator, problems)?;
    let (code, title, cap) = section_of(sheet, &header, &rows, locator, problems)?;
    let column = |field| header.columns.get(&field).copied().unwrap_or(0);
    let mut criteria = Vec::new();
    for row in rows.into_iter().skip(1) {
        let file = row.file;
        let place = |field| sheet.place(row.row, column(field));
        if row.level != 2 {
            problems.add(
                place(CriterionField::Code),
                Some(&file.code),
                Some("level"),
                "a penalty is a row of level 2, under the section's row".into(),
            );
            continue;
        }
        let extra = [
            (
                "max_points",
                CriterionField::MaxPoints,
                file.max_points.is_some(),
            ),
            ("target", CriterionField::Target, file.target.is_some()),
            (
                "not_applicable",
                CriterionField::NotApplicable,
                file.not_applicable.is_some(),
            ),
            ("task", CriterionField::Task, file.task.is_some()),
            (
                "coordinating",
                CriterionField::Coordinating,
                file.coordinating.is_some(),
            ),
            (
                "timeline",
                CriterionField::Timeline,
                file.timeline.is_some(),
            ),
            ("result", CriterionField::Result, file.result.is_some()),
        ];
        for (key, field, present) in extra {
            if present {
                problems.add(
                    place(field),
                    Some(&file.code),
                    Some(key),
                    format!("`{key}` does not belong on a penalty"),
                );
            }
        }
        let Some((per, own)) = row.penalty else {
            problems.add(
                place(CriterionField::Parameters),
                Some(&file.code),
                Some("per"),
                "a penalty needs `mỗi lần` (the points per occurrence): `mỗi lần: 0,5`".into(),
            );
            continue;
        };
        criteria.push(PenaltyFile {
            code: file.code,
            title: file.title,
            indicator: file.indicator.unwrap_or_default(),
            per,
            cap: own,
            lead: file.lead,
            evidence: file.evidence,
        });
    }
    Some(PenaltiesFile {
        code,
        title,
        cap,
        criteria,
    })
}

fn read_criterion(
    sheet: &Sheet,
    header: &Header<CriterionField>,
    row: u32,
    penalties: bool,
    problems: &mut Problems,
) -> Option<CriterionRow> {
    use CriterionField as F;
    let mut reader = RowReader {
        sheet,
        row,
        code: None,
        header,
        key: CriterionField::key,
    };
    let Some(code) = reader.text(F::Code, problems) else {
        reader.problem(
            F::Code,
            "a row of criteria needs its code (STT): I, I.1, I.1.a".into(),
            problems,
        );
        return None;
    };
    reader.code = Some(code.clone());
    let explicit = match reader.cell(F::Level) {
        Cell::Empty => None,
        cell => match cell_number(&cell, false) {
            Ok(Some(level))
                if level.fract().is_zero()
                    && level >= Decimal::ONE
                    && level <= Decimal::ONE_HUNDRED =>
            {
                usize::try_from(level.normalize().mantissa()).ok()
            }
            _ => {
                reader.problem(
                    F::Level,
                    format!("`{}` is not a level: 1 for an area, 2, 3, …", cell.text()),
                    problems,
                );
                return None;
            }
        },
    };
    let depth = segments(&code).len().max(1);
    let target = reader
        .text(F::Target, problems)
        .map(|text| target_text(&text));
    if let Cell::Number(text) = reader.cell(F::Target) {
        reader.problem(
            F::Target,
            format!("`{text}` has no comparison: write `>= {text}` (or ≥, <=, ==)"),
            problems,
        );
    }
    let kind = reader.text(F::Rule, problems).unwrap_or_default();
    let mut parameters: Vec<String> = reader.text(F::Parameters, problems).into_iter().collect();
    for &column in &header.more_parameters {
        match sheet.cell(row, column) {
            Cell::Error(error) => problems.add(
                sheet.place(row, column),
                Some(&code),
                Some("bands"),
                excel_error(&error),
            ),
            cell if !cell.is_empty() => parameters.push(cell.text().to_string()),
            _ => {}
        }
    }
    let parameters = parameters.join("; ");
    let mut penalty = None;
    let rule = if kind.is_empty() && parameters.is_empty() {
        None
    } else if penalties {
        match parse_penalty(&kind, &parameters) {
            Ok(read) => penalty = Some(read),
            Err((cell, reason)) => {
                let field = match cell {
                    RuleCell::Kind => F::Rule,
                    RuleCell::Parameters => F::Parameters,
                };
                reader.problem(field, reason, problems);
            }
        }
        None
    } else if kind.is_empty() {
        match crate::bands::parse_bands(&parameters) {
            Ok(bands) => Some(parscore::file::RuleFile::Bands { bands }),
            Err(_) => {
                reader.problem(
                    F::Rule,
                    "the rule's parameters are given, but not the rule".into(),
                    problems,
                );
                None
            }
        }
    } else {
        match parse_rule(&kind, &parameters) {
            Ok(rule) => Some(rule),
            Err((cell, reason)) => {
                let field = match cell {
                    RuleCell::Kind => F::Rule,
                    RuleCell::Parameters => F::Parameters,
                };
                reader.problem(field, reason, problems);
                None
            }
        }
    };
    let file = CriterionFile {
        title: reader.text(F::Title, problems).unwrap_or_default(),
        task: reader.text(F::Task, problems),
        indicator: reader.text(F::Indicator, problems),
        max_points: reader.number(F::MaxPoints, false, problems),
        target,
        rule,
        not_applicable: reader.word(F::NotApplicable, NA_POLICIES, problems),
        lead: reader.text(F::Lead, problems),
        coordinating: reader.text(F::Coordinating, problems),
        timeline: reader.text(F::Timeline, problems),
        result: reader.text(F::Result, problems),
        evidence: reader.text(F::Evidence, problems),
        criteria: Vec::new(),
        code,
    };
    Some(CriterionRow {
        row,
        level: explicit.unwrap_or(depth),
        explicit_level: explicit.is_some(),
        file,
        penalty,
    })
}

/// The parts of a code: `I.3.a` → `I`, `3`, `a`.
fn segments(code: &str) -> Vec<&str> {
    code.split('.').filter(|s| !s.trim().is_empty()).collect()
}

/// A target as typed, in the form the scheme reads: `≥ 99%` → `>= 99%`, `= 0` → `== 0`,
/// `có` → `== true`. A target already in that form is kept as it is.
fn target_text(text: &str) -> String {
    // `1` and `0` are numbers in a target, not yes and no.
    let yes_no = |text: &str| {
        let text = text.trim();
        if text.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) {
            None
        } else {
            Word::of(text)
        }
    };
    match yes_no(text) {
        Some(Word::Yes) => return "== true".into(),
        Some(Word::No) => return "== false".into(),
        _ => {}
    }
    let text = text.trim();
    let (op, rest) = if let Some(rest) = text.strip_prefix('≥') {
        (">=", rest)
    } else if let Some(rest) = text.strip_prefix('≤') {
        ("<=", rest)
    } else if let Some(rest) = text.strip_prefix('≠') {
        ("!=", rest)
    } else if let Some(rest) = text.strip_prefix('=').filter(|r| !r.starts_with('=')) {
        ("==", rest)
    } else {
        let op_len = text
            .find(|c: char| !matches!(c, '<' | '>' | '=' | '!'))
            .unwrap_or(text.len());
        let (op, rest) = text.split_at(op_len);
        return match yes_no(rest) {
            Some(Word::Yes) if !op.is_empty() => format!("{op} true"),
            Some(Word::No) if !op.is_empty() => format!("{op} false"),
            _ => text.to_string(),
        };
    };
    let rest = rest.trim();
    match yes_no(rest) {
        Some(Word::Yes) => format!("{op} true"),
        Some(Word::No) => format!("{op} false"),
        _ => format!("{op} {rest}"),
    }
}

/// Nests the rows: each under the nearest row above it one level up. A row whose level comes
/// from its code must also stand under the row its code names (`I.3.a` under `I.3`).
fn build_tree(
    sheet: &Sheet,
    header: &Header<CriterionField>,
    rows: Vec<CriterionRow>,
    problems: &mut Problems,
) -> Vec<CriterionFile> {
    let code_column = header
        .columns
        .get(&CriterionField::Code)
        .copied()
        .unwrap_or(0);
    let level_column = header
        .columns
        .get(&CriterionField::Level)
        .copied()
        .unwrap_or(code_column);
    let mut areas: Vec<CriterionFile> = Vec::new();
    let mut open: Vec<CriterionFile> = Vec::new();
    let close = |open: &mut Vec<CriterionFile>, areas: &mut Vec<CriterionFile>, depth: usize| {
        while open.len() > depth {
            let node = open.pop().expect("deeper than depth");
            match open.last_mut() {
                Some(parent) => parent.criteria.push(node),
                None => areas.push(node),
            }
        }
    };
    for row in rows {
        let code = row.file.code.clone();
        close(&mut open, &mut areas, row.level - 1);
        if open.len() + 1 < row.level {
            let column = if row.explicit_level {
                level_column
            } else {
                code_column
            };
            problems.add(
                sheet.place(row.row, column),
                Some(&code),
                Some(if row.explicit_level { "level" } else { "code" }),
                format!(
                    "a row of level {} needs a row of level {} above it{}",
                    row.level,
                    row.level - 1,
                    if row.explicit_level {
                        String::new()
                    } else {
                        format!(
                            " (its parent `{}`)",
                            segments(&code)[..row.level - 1].join(".")
                        )
                    }
                ),
            );
            continue;
        }
        if !row.explicit_level
            && let Some(parent) = open.last()
            && !parent.code.is_empty()
        {
            let wanted = &segments(&code)[..row.level - 1];
            if segments(&parent.code) != wanted {
                problems.add(
                    sheet.place(row.row, code_column),
                    Some(&code),
                    Some("code"),
                    format!(
                        "`{code}` stands under `{}`; a row follows its parent `{}`, or the \
                         `Cấp` column gives its level",
                        parent.code,
                        wanted.join(".")
                    ),
                );
                continue;
            }
        }
        open.push(row.file);
    }
    close(&mut open, &mut areas, 0);
    areas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_as_people_type_them() {
        for (typed, read) in [
            (">= 99", ">= 99"),
            ("≥ 99%", ">= 99%"),
            ("≤ @staff_quota", "<= @staff_quota"),
            ("= 0", "== 0"),
            ("== 0", "== 0"),
            ("≠ 0", "!= 0"),
            ("có", "== true"),
            ("Không", "== false"),
            ("== có", "== true"),
            ("= đạt", "== true"),
            ("99", "99"),
            ("= 1", "== 1"),
            ("0", "0"),
        ] {
            assert_eq!(target_text(typed), read, "{typed}");
        }
    }

    #[test]
    fn codes_split_into_their_levels() {
        assert_eq!(segments("I.3.a"), ["I", "3", "a"]);
        assert_eq!(segments("1."), ["1"]);
        assert_eq!(segments("KS"), ["KS"]);
    }
}
