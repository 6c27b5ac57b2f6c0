//! Parquet: one row per unit, typed as `Scheme.evaluate_frame` types them: the figures as
//! `decimal128` (exact, or at a scale the user fixes), counts and ranks as integers, text as
//! text. Written a row group per chunk of results, so that memory follows the chunk.
//!
//! A file's schema is fixed before its first row: with exact decimals each column's scale
//! is the fewest places that hold all its figures, which the first pass over the inputs
//! finds ([`Scales::observe`]); the index keeps the scheme's places.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Decimal128Builder, Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::Decimal128Type;
use arrow_array::{ArrayRef, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::basic::Compression;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use parscore::{CriterionResult, Decimal, Rounding, Scheme, Status, Value};
use rayon::prelude::*;

use super::result_row::{Detail, Figure, Outcome, ResultRow};
use crate::fail::Failure;

/// Arrow's widest common decimal: 38 digits.
const PRECISION: u8 = 38;
/// Rows of one record batch handed to the writer.
pub const BATCH_ROWS: usize = 4096;
/// The column of ranks, the one figure a row gets only once every row is scored.
const RANK: &str = "rank";

/// The scale of each decimal column.
#[derive(Debug, Clone)]
pub struct Scales {
    detail: Detail,
    /// Every figure rounded to these places, as the scheme rounds; `None`: exact.
    fixed: Option<Rounding>,
    points: Column,
    max_points: Column,
    /// The bonus and penalty points, written when the scheme has them.
    bonus: Column,
    penalties: Column,
    index: Column,
    missing_points: Column,
    criteria: Vec<Column>,
    margins: Vec<Column>,
}

/// The places a decimal column holds, and the most digits before the point seen in it.
#[derive(Debug, Clone, Copy, Default)]
struct Column {
    scale: u32,
    whole: u32,
}

impl Column {
    fn observe(&mut self, d: Decimal) {
        self.observe_scaled(d.mantissa(), d.scale());
    }

    /// Widens the column to hold `units × 10^-scale`, counting digits against powers of ten
    /// rather than printing them: this runs for every figure of every row.
    fn observe_scaled(&mut self, units: i128, scale: u32) {
        let (units, scale) = fewest_places(units, scale);
        self.scale = self.scale.max(scale);
        let digits = POW10.partition_point(|&p| p as u128 <= units.unsigned_abs()) as u32;
        self.whole = self.whole.max(digits.saturating_sub(scale));
    }

    /// Widens the column to hold a figure of the engine's, `units × 10^-scale`, and its
    /// scale (the engine's column is already at the fewest places its figures need): what
    /// [`Column::observe_scaled`] finds, without dropping trailing zeros, which take from
    /// the places what they add to the digits.
    fn observe_engine(&mut self, units: i128, scale: u32) {
        self.scale = self.scale.max(scale);
        let digits = POW10.partition_point(|&p| p as u128 <= units.unsigned_abs()) as u32;
        self.whole = self.whole.max(digits.saturating_sub(scale));
    }

    /// The wider of two columns' needs.
    fn widen(&mut self, other: Column) {
        self.scale = self.scale.max(other.scale);
        self.whole = self.whole.max(other.whole);
    }
}

impl Scales {
    /// Exact decimals: every column's scale as found by [`Scales::observe`], the index at the
    /// scheme's places.
    pub fn exact(scheme: &Scheme, detail: Detail) -> Scales {
        let leaves = scheme.leaves().count();
        Scales {
            detail,
            fixed: None,
            points: Column::default(),
            max_points: Column::default(),
            bonus: Column::default(),
            penalties: Column::default(),
            index: Column {
                scale: scheme.rounding().places,
                whole: 3,
            },
            missing_points: Column::default(),
            criteria: vec![Column::default(); leaves],
            margins: vec![Column::default(); leaves],
        }
    }

    /// Every decimal column at `places`, each figure rounded as the scheme rounds.
    pub fn fixed(scheme: &Scheme, detail: Detail, places: u32) -> Scales {
        let column = Column {
            scale: places,
            whole: 0,
        };
        let leaves = scheme.leaves().count();
        Scales {
            detail,
            fixed: Some(Rounding {
                places,
                ..scheme.rounding()
            }),
            points: column,
            max_points: column,
            bonus: column,
            penalties: column,
            index: column,
            missing_points: column,
            criteria: vec![column; leaves],
            margins: vec![column; leaves],
        }
    }

    /// Whether finding the scales needs every criterion's points.
    pub fn wants_criteria(&self) -> bool {
        self.detail >= Detail::Criteria
    }

    /// Whether finding the scales needs the full evaluations (for the margins).
    pub fn wants_evaluations(&self) -> bool {
        self.detail == Detail::Full
    }

    /// Widens the scales to hold a row's figures; fixed ones stay as they are (each
    /// figure is rounded to them).
    pub fn observe(&mut self, scheme: &Scheme, outcome: &Outcome<'_>) {
        if self.fixed.is_some() {
            return;
        }
        let Some(headline) = outcome.headline(scheme) else {
            return;
        };
        self.points.observe(headline.points);
        self.max_points.observe(headline.max_points);
        if let Some(bonus) = headline.bonus {
            self.bonus.observe(bonus);
        }
        if let Some(penalties) = headline.penalties {
            self.penalties.observe(penalties);
        }
        self.missing_points.observe(headline.missing_points);
        if let (true, Outcome::Columns { figures, row }) =
            (self.detail >= Detail::Criteria, outcome)
        {
            // Straight from the engine's columns, without a list of each row's criteria.
            let each = figures.criteria.iter().zip(&figures.statuses);
            for (column, (points, statuses)) in self.criteria.iter_mut().zip(each) {
                if statuses[*row].is_some() {
                    column.observe_engine(points.mantissas()[*row], points.scale());
                }
            }
        } else if self.detail >= Detail::Criteria {
            for (column, criterion) in self.criteria.iter_mut().zip(outcome.criteria()) {
                if let Some((points, _)) = criterion {
                    match points {
                        // A column of the engine's is already at the fewest places.
                        Figure::Scaled(units, scale) => {
                            column.scale = column.scale.max(scale);
                            column.observe_scaled(units, scale);
                        }
                        Figure::Decimal(d) => column.observe(d),
                    }
                }
            }
        }
        if let (Detail::Full, Some(evaluation)) = (self.detail, outcome.evaluation()) {
            for (column, c) in self.margins.iter_mut().zip(evaluation.criteria()) {
                if let Some(margin) = c.margin() {
                    column.observe(margin);
                }
            }
        }
    }

    /// Widens every column to hold what `other` holds too.
    pub fn widen(&mut self, other: &Scales) {
        let pairs = [
            (&mut self.points, other.points),
            (&mut self.max_points, other.max_points),
            (&mut self.bonus, other.bonus),
            (&mut self.penalties, other.penalties),
            (&mut self.index, other.index),
            (&mut self.missing_points, other.missing_points),
        ];
        for (column, other) in pairs {
            column.widen(other);
        }
        for (column, other) in self.criteria.iter_mut().zip(&other.criteria) {
            column.widen(*other);
        }
        for (column, other) in self.margins.iter_mut().zip(&other.margins) {
            column.widen(*other);
        }
    }

    /// A column's decimal type, refused when its figures need more than 38 digits.
    fn data_type(&self, column: Column, name: &str) -> Result<DataType, Failure> {
        if self.fixed.is_none() && column.whole + column.scale > u32::from(PRECISION) {
            return Err(Failure::Usage(format!(
                "the Parquet column `{name}` needs {} digits, more than a decimal128 holds: \
                 give --decimals N to round it to N places",
                column.whole + column.scale
            )));
        }
        Ok(DataType::Decimal128(PRECISION, column.scale as i8))
    }
}

/// Rows of a row group, at most (the engine's chunks are smaller: groups span chunks).
pub const ROW_GROUP_ROWS: usize = 65_536;

/// Encoded bytes of a row group, at most: rows explained are tens of kilobytes each.
pub const ROW_GROUP_BYTES: usize = 64 << 20;

/// A file's columns: their schema, and the scale of each decimal column.
#[derive(Debug, Clone)]
pub struct Layout {
    schema: SchemaRef,
    scales: Scales,
}

impl Layout {
    /// The columns of results at `detail`, the decimal ones at `scales`; refused when a
    /// column's figures need more than 38 digits.
    pub fn new(scheme: &Scheme, detail: Detail, scales: Scales) -> Result<Layout, Failure> {
        let text = |name: &str| Field::new(name, DataType::Utf8, true);
        let integer = |name: &str| Field::new(name, DataType::Int64, true);
        let decimal = |name: &str, column: Column| -> Result<Field, Failure> {
            Ok(Field::new(name, scales.data_type(column, name)?, true))
        };
        let mut fields = vec![
            integer("row"),
            text("source"),
            text("unit"),
            text("period"),
            text("status"),
            text("error"),
            decimal("points", scales.points)?,
            decimal("max_points", scales.max_points)?,
        ];
        if scheme.bonus().is_some() {
            fields.push(decimal("bonus_points", scales.bonus)?);
        }
        if scheme.penalties().is_some() {
            fields.push(decimal("penalty_points", scales.penalties)?);
        }
        fields.extend([
            decimal("index", scales.index)?,
            text("grade"),
            integer(RANK),
            integer("missing"),
            decimal("missing_points", scales.missing_points)?,
        ]);
        let codes: Vec<&str> = scheme.leaves().map(|c| c.code.as_str()).collect();
        if detail >= Detail::Criteria {
            for (code, column) in codes.iter().zip(&scales.criteria) {
                fields.push(decimal(code, *column)?);
            }
            fields.extend(codes.iter().map(|c| text(&format!("{c}_status"))));
        }
        if detail == Detail::Full {
            fields.extend(codes.iter().map(|c| text(&format!("{c}_value"))));
            fields.extend(codes.iter().map(|c| text(&format!("{c}_target"))));
            fields.extend(
                codes
                    .iter()
                    .map(|c| Field::new(format!("{c}_passed"), DataType::Boolean, true)),
            );
            for (code, column) in codes.iter().zip(&scales.margins) {
                fields.push(decimal(&format!("{code}_margin"), *column)?);
            }
            fields.extend(codes.iter().map(|c| text(&format!("{c}_explanation"))));
        }
        Ok(Layout {
            schema: Arc::new(Schema::new(fields)),
            scales,
        })
    }

    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// A batch of these columns at other scales (no wider than these), written before
    /// ranks were known, at these scales and with `ranks` (one per row, 0 for none) in
    /// the rank column. Columns after this layout's are dropped.
    pub fn restate(&self, batch: &RecordBatch, ranks: &[u32]) -> Result<RecordBatch, Failure> {
        let columns = self
            .schema
            .fields()
            .iter()
            .zip(batch.columns())
            .map(|(field, column)| match field.data_type() {
                _ if field.name() == RANK => Ok(Arc::new(
                    ranks
                        .iter()
                        .map(|&r| (r > 0).then_some(i64::from(r)))
                        .collect::<Int64Array>(),
                ) as ArrayRef),
                &DataType::Decimal128(_, scale) => rescaled(column, scale as u32),
                _ => Ok(column.clone()),
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        RecordBatch::try_new(self.schema.clone(), columns).map_err(failure)
    }
}

/// Writes results to Parquet, in row groups of [`ROW_GROUP_ROWS`] rows or fewer, each
/// batch's columns encoded on every core.
pub struct ParquetWriter {
    file: SerializedFileWriter<Vec<u8>>,
    groups: ArrowRowGroupWriterFactory,
    layout: Layout,
    /// The row group being written: a writer for each column, and its rows.
    group: Option<(Vec<ArrowColumnWriter>, usize)>,
}

impl ParquetWriter {
    pub fn new(scheme: &Scheme, detail: Detail, scales: Scales) -> Result<ParquetWriter, Failure> {
        let layout = Layout::new(scheme, detail, scales)?;
        // A row's number and place differ from every other row's: a dictionary of them only
        // costs its hashing until the writer gives it up. Nor does a reader filter on the
        // least and greatest place as text (`a.csv:10` sorts before `a.csv:9`): the place's
        // statistics would only cost a comparison of every value.
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_column_dictionary_enabled(ColumnPath::from("row"), false)
            .set_column_dictionary_enabled(ColumnPath::from("source"), false)
            .set_column_statistics_enabled(ColumnPath::from("source"), EnabledStatistics::None)
            .build();
        // The Arrow writer sets the file up (the Arrow schema in its metadata); its columns
        // are then written here, each on a core of its own.
        let (file, groups) =
            ArrowWriter::try_new(Vec::new(), layout.schema.clone(), Some(properties))
                .and_then(ArrowWriter::into_serialized_writer)
                .map_err(failure)?;
        Ok(ParquetWriter {
            file,
            groups,
            layout,
            group: None,
        })
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Adds results to the row group being written, and writes it out once it holds
    /// [`ROW_GROUP_ROWS`] rows or [`ROW_GROUP_BYTES`] bytes: rows explained come 2,048 at a
    /// time, and a row group each would give readers tiny groups and keep every group's
    /// metadata until the footer.
    pub fn rows(
        &mut self,
        scheme: &Scheme,
        rows: &[ResultRow<'_>],
        out: &mut impl Write,
    ) -> Result<(), Failure> {
        for part in rows.chunks(BATCH_ROWS) {
            let batch = self.layout.batch(scheme, part)?;
            self.write(&batch)?;
        }
        self.written(out)
    }

    /// Adds a batch of this file's columns to the row group being written; [`written`]
    /// ends the group once it is full.
    ///
    /// [`written`]: ParquetWriter::written
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), Failure> {
        self.write_all(std::slice::from_ref(batch))
    }

    /// [`ParquetWriter::write`] of several batches in turn, each column taking them all on
    /// one core: a core's share of the work is then some batches' worth, not one's.
    pub fn write_all(&mut self, batches: &[RecordBatch]) -> Result<(), Failure> {
        let batches: Vec<&RecordBatch> = batches.iter().filter(|b| b.num_rows() > 0).collect();
        if batches.is_empty() {
            return Ok(());
        }
        let (writers, rows) = match &mut self.group {
            Some(group) => group,
            group => group.insert((
                self.groups
                    .create_column_writers(self.file.flushed_row_groups().len())
                    .map_err(failure)?,
                0,
            )),
        };
        // Each column's leaves, batch after batch.
        let mut leaves: Vec<Vec<_>> = (0..writers.len())
            .map(|_| Vec::with_capacity(batches.len()))
            .collect();
        for batch in &batches {
            let mut column = 0;
            for (field, array) in self.layout.schema.fields().iter().zip(batch.columns()) {
                for leaf in compute_leaves(field, array).map_err(failure)? {
                    let Some(each) = leaves.get_mut(column) else {
                        return Err(failure("a batch of more columns than the file's"));
                    };
                    each.push(leaf);
                    column += 1;
                }
            }
        }
        writers
            .par_iter_mut()
            .zip(leaves.par_iter())
            .try_for_each(|(writer, leaves)| leaves.iter().try_for_each(|leaf| writer.write(leaf)))
            .map_err(failure)?;
        *rows += batches.iter().map(|b| b.num_rows()).sum::<usize>();
        Ok(())
    }

    /// Writes the row group out to `out` if it holds [`ROW_GROUP_ROWS`] rows or
    /// [`ROW_GROUP_BYTES`] bytes.
    pub fn written(&mut self, out: &mut impl Write) -> Result<(), Failure> {
        let full = self.group.as_ref().is_some_and(|(writers, rows)| {
            *rows >= ROW_GROUP_ROWS
                || writers
                    .iter()
                    .map(ArrowColumnWriter::get_estimated_total_bytes)
                    .sum::<usize>()
                    >= ROW_GROUP_BYTES
        });
        if !full {
            return Ok(());
        }
        self.end_group()?;
        // The writer counts what it wrote itself: its buffer can be emptied into the output.
        let written = std::mem::take(self.file.inner_mut());
        out.write_all(&written).map_err(failure_io)
    }

    /// Ends the row group being written, its columns closed on every core.
    fn end_group(&mut self) -> Result<(), Failure> {
        let Some((writers, _)) = self.group.take() else {
            return Ok(());
        };
        let chunks = writers
            .into_par_iter()
            .map(ArrowColumnWriter::close)
            .collect::<Result<Vec<_>, _>>()
            .map_err(failure)?;
        let mut group = self.file.next_row_group().map_err(failure)?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut group).map_err(failure)?;
        }
        group.close().map_err(failure)?;
        Ok(())
    }

    /// Writes the last row group and the footer.
    pub fn finish(mut self, out: &mut impl Write) -> Result<(), Failure> {
        self.end_group()?;
        let rest = self.file.into_inner().map_err(failure)?;
        out.write_all(&rest).map_err(failure_io)
    }
}

impl Layout {
    /// The results as a record batch of these columns (a rank column of nulls before
    /// ranks are known).
    pub fn batch(&self, scheme: &Scheme, rows: &[ResultRow<'_>]) -> Result<RecordBatch, Failure> {
        let scales = &self.scales;
        let detail = scales.detail;
        let n = rows.len();
        let headlines: Vec<_> = rows.iter().map(|r| r.outcome.headline(scheme)).collect();
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(self.schema.fields().len());
        let integers = |values: &mut dyn Iterator<Item = Option<i64>>| {
            let mut column = Int64Builder::with_capacity(n);
            column.extend(values);
            Arc::new(column.finish()) as ArrayRef
        };
        let text = |values: &mut dyn Iterator<Item = Option<String>>| {
            let mut column = StringBuilder::with_capacity(n, n * 8);
            for value in values {
                column.append_option(value);
            }
            Arc::new(column.finish()) as ArrayRef
        };
        // Text the rows hold already, copied into the column without a string of its own.
        let words = |values: &mut dyn Iterator<Item = Option<&str>>| {
            let mut column = StringBuilder::with_capacity(n, n * 8);
            for value in values {
                column.append_option(value);
            }
            Arc::new(column.finish()) as ArrayRef
        };
        columns.push(integers(&mut rows.iter().map(|r| Some(r.row as i64))));
        let mut places = StringBuilder::with_capacity(n, n * 16);
        for row in rows {
            // Written straight into the column's buffer.
            use std::fmt::Write as _;
            let _ = write!(places, "{}", row.place);
            places.append_value("");
        }
        columns.push(Arc::new(places.finish()));
        columns.push(words(&mut rows.iter().map(|r| r.unit)));
        columns.push(words(&mut rows.iter().map(|r| r.period)));
        columns.push(words(
            &mut rows
                .iter()
                .map(|r| Some(if r.outcome.is_ok() { "ok" } else { "error" })),
        ));
        columns.push(text(
            &mut rows
                .iter()
                .map(|r| r.outcome.error().map(ToString::to_string)),
        ));
        columns.push(self.decimals(
            "points",
            scales.points,
            headlines.iter().map(|h| h.map(|h| h.points)),
        )?);
        columns.push(self.decimals(
            "max_points",
            scales.max_points,
            headlines.iter().map(|h| h.map(|h| h.max_points)),
        )?);
        if scheme.bonus().is_some() {
            columns.push(self.decimals(
                "bonus_points",
                scales.bonus,
                headlines.iter().map(|h| h.and_then(|h| h.bonus)),
            )?);
        }
        if scheme.penalties().is_some() {
            columns.push(self.decimals(
                "penalty_points",
                scales.penalties,
                headlines.iter().map(|h| h.and_then(|h| h.penalties)),
            )?);
        }
        columns.push(self.decimals(
            "index",
            scales.index,
            headlines.iter().map(|h| h.and_then(|h| h.index)),
        )?);
        let grades = scheme.grades();
        columns.push(words(
            &mut headlines
                .iter()
                .map(|h| h.and_then(|h| h.grade).map(|g| grades[g].name.as_str())),
        ));
        columns.push(integers(&mut rows.iter().map(|r| r.rank.map(|r| r as i64))));
        columns.push(integers(
            &mut headlines.iter().map(|h| h.map(|h| h.missing as i64)),
        ));
        columns.push(self.decimals(
            "missing_points",
            scales.missing_points,
            headlines.iter().map(|h| h.map(|h| h.missing_points)),
        )?);
        let codes: Vec<&str> = scheme.leaves().map(|c| c.code.as_str()).collect();
        if detail >= Detail::Criteria {
            let criteria: Vec<Vec<Option<(Figure, Status)>>> =
                rows.iter().map(|r| r.outcome.criteria()).collect();
            let at = |row: usize, leaf: usize| criteria[row].get(leaf).copied().flatten();
            for (leaf, column) in scales.criteria.iter().enumerate() {
                columns.push(self.figures(
                    codes[leaf],
                    *column,
                    (0..n).map(|row| at(row, leaf).map(|(points, _)| points)),
                )?);
            }
            for leaf in 0..codes.len() {
                columns.push(words(
                    &mut (0..n).map(|row| at(row, leaf).map(|(_, status)| status.name())),
                ));
            }
        }
        if detail == Detail::Full {
            let each: Vec<Vec<CriterionResult<'_>>> = rows
                .iter()
                .map(|r| {
                    r.outcome
                        .evaluation()
                        .map(|e| e.criteria().collect())
                        .unwrap_or_default()
                })
                .collect();
            let at = |row: usize, leaf: usize| each[row].get(leaf);
            for leaf in 0..codes.len() {
                columns.push(text(&mut (0..n).map(|row| {
                    at(row, leaf).and_then(|c| c.value()).map(|v| match v {
                        Value::Number(d) => Figure::Decimal(d).text(),
                        other => other.to_string(),
                    })
                })));
            }
            for leaf in 0..codes.len() {
                columns.push(text(&mut (0..n).map(|row| {
                    at(row, leaf)
                        .and_then(|c| c.target())
                        .map(ToString::to_string)
                })));
            }
            for leaf in 0..codes.len() {
                let mut column = BooleanBuilder::with_capacity(n);
                column.extend((0..n).map(|row| at(row, leaf).and_then(|c| c.passed())));
                columns.push(Arc::new(column.finish()));
            }
            for (leaf, column) in scales.margins.iter().enumerate() {
                columns.push(self.decimals(
                    &format!("{}_margin", codes[leaf]),
                    *column,
                    (0..n).map(|row| at(row, leaf).and_then(|c| c.margin())),
                )?);
            }
            for leaf in 0..codes.len() {
                columns.push(text(
                    &mut (0..n).map(|row| at(row, leaf).map(|c| c.explanation())),
                ));
            }
        }
        RecordBatch::try_new(self.schema.clone(), columns).map_err(failure)
    }

    /// A decimal column at its scale: exact, or rounded as the scheme rounds to a fixed one.
    fn decimals(
        &self,
        name: &str,
        column: Column,
        values: impl Iterator<Item = Option<Decimal>>,
    ) -> Result<ArrayRef, Failure> {
        self.figures(name, column, values.map(|d| d.map(Figure::Decimal)))
    }

    /// [`Layout::decimals`] of figures: the engine's scaled integers are put at the
    /// column's scale as they are, without a decimal made of each.
    fn figures(
        &self,
        name: &str,
        column: Column,
        values: impl Iterator<Item = Option<Figure>>,
    ) -> Result<ArrayRef, Failure> {
        let mut built = Decimal128Builder::new();
        for value in values {
            let units = match (value, &self.scales.fixed) {
                (None, _) => {
                    built.append_null();
                    continue;
                }
                (Some(Figure::Scaled(units, scale)), None) => {
                    scaled_at(units, scale, column.scale).ok_or(Figure::Scaled(units, scale))
                }
                (Some(figure), fixed) => {
                    let mut d = figure.decimal();
                    if let Some(rounding) = fixed {
                        d = rounding.round(d);
                    }
                    mantissa_at(d, column.scale).ok_or(Figure::Decimal(d))
                }
            };
            match units {
                Ok(units) => built.append_value(units),
                Err(figure) => {
                    let d = figure.decimal();
                    return Err(Failure::Usage(format!(
                        "{d} does not fit the Parquet column `{name}` (38 digits, {} places): \
                         give --decimals N with fewer places",
                        column.scale
                    )));
                }
            }
        }
        let built = built
            .finish()
            .with_precision_and_scale(PRECISION, column.scale as i8)
            .map_err(failure)?;
        Ok(Arc::new(built))
    }
}

/// `10^k` for the places a decimal128 column can hold.
const POW10: [i128; PRECISION as usize + 1] = {
    let mut powers = [1; PRECISION as usize + 1];
    let mut k = 1;
    while k < powers.len() {
        powers[k] = powers[k - 1] * 10;
        k += 1;
    }
    powers
};

/// `d` as an integer count of `10^-scale`, if that is exact and within 38 digits.
fn mantissa_at(d: Decimal, scale: u32) -> Option<i128> {
    // Only a value with more places than the column can lose them (trailing zeros).
    let d = if d.scale() > scale { d.normalize() } else { d };
    let up = scale.checked_sub(d.scale())? as usize;
    let limit = POW10.get((PRECISION as usize).checked_sub(up)?)?;
    (d.mantissa().unsigned_abs() < limit.unsigned_abs()).then(|| d.mantissa() * POW10[up])
}

/// `units × 10^-scale` as a count of `10^-to`, if that is exact and within 38 digits:
/// trailing zeros dropped or added, without a 128-bit division when the figure fits 64 bits.
fn scaled_at(units: i128, scale: u32, to: u32) -> Option<i128> {
    let (units, scale) = if scale > to {
        let (units, scale) = fewest_places(units, scale);
        (scale <= to).then_some((units, scale))?
    } else {
        (units, scale)
    };
    let up = (to - scale) as usize;
    let limit = POW10.get((PRECISION as usize).checked_sub(up)?)?;
    (units.unsigned_abs() < limit.unsigned_abs()).then(|| units * POW10[up])
}

/// `units × 10^-scale` with the fraction's trailing zeros dropped.
fn fewest_places(units: i128, mut scale: u32) -> (i128, u32) {
    if units == 0 {
        return (0, 0);
    }
    let negative = units < 0;
    let mut magnitude = units.unsigned_abs();
    // Most figures fit 64 bits, whose divisions are an instruction, not a call.
    while scale > 0 && magnitude > u128::from(u64::MAX) && magnitude.is_multiple_of(10) {
        magnitude /= 10;
        scale -= 1;
    }
    if let Ok(mut small) = u64::try_from(magnitude) {
        while scale > 0 && small.is_multiple_of(10) {
            small /= 10;
            scale -= 1;
        }
        magnitude = u128::from(small);
    }
    let units = magnitude as i128;
    (if negative { -units } else { units }, scale)
}

/// A decimal column at `scale` places, from fewer.
fn rescaled(column: &ArrayRef, scale: u32) -> Result<ArrayRef, Failure> {
    let Some(decimals) = column.as_primitive_opt::<Decimal128Type>() else {
        return Err(failure("a decimal column spooled as another type"));
    };
    let DataType::Decimal128(_, from) = *column.data_type() else {
        return Err(failure("a decimal column spooled as another type"));
    };
    let up = POW10
        .get(scale.checked_sub(from as u32).unwrap_or(u32::MAX) as usize)
        .copied()
        .ok_or_else(|| failure("a decimal column spooled at more places than the file's"))?;
    if up == 1 {
        return Ok(column.clone());
    }
    let rescaled = decimals
        .try_unary::<_, Decimal128Type, _>(|units| {
            units.checked_mul(up).ok_or_else(|| {
                arrow_schema::ArrowError::ComputeError("a figure beyond 38 digits".into())
            })
        })
        .map_err(failure)?
        .with_precision_and_scale(PRECISION, scale as i8)
        .map_err(failure)?;
    Ok(Arc::new(rescaled))
}

fn failure(error: impl std::fmt::Display) -> Failure {
    Failure::Write {
        target: "Parquet".into(),
        error: std::io::Error::other(error.to_string()),
    }
}

fn failure_io(error: std::io::Error) -> Failure {
    Failure::Write {
        target: "the output".into(),
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_figure_widens_a_column_as_its_fewest_places_do() {
        let units = [
            0,
            5,
            -5,
            500,
            1685,
            16850,
            -120_000,
            10_i128.pow(20),
            i128::MAX,
        ];
        for units in units {
            for scale in [0, 1, 2, 4, 9, 20] {
                let mut engine = Column::default();
                engine.observe_engine(units, scale);
                let mut fewest = Column { scale, whole: 0 };
                fewest.observe_scaled(units, scale);
                assert_eq!(
                    (engine.scale, engine.whole),
                    (fewest.scale, fewest.whole),
                    "{units} at {scale}"
                );
            }
        }
    }

    #[test]
    fn figures_are_held_at_a_scale_only_when_exact() {
        assert_eq!(mantissa_at(Decimal::new(1685, 2), 4), Some(168_500));
        assert_eq!(mantissa_at(Decimal::new(16850, 3), 2), Some(1685));
        assert_eq!(mantissa_at(Decimal::new(16851, 3), 2), None);
        assert_eq!(mantissa_at(Decimal::new(1, 0), 38), None);
    }
}
