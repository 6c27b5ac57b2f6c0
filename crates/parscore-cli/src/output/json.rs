//! JSON: the results document (the core's, with each row's source) and JSON lines (one
//! result per line), each result written as it is serialised, with no tree of values built
//! for it.
//!
//! Strings carry no character a terminal would act on: serde_json escapes C0 controls, and
//! the other ones (DEL, C1 controls, bidirectional overrides) are written as `\uXXXX`
//! escapes here. The document reads back to the same values.

use std::io::{self, Write};

use parscore::{Decimal, Evaluation, InputError, Scheme, Status, Value};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::Value as Json;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter, Serializer};

use super::escape;
use super::result_row::{Detail, Figure, Headline, Outcome, ResultRow};

/// Pretty JSON with a final newline. Numbers keep the exact digits the core wrote.
pub fn render(document: &Json) -> String {
    let mut bytes = Vec::new();
    // Writing to memory cannot fail, and a `Value` always serialises.
    let _ = write(document, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`render`] of a document written as it is serialised, into `out`: the text is the same,
/// without the document or its text in memory first.
pub fn write(document: &impl Serialize, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    pretty(document, &mut out)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// `value` pretty-printed, its terminal controls escaped.
pub fn pretty(value: &impl Serialize, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = Serializer::with_formatter(out, Shown(PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// `value` on one line, its terminal controls escaped.
pub fn compact(value: &impl Serialize, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = Serializer::with_formatter(out, Shown(CompactFormatter));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// The results document, written a part at a time: its `scheme`, each result as it comes,
/// then its `summary` (and the records', with `--records`). The text is what serde_json's
/// pretty printer makes of the whole document.
pub struct DocumentWriter {
    detail: Detail,
    results: usize,
}

/// The indent of a result in the document: inside `results` inside the document.
const RESULT_INDENT: &[u8] = b"    ";

impl DocumentWriter {
    pub fn begin(scheme: &Scheme, detail: Detail, out: &mut Vec<u8>) -> io::Result<DocumentWriter> {
        out.extend_from_slice(b"{\n  \"scheme\": ");
        indented(&scheme_json(scheme), b"  ", out)?;
        out.extend_from_slice(b",\n  \"results\": [");
        Ok(DocumentWriter { detail, results: 0 })
    }

    /// Appends results to the document.
    pub fn rows(
        &mut self,
        scheme: &Scheme,
        rows: &[ResultRow<'_>],
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        for row in rows {
            out.extend_from_slice(if self.results == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(RESULT_INDENT);
            indented(
                &ResultJson {
                    row,
                    scheme,
                    detail: self.detail,
                },
                RESULT_INDENT,
                out,
            )?;
            self.results += 1;
        }
        Ok(())
    }

    /// Ends the document with its summary, and what the records gave, if any.
    pub fn end(self, summary: &Json, records: Option<&Json>, out: &mut Vec<u8>) -> io::Result<()> {
        if self.results > 0 {
            out.extend_from_slice(b"\n  ");
        }
        out.extend_from_slice(b"],\n  \"summary\": ");
        indented(summary, b"  ", out)?;
        if let Some(records) = records {
            out.extend_from_slice(b",\n  \"records\": ");
            indented(records, b"  ", out)?;
        }
        out.extend_from_slice(b"\n}\n");
        Ok(())
    }
}

/// `value` pretty-printed with every line after the first indented by `indent`: as it reads
/// nested in a document. A JSON string holds no line break, so lines are the printer's.
fn indented(value: &impl Serialize, indent: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
    let start = out.len();
    pretty(value, &mut *out)?;
    let breaks = out[start..].iter().filter(|&&b| b == b'\n').count();
    if breaks == 0 {
        return Ok(());
    }
    let text = out.split_off(start);
    out.reserve(text.len() + breaks * indent.len());
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(indent);
        }
        out.extend_from_slice(line);
    }
    Ok(())
}

/// Writes results as JSON lines: one compact result per line.
pub fn lines(
    scheme: &Scheme,
    detail: Detail,
    rows: &[ResultRow<'_>],
    out: &mut Vec<u8>,
) -> io::Result<()> {
    LinesWriter::new(scheme, detail).rows(rows, out);
    Ok(())
}

/// JSON lines as serde_json's compact printer writes [`ResultJson`]: what [`LinesWriter`]
/// must write byte for byte.
#[cfg(test)]
pub(crate) fn lines_by_serde(scheme: &Scheme, detail: Detail, rows: &[ResultRow<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for row in rows {
        let json = ResultJson {
            row,
            scheme,
            detail,
        };
        compact(&json, &mut out).expect("results serialise");
        out.push(b'\n');
    }
    out
}

/// JSON lines written straight into bytes: the text serde_json's compact printer makes of
/// [`ResultJson`] (with [`Shown`]'s escapes), byte for byte, without a number parsed and
/// allocated for every figure (six of them a criterion, explained), and with each
/// criterion's code and title escaped once, not once a row. A million rows at `criteria`
/// and a hundred thousand explained are tens of millions of figures.
pub struct LinesWriter<'s> {
    scheme: &'s Scheme,
    detail: Detail,
    /// By leaf, in scheme order: `{"code":…,"title":…,"indicator":…,"value":` with full
    /// detail, `{"code":…,"points":` else.
    heads: Vec<Vec<u8>>,
    /// By leaf, with full detail: `,"target":…,"passed":`, the target's text escaped once.
    targets: Vec<Vec<u8>>,
    /// By leaf, with full detail: its maximum and the text of it, which most rows give
    /// the criterion.
    maxima: Vec<(Decimal, Vec<u8>)>,
    /// By group, in scheme order, with full detail: the group and `{"code":…,"title":…,
    /// "points":`.
    groups: Vec<(&'s parscore::Criterion, Vec<u8>)>,
}

impl<'s> LinesWriter<'s> {
    pub fn new(scheme: &'s Scheme, detail: Detail) -> LinesWriter<'s> {
        let heads = scheme
            .leaves()
            .map(|leaf| {
                let mut head = b"{\"code\":".to_vec();
                string(&mut head, &leaf.code);
                match detail {
                    Detail::Full => {
                        head.extend_from_slice(b",\"title\":");
                        string(&mut head, &leaf.title);
                        head.extend_from_slice(b",\"indicator\":");
                        let indicator = scheme.indicator_of(leaf).map_or("", |i| i.id.as_str());
                        string(&mut head, indicator);
                        head.extend_from_slice(b",\"value\":");
                    }
                    _ => head.extend_from_slice(b",\"points\":"),
                }
                head
            })
            .collect();
        let targets = match detail {
            Detail::Full => scheme
                .leaves()
                .map(|leaf| {
                    let mut target = b",\"target\":".to_vec();
                    target_field(&mut target, leaf.target());
                    target.extend_from_slice(b",\"passed\":");
                    target
                })
                .collect(),
            _ => Vec::new(),
        };
        let maxima = match detail {
            Detail::Full => scheme
                .leaves()
                .map(|leaf| {
                    let mut text = Vec::new();
                    decimal(&mut text, leaf.max_points);
                    (leaf.max_points, text)
                })
                .collect(),
            _ => Vec::new(),
        };
        let groups = match detail {
            Detail::Full => scheme
                .criteria()
                .iter()
                .filter(|c| c.is_group())
                .map(|group| (group, group_head(&group.code, &group.title)))
                .collect(),
            _ => Vec::new(),
        };
        LinesWriter {
            scheme,
            detail,
            heads,
            targets,
            maxima,
            groups,
        }
    }

    /// Appends the rows to `out`, a line each.
    pub fn rows(&self, rows: &[ResultRow<'_>], out: &mut Vec<u8>) {
        for row in rows {
            self.row(row, out);
            out.push(b'\n');
        }
    }

    /// Appends the rows as [`LinesWriter::rows`] does, and notes in `marks` where each ends
    /// in `out` and where its rank is written (`None` for a row without one): what a rank
    /// known later is put into.
    pub fn rows_marked(
        &self,
        rows: &[ResultRow<'_>],
        out: &mut Vec<u8>,
        marks: &mut Vec<(usize, Option<usize>)>,
    ) {
        for row in rows {
            self.row(row, out);
            // The rank is the last field of a scored row: `"rank":12}`.
            let rank_at = row.outcome.is_ok().then(|| {
                let digits = match row.rank {
                    Some(rank) => rank.to_string().len(),
                    None => "null".len(),
                };
                out.len() - 1 - digits
            });
            out.push(b'\n');
            marks.push((out.len(), rank_at));
        }
    }

    fn row(&self, row: &ResultRow<'_>, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"row\":");
        integer(out, row.row as u64);
        out.extend_from_slice(b",\"source\":");
        place(out, &row.place);
        out.extend_from_slice(b",\"unit\":");
        optional_string(out, row.unit);
        out.extend_from_slice(b",\"period\":");
        optional_string(out, row.period);
        let Some(headline) = row.outcome.headline(self.scheme) else {
            out.extend_from_slice(b",\"status\":\"error\"");
            if let Some(error) = row.outcome.error() {
                out.extend_from_slice(b",\"error\":{\"message\":");
                string(out, &error.to_string());
                out.extend_from_slice(b",\"indicator\":");
                optional_string(out, error.indicator());
                out.extend_from_slice(b",\"code\":");
                optional_string(out, error.code());
                out.extend_from_slice(b",\"row\":");
                integer(out, row.row as u64);
                out.push(b'}');
            }
            out.push(b'}');
            return;
        };
        out.extend_from_slice(b",\"status\":\"ok\",\"error\":null,\"points\":");
        decimal(out, headline.points);
        out.extend_from_slice(b",\"max_points\":");
        decimal(out, headline.max_points);
        if let Some(bonus) = headline.bonus {
            out.extend_from_slice(b",\"bonus_points\":");
            decimal(out, bonus);
        }
        if let Some(penalty) = headline.penalties {
            out.extend_from_slice(b",\"penalty_points\":");
            decimal(out, penalty);
        }
        out.extend_from_slice(b",\"index\":");
        optional_decimal(out, headline.index);
        out.extend_from_slice(b",\"grade\":");
        let grade = headline
            .grade
            .map(|g| self.scheme.grades()[g].name.as_str());
        optional_string(out, grade);
        out.extend_from_slice(b",\"missing\":{\"count\":");
        integer(out, headline.missing as u64);
        out.extend_from_slice(b",\"points\":");
        decimal(out, headline.missing_points);
        if self.detail >= Detail::Criteria {
            out.extend_from_slice(b",\"criteria\":[");
            for (i, code) in missing_codes(self.scheme, &row.outcome).iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, code);
            }
            out.push(b']');
        }
        out.push(b'}');
        let evaluation = row
            .outcome
            .evaluation()
            .filter(|_| self.detail == Detail::Full);
        if let Some(evaluation) = evaluation {
            self.groups(evaluation, out);
            self.explained(evaluation, out);
        } else if self.detail >= Detail::Criteria {
            out.extend_from_slice(b",\"criteria\":[");
            let mut first = true;
            for (head, criterion) in self.heads.iter().zip(row.outcome.criteria()) {
                let Some((points, status)) = criterion else {
                    continue;
                };
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(head);
                points.write(out);
                out.extend_from_slice(b",\"status\":");
                status_string(out, status);
                out.push(b'}');
            }
            out.push(b']');
        }
        out.extend_from_slice(b",\"rank\":");
        match row.rank {
            Some(rank) => integer(out, rank as u64),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
    }

    fn groups(&self, evaluation: &Evaluation, out: &mut Vec<u8>) {
        let rounding = evaluation.scheme().rounding();
        out.extend_from_slice(b",\"groups\":[");
        for (i, g) in evaluation.groups().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match self.groups.get(i) {
                Some((group, head)) if std::ptr::eq(*group, g.criterion()) => {
                    out.extend_from_slice(head)
                }
                _ => out.extend_from_slice(&group_head(g.code(), g.title())),
            }
            decimal(out, g.points());
            out.extend_from_slice(b",\"max_points\":");
            decimal(out, g.max_points());
            out.extend_from_slice(b",\"index\":");
            optional_decimal(out, rounding.index(g.points(), g.max_points()));
            if let Some(part) = part(evaluation.scheme(), g.criterion()) {
                out.extend_from_slice(b",\"part\":");
                string(out, part);
            }
            out.push(b'}');
        }
        out.push(b']');
    }

    fn explained(&self, evaluation: &Evaluation, out: &mut Vec<u8>) {
        let scheme = evaluation.scheme();
        let mut reason = String::with_capacity(256);
        out.extend_from_slice(b",\"criteria\":[");
        for (i, c) in evaluation.criteria().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match self.heads.get(i) {
                Some(head) => out.extend_from_slice(head),
                None => {
                    out.extend_from_slice(b"{\"code\":");
                    string(out, c.code());
                    out.extend_from_slice(b",\"title\":");
                    string(out, c.title());
                    out.extend_from_slice(b",\"indicator\":");
                    string(out, &c.indicator().id);
                    out.extend_from_slice(b",\"value\":");
                }
            }
            match c.value() {
                None => out.extend_from_slice(b"null"),
                Some(Value::Number(d)) => decimal(out, d),
                Some(Value::Bool(yes)) => boolean(out, yes),
                Some(other) => displayed(out, other),
            }
            match self.targets.get(i) {
                Some(target) => out.extend_from_slice(target),
                None => {
                    out.extend_from_slice(b",\"target\":");
                    target_field(out, c.target());
                    out.extend_from_slice(b",\"passed\":");
                }
            }
            match c.passed() {
                Some(passed) => boolean(out, passed),
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"margin\":");
            optional_decimal(out, c.margin());
            out.extend_from_slice(b",\"points\":");
            decimal(out, c.points());
            out.extend_from_slice(b",\"max_points\":");
            match self.maxima.get(i) {
                Some((max, text)) if *max == c.max_points() => out.extend_from_slice(text),
                _ => decimal(out, c.max_points()),
            }
            out.extend_from_slice(b",\"lost_points\":");
            decimal(out, c.lost_points());
            out.extend_from_slice(b",\"recoverable\":");
            decimal(out, c.recoverable());
            out.extend_from_slice(b",\"status\":");
            status_string(out, c.status());
            out.extend_from_slice(b",\"explanation\":\"");
            // Formatted whole, then escaped at once: escaped as formatted, each of its many
            // short parts would cost a call and a look at its every byte.
            reason.clear();
            // Writing to memory cannot fail.
            let _ = c.write_explanation(&mut reason);
            escaped(out, &reason);
            out.push(b'"');
            if let Some(part) = part(scheme, c.criterion()) {
                out.extend_from_slice(b",\"part\":");
                string(out, part);
            }
            out.push(b'}');
        }
        out.push(b']');
    }
}

/// A group's `{"code":…,"title":…,"points":`.
fn group_head(code: &str, title: &str) -> Vec<u8> {
    let mut head = b"{\"code\":".to_vec();
    string(&mut head, code);
    head.extend_from_slice(b",\"title\":");
    string(&mut head, title);
    head.extend_from_slice(b",\"points\":");
    head
}

/// A result's `source`, as [`crate::input::Place::to_json`] gives it.
fn place(out: &mut Vec<u8>, place: &crate::input::Place) {
    use crate::input::Place;
    let file = |out: &mut Vec<u8>, file: &str| {
        out.extend_from_slice(b"{\"file\":");
        string(out, file);
    };
    match place {
        Place::Line { file: f, line } => {
            file(out, f);
            out.extend_from_slice(b",\"line\":");
            integer(out, *line);
        }
        Place::Object { file: f, index } => {
            file(out, f);
            out.extend_from_slice(b",\"object\":");
            integer(out, *index as u64);
        }
        Place::SheetRow {
            file: f,
            sheet,
            row,
        } => {
            file(out, f);
            out.extend_from_slice(b",\"sheet\":");
            string(out, sheet);
            out.extend_from_slice(b",\"row\":");
            integer(out, u64::from(*row));
        }
        Place::Row { file: f, row } => {
            file(out, f);
            out.extend_from_slice(b",\"row\":");
            integer(out, *row as u64);
        }
        Place::Records { files } => {
            out.extend_from_slice(b"{\"records\":[");
            for (i, f) in files.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, f);
            }
            out.push(b']');
        }
    }
    out.push(b'}');
}

fn integer(out: &mut Vec<u8>, n: u64) {
    super::result_row::write_scaled(out, i128::from(n), 0);
}

fn decimal(out: &mut Vec<u8>, d: Decimal) {
    Figure::Decimal(d).write(out);
}

fn optional_decimal(out: &mut Vec<u8>, d: Option<Decimal>) {
    match d {
        Some(d) => decimal(out, d),
        None => out.extend_from_slice(b"null"),
    }
}

fn boolean(out: &mut Vec<u8>, yes: bool) {
    out.extend_from_slice(if yes { b"true" } else { b"false" });
}

fn optional_string(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string as serde_json writes it (`\"`, `\\`, the short escapes of `\b`, `\t`,
/// `\n`, `\f`, `\r`, `\u00XX` for the other C0 controls), with [`Shown`]'s escapes of the
/// other characters a terminal acts on.
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    escaped(out, text);
    out.push(b'"');
}

/// A status's name as a JSON string: a few plain letters, never escaped.
fn status_string(out: &mut Vec<u8>, status: Status) {
    out.extend_from_slice(match status {
        Status::Scored => b"\"scored\"",
        Status::Missing => b"\"missing\"",
        Status::NotApplicable => b"\"not_applicable\"",
    });
}

/// A value's text as a JSON string, written as it is formatted.
fn displayed(out: &mut Vec<u8>, value: impl std::fmt::Display) {
    use std::fmt::Write as _;
    out.push(b'"');
    // Writing to memory cannot fail.
    let _ = write!(Escaped(out), "{value}");
    out.push(b'"');
}

/// A criterion's `target`: its text, or `null`.
fn target_field(out: &mut Vec<u8>, target: Option<&parscore::Target>) {
    match target {
        Some(target) => displayed(out, target),
        None => out.extend_from_slice(b"null"),
    }
}

/// The inside of a JSON string (see [`string`]), written as the text is formatted: each part
/// escaped as it comes. Escapes are of whole characters, and a part is whole characters, so
/// the text is the same as the whole text escaped at once.
struct Escaped<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Escaped<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        escaped(self.0, text);
        Ok(())
    }
}

/// The bytes [`escaped`] looks at: those escaped in JSON (C0 controls, `"`, `\`), DEL, and
/// the first bytes of the characters beyond ASCII a terminal acts on (C1 controls: `C2`;
/// U+061C: `D8`; U+200E to U+2069: `E2`). Every other byte, Vietnamese letters included, is
/// copied as it is.
const LOOKED_AT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xD8] = true;
    table[0xE2] = true;
    table
};

/// `text` escaped as the inside of a JSON string (see [`string`]).
fn escaped(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight printable ASCII bytes at a time: most of an explanation.
        if let Some(word) = bytes.get(at..at + 8).and_then(|w| w.try_into().ok())
            && plain_ascii(u64::from_le_bytes(word))
        {
            at += 8;
            continue;
        }
        let b = bytes[at];
        if !LOOKED_AT[b as usize] {
            at += 1;
            continue;
        }
        // An ASCII byte is a character; a first byte beyond ASCII is read whole.
        let c = if b < 0x80 {
            char::from(b)
        } else {
            text[at..].chars().next().unwrap_or_default()
        };
        let len = c.len_utf8();
        if b >= 0x80 && !escape::acts_on_terminal(c) {
            at += len;
            continue;
        }
        out.extend_from_slice(&bytes[start..at]);
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\r' => out.extend_from_slice(b"\\r"),
            _ => {
                let code = c as u32;
                out.extend_from_slice(b"\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((code >> shift) & 0xF) as usize]);
                }
            }
        }
        at += len;
        start = at;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Whether the eight bytes of `word` are all printable ASCII other than `"` and `\`: bytes
/// [`escaped`] copies as they are. Each test is the classic "has a zero byte" trick on the
/// word (exact as to whether some byte matches, which is all that is asked).
fn plain_ascii(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    // Beyond ASCII, or DEL (which a carry from adding one takes into the high bit).
    let high_or_del = (word | word.wrapping_add(ONES)) & HIGHS;
    // A control: below 0x20 (exact once no byte is beyond ASCII).
    let control = word.wrapping_sub(0x20 * ONES) & !word & HIGHS;
    let quote = has_zero(word ^ (u64::from(b'"') * ONES));
    let backslash = has_zero(word ^ (u64::from(b'\\') * ONES));
    high_or_del | control | quote | backslash == 0
}

/// The document's `scheme`: which scheme scored the batch, with its `bonus`, `penalties`
/// and `ranking` when it sets them, as the core's document writes it.
pub fn scheme_json(scheme: &Scheme) -> Json {
    let mut out = serde_json::json!({
        "id": scheme.id(),
        "title": scheme.title(),
        "version": scheme.version(),
        "estimated": scheme.estimated(),
    });
    if let Some((group, cap)) = scheme.bonus() {
        out["bonus"] = serde_json::json!({
            "code": group.code,
            "title": group.title,
            "cap": num_json(cap),
            "index_above_100": scheme.index_above_100(),
        });
    }
    if let Some((group, cap)) = scheme.penalties() {
        out["penalties"] =
            serde_json::json!({"code": group.code, "title": group.title, "cap": num_json(cap)});
    }
    let ranking = &scheme.file().ranking;
    if ranking.ties == parscore::Ties::Exact || scheme.tie_break().next().is_some() {
        out["ranking"] = serde_json::json!({
            "ties": ranking.ties,
            "tie_break": scheme.tie_break().map(|c| &c.code).collect::<Vec<_>>(),
        });
    }
    out
}

/// An exact figure as a JSON value.
fn num_json(d: Decimal) -> Json {
    serde_json::to_value(num(d)).unwrap_or(Json::Null)
}

/// The part of the scheme a criterion or group is of, when the scheme has more than one.
fn part(scheme: &Scheme, criterion: &parscore::Criterion) -> Option<&'static str> {
    (scheme.bonus().is_some() || scheme.penalties().is_some()).then(|| criterion.part.name())
}

/// An exact figure as a JSON number, with its digits as written.
struct Num(Figure);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.text().parse::<serde_json::Number>() {
            Ok(number) => number.serialize(serializer),
            Err(_) => serializer.serialize_unit(),
        }
    }
}

fn num(d: Decimal) -> Num {
    Num(Figure::Decimal(d))
}

/// A result as the document writes it, at a detail: the core's result object (with
/// `source` after `row`) at full detail; its headline fields, and each criterion's points
/// and status, below.
struct ResultJson<'a> {
    row: &'a ResultRow<'a>,
    scheme: &'a Scheme,
    detail: Detail,
}

impl Serialize for ResultJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let row = self.row;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("row", &row.row)?;
        map.serialize_entry("source", &row.place.to_json())?;
        map.serialize_entry("unit", &row.unit)?;
        map.serialize_entry("period", &row.period)?;
        let Some(headline) = row.outcome.headline(self.scheme) else {
            map.serialize_entry("status", "error")?;
            if let Some(error) = row.outcome.error() {
                map.serialize_entry(
                    "error",
                    &ErrorJson {
                        error,
                        row: row.row,
                    },
                )?;
            }
            return map.end();
        };
        map.serialize_entry("status", "ok")?;
        map.serialize_entry("error", &None::<()>)?;
        map.serialize_entry("points", &num(headline.points))?;
        map.serialize_entry("max_points", &num(headline.max_points))?;
        if let Some(bonus) = headline.bonus {
            map.serialize_entry("bonus_points", &num(bonus))?;
        }
        if let Some(penalty) = headline.penalties {
            map.serialize_entry("penalty_points", &num(penalty))?;
        }
        map.serialize_entry("index", &headline.index.map(num))?;
        let grade = headline
            .grade
            .map(|g| self.scheme.grades()[g].name.as_str());
        map.serialize_entry("grade", &grade)?;
        let evaluation = row
            .outcome
            .evaluation()
            .filter(|_| self.detail == Detail::Full);
        map.serialize_entry(
            "missing",
            &MissingJson {
                headline: &headline,
                codes: (self.detail >= Detail::Criteria)
                    .then(|| missing_codes(self.scheme, &row.outcome)),
            },
        )?;
        if let Some(evaluation) = evaluation {
            map.serialize_entry("groups", &GroupsJson(evaluation))?;
            map.serialize_entry("criteria", &CriteriaJson(evaluation))?;
        } else if self.detail >= Detail::Criteria {
            map.serialize_entry(
                "criteria",
                &PointsJson {
                    scheme: self.scheme,
                    outcome: &row.outcome,
                },
            )?;
        }
        map.serialize_entry("rank", &row.rank)?;
        map.end()
    }
}

/// The codes of the criteria without input.
fn missing_codes<'s>(scheme: &'s Scheme, outcome: &Outcome<'_>) -> Vec<&'s str> {
    let codes = scheme.leaves().map(|leaf| leaf.code.as_str());
    match *outcome {
        Outcome::Failed(_) => Vec::new(),
        Outcome::Columns { figures, row } => codes
            .zip(&figures.statuses)
            .filter(|(_, column)| column.get(row) == Some(&Some(Status::Missing)))
            .map(|(code, _)| code)
            .collect(),
        // An evaluation counted them: most have none to look for.
        Outcome::Evaluated(evaluation) if evaluation.missing_summary().0 == 0 => Vec::new(),
        Outcome::Evaluated(evaluation) => codes
            .zip(evaluation.criteria())
            .filter(|(_, c)| c.status() == Status::Missing)
            .map(|(code, _)| code)
            .collect(),
    }
}

struct MissingJson<'a> {
    headline: &'a Headline,
    codes: Option<Vec<&'a str>>,
}

impl Serialize for MissingJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("count", &self.headline.missing)?;
        map.serialize_entry("points", &num(self.headline.missing_points))?;
        if let Some(codes) = &self.codes {
            map.serialize_entry("criteria", codes)?;
        }
        map.end()
    }
}

struct ErrorJson<'a> {
    error: &'a InputError,
    row: usize,
}

impl Serialize for ErrorJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("message", &self.error.to_string())?;
        map.serialize_entry("indicator", &self.error.indicator())?;
        map.serialize_entry("code", &self.error.code())?;
        map.serialize_entry("row", &self.row)?;
        map.end()
    }
}

/// Each criterion's points and status.
struct PointsJson<'a> {
    scheme: &'a Scheme,
    outcome: &'a Outcome<'a>,
}

impl Serialize for PointsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for (leaf, criterion) in self.scheme.leaves().zip(self.outcome.criteria()) {
            let Some((points, status)) = criterion else {
                continue;
            };
            seq.serialize_element(&CriterionPoints {
                code: &leaf.code,
                points,
                status,
            })?;
        }
        seq.end()
    }
}

struct CriterionPoints<'a> {
    code: &'a str,
    points: Figure,
    status: Status,
}

impl Serialize for CriterionPoints<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("code", self.code)?;
        map.serialize_entry("points", &Num(self.points))?;
        map.serialize_entry("status", self.status.name())?;
        map.end()
    }
}

/// Each area and sub-group of an evaluation, as the core's document writes them.
struct GroupsJson<'a>(&'a Evaluation);

impl Serialize for GroupsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rounding = self.0.scheme().rounding();
        let mut seq = serializer.serialize_seq(None)?;
        for g in self.0.groups() {
            seq.serialize_element(&GroupJson {
                code: g.code(),
                title: g.title(),
                points: g.points(),
                max_points: g.max_points(),
                index: rounding.index(g.points(), g.max_points()),
                part: part(self.0.scheme(), g.criterion()),
            })?;
        }
        seq.end()
    }
}

struct GroupJson<'a> {
    code: &'a str,
    title: &'a str,
    points: Decimal,
    max_points: Decimal,
    index: Option<Decimal>,
    part: Option<&'static str>,
}

impl Serialize for GroupJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("code", self.code)?;
        map.serialize_entry("title", self.title)?;
        map.serialize_entry("points", &num(self.points))?;
        map.serialize_entry("max_points", &num(self.max_points))?;
        map.serialize_entry("index", &self.index.map(num))?;
        if let Some(part) = self.part {
            map.serialize_entry("part", part)?;
        }
        map.end()
    }
}

/// Every criterion of an evaluation with its value, target, verdict, margin, points and
/// explanation, as the core's document writes them.
struct CriteriaJson<'a>(&'a Evaluation);

impl Serialize for CriteriaJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        let scheme = self.0.scheme();
        for c in self.0.criteria() {
            seq.serialize_element(&CriterionJson(c, part(scheme, c.criterion())))?;
        }
        seq.end()
    }
}

/// A criterion, and the part of the scheme it is of when the scheme has more than one.
struct CriterionJson<'a>(parscore::CriterionResult<'a>, Option<&'static str>);

impl Serialize for CriterionJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = &self.0;
        let mut map = serializer.serialize_map(Some(13))?;
        map.serialize_entry("code", c.code())?;
        map.serialize_entry("title", c.title())?;
        map.serialize_entry("indicator", &c.indicator().id)?;
        map.serialize_entry("value", &ValueJson(c.value()))?;
        map.serialize_entry("target", &c.target().map(ToString::to_string))?;
        map.serialize_entry("passed", &c.passed())?;
        map.serialize_entry("margin", &c.margin().map(num))?;
        map.serialize_entry("points", &num(c.points()))?;
        map.serialize_entry("max_points", &num(c.max_points()))?;
        map.serialize_entry("lost_points", &num(c.lost_points()))?;
        map.serialize_entry("recoverable", &num(c.recoverable()))?;
        map.serialize_entry("status", c.status().name())?;
        map.serialize_entry("explanation", &c.explanation())?;
        if let Some(part) = self.1 {
            map.serialize_entry("part", part)?;
        }
        map.end()
    }
}

/// A value: numbers as numbers, counts as `"a/b"` text (exact), yes/no as booleans, `"n/a"`.
struct ValueJson(Option<Value>);

impl Serialize for ValueJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => serializer.serialize_unit(),
            Some(Value::Number(d)) => num(d).serialize(serializer),
            Some(Value::Bool(b)) => serializer.serialize_bool(b),
            Some(other) => serializer.serialize_str(&other.to_string()),
        }
    }
}

/// serde_json's pretty printing, with the characters of strings that a terminal would act on
/// escaped.
struct Shown<F>(F);

impl<F: Formatter> Formatter for Shown<F> {
    fn write_string_fragment<W>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()>
    where
        W: ?Sized + Write,
    {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if escape::acts_on_terminal(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every such character is in the Basic Multilingual Plane: one escape.
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_character_escaped_starts_with_a_byte_looked_at() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut bytes = [0u8; 4];
            let first = c.encode_utf8(&mut bytes).as_bytes()[0];
            let escaped = c < ' ' || c == '"' || c == '\\' || escape::acts_on_terminal(c);
            assert!(!escaped || LOOKED_AT[first as usize], "{c:?}");
        }
    }

    #[test]
    fn a_word_is_plain_when_each_of_its_bytes_is_copied_as_it_is() {
        // Every byte at every place of a word of otherwise plain letters, and words of
        // bytes next to the edges (0x1f/0x20, 0x7e/0x7f/0x80, around `"` and `\\`).
        let edges = [
            0x00, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0xc2, 0xff,
        ];
        for b in 0..=255u8 {
            for place in 0..8 {
                let mut word = *b"abcdefgh";
                word[place] = b;
                let plain = (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
                assert_eq!(
                    plain_ascii(u64::from_le_bytes(word)),
                    plain,
                    "{b:#x} at {place}"
                );
            }
        }
        for (x, y) in edges.iter().zip(edges.iter().rev()) {
            let word = [*x, *y, *x, *y, *y, *x, *y, *x];
            let plain = word
                .iter()
                .all(|&b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
            assert_eq!(plain_ascii(u64::from_le_bytes(word)), plain, "{word:?}");
        }
    }

    #[test]
    fn a_status_is_written_as_its_name() {
        for status in [Status::Scored, Status::Missing, Status::NotApplicable] {
            let mut out = Vec::new();
            status_string(&mut out, status);
            assert_eq!(out, format!("\"{}\"", status.name()).into_bytes());
        }
    }

    /// Text as inputs and schemes hold it: Vietnamese (composed and decomposed), quotes,
    /// backslashes, controls, bidirectional overrides, anything.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            Just("Sở NN&PTNT \"Lạng Sơn\"".to_string()),
            Just("So\u{31b}\u{309} Tu\u{31b} pha\u{301}p \\ \u{202e}".to_string()),
            "[a-zA-Zếơưạả\\u{300}-\\u{323} \"\\\\\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{61c}\\u{200e}\\u{2028}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]{0,40}",
            any::<String>(),
        ]
    }

    proptest::proptest! {
        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(text in text(), cut in 0usize..64) {
            let mut expected = Vec::new();
            compact(&text, &mut expected).unwrap();
            let mut whole = Vec::new();
            string(&mut whole, &text);
            proptest::prop_assert_eq!(&whole, &expected);
            // Written in parts, as a reason is formatted, the text is the same.
            let cut = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
            let mut parts = vec![b'"'];
            std::fmt::Write::write_str(&mut Escaped(&mut parts), &text[..cut]).unwrap();
            let mut rest = Escaped(&mut parts);
            std::fmt::Write::write_fmt(&mut rest, format_args!("{}", &text[cut..])).unwrap();
            parts.push(b'"');
            proptest::prop_assert_eq!(&parts, &expected);
        }
    }

    #[test]
    fn the_text_is_serde_jsons_pretty_text_with_terminal_controls_escaped() {
        let plain = json!({"unit": "Sở NN&PTNT", "points": [1, 2.5], "grade": null});
        let mut expected = serde_json::to_string_pretty(&plain).unwrap();
        expected.push('\n');
        assert_eq!(render(&plain), expected);

        let hostile = json!({"unit": "a\u{1b}[2J\u{7f}\u{9b}31m\u{202e}b"});
        let text = render(&hostile);
        assert_eq!(
            text,
            "{\n  \"unit\": \"a\\u001b[2J\\u007f\\u009b31m\\u202eb\"\n}\n"
        );
        assert_eq!(serde_json::from_str::<Json>(&text).unwrap(), hostile);
    }
}
