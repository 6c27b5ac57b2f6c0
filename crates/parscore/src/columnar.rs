//! Columnar scoring: Arrow record batches in (a pandas, polars or pyarrow frame, a Parquet
//! file), the figures of every row out, column by column, scored in parallel.
//!
//! Each column is typed once; a row's cells are read straight into a reused slot buffer and
//! scored by a [`Scorer`], so no row allocates. One output row per input row, in order: a row
//! that cannot be read or scored keeps its place with its error.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Decimal256Type, Float32Type, Float64Type, Int64Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, BooleanArray, PrimitiveArray, RecordBatch, StringArray};
use arrow_schema::DataType;
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::Options;
use crate::error::InputError;
use crate::inputs::fit;
use crate::rank::competition_ranks;
use crate::scheme::Scheme;
use crate::score::Scorer;
use crate::value::Value;

/// How a columnar run reads and scores its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnarOptions {
    /// A missing value fails its row.
    pub strict: bool,
    /// Columns that are not indicators of the scheme are skipped instead of failing every row.
    pub ignore_unknown: bool,
    /// Threads to score with; `None` uses every core (rayon's global pool).
    pub threads: Option<usize>,
}

/// The figures of every input row, one entry per row in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub units: Vec<Option<String>>,
    pub periods: Vec<Option<String>>,
    /// The rows that failed, by 0-based row, in order.
    pub errors: Vec<(usize, InputError)>,
    pub points: Vec<Decimal>,
    pub max_points: Vec<Decimal>,
    /// The reported (rounded) index.
    pub index: Vec<Option<Decimal>>,
    /// Position of the row's grade in [`Scheme::grades`].
    pub grades: Vec<Option<usize>>,
    /// Competition rank within the row's period.
    pub ranks: Vec<Option<usize>>,
    /// Points per leaf criterion (scheme order), each a column over the rows.
    pub criteria: Vec<Vec<Decimal>>,
}

impl Figures {
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The error of a row (0-based), if it failed.
    pub fn error(&self, row: usize) -> Option<&InputError> {
        self.errors
            .binary_search_by_key(&row, |(r, _)| *r)
            .ok()
            .map(|i| &self.errors[i].1)
    }
}

/// Rows rayon hands out at a time: large enough to amortise a scorer, small enough to balance.
const CHUNK: usize = 16 * 1024;

impl Scheme {
    /// Scores every row of the batches (all with the same columns): a `unit` column, an
    /// optional `period`, and a column per indicator id holding numbers, decimals, text cells
    /// (`"987/1000"`, `"n/a"`), booleans or nulls (missing). Floats are read as their
    /// shortest form (see [`Value::from_f64`]).
    ///
    /// Fails as a whole only for a table it cannot read at all: no `unit` column, or a column
    /// of a type that holds no values (a list, a struct).
    pub fn score_batches(
        &self,
        batches: &[RecordBatch],
        options: &ColumnarOptions,
    ) -> Result<Figures, InputError> {
        let tables = batches
            .iter()
            .map(|batch| Columns::of(self, batch, options.ignore_unknown))
            .collect::<Result<Vec<_>, _>>()?;
        let mut tasks = Vec::new();
        let mut first_row = 0;
        for (table, batch) in tables.iter().zip(batches) {
            for start in (0..batch.num_rows()).step_by(CHUNK) {
                let end = (start + CHUNK).min(batch.num_rows());
                tasks.push((table, start..end, first_row + start));
            }
            first_row += batch.num_rows();
        }
        let score = |(table, rows, offset): &(&Columns, std::ops::Range<usize>, usize)| {
            table.score(self, rows.clone(), *offset, options)
        };
        let chunks: Vec<Chunk> = match options.threads {
            Some(1) => tasks.iter().map(score).collect(),
            Some(threads) => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| InputError::Row {
                    row: 0,
                    reason: format!("cannot start {threads} threads: {e}"),
                })?
                .install(|| tasks.par_iter().map(score).collect()),
            None => tasks.par_iter().map(score).collect(),
        };
        Ok(self.assemble(chunks, first_row))
    }

    /// Joins the chunks column by column, freeing each chunk column once copied, so the
    /// peak stays near the size of the output.
    fn assemble(&self, mut chunks: Vec<Chunk>, rows: usize) -> Figures {
        fn join<T>(
            chunks: &mut [Chunk],
            rows: usize,
            take: impl Fn(&mut Chunk) -> Vec<T>,
        ) -> Vec<T> {
            let mut out = Vec::with_capacity(rows);
            for chunk in chunks.iter_mut() {
                out.append(&mut take(chunk));
            }
            out
        }
        let leaves = self.0.leaves.len();
        let mut figures = Figures {
            units: join(&mut chunks, rows, |c| std::mem::take(&mut c.units)),
            periods: join(&mut chunks, rows, |c| std::mem::take(&mut c.periods)),
            errors: join(&mut chunks, rows, |c| std::mem::take(&mut c.errors)),
            points: join(&mut chunks, rows, |c| std::mem::take(&mut c.points)),
            max_points: join(&mut chunks, rows, |c| std::mem::take(&mut c.max_points)),
            index: join(&mut chunks, rows, |c| std::mem::take(&mut c.index)),
            grades: join(&mut chunks, rows, |c| std::mem::take(&mut c.grades)),
            ranks: Vec::new(),
            criteria: (0..leaves)
                .map(|leaf| join(&mut chunks, rows, |c| std::mem::take(&mut c.criteria[leaf])))
                .collect(),
        };
        let keys = figures
            .index
            .iter()
            .zip(&figures.periods)
            .map(|(index, period)| index.map(|i| (period.as_deref(), i)));
        figures.ranks = competition_ranks(keys);
        figures
    }
}

/// The figures of a run of rows, before they are joined.
#[derive(Default)]
struct Chunk {
    units: Vec<Option<String>>,
    periods: Vec<Option<String>>,
    errors: Vec<(usize, InputError)>,
    points: Vec<Decimal>,
    max_points: Vec<Decimal>,
    index: Vec<Option<Decimal>>,
    grades: Vec<Option<usize>>,
    criteria: Vec<Vec<Decimal>>,
}

/// A batch's columns, each typed once.
struct Columns {
    unit: Option<Reader>,
    period: Option<Reader>,
    /// Indicator slot and reader of each indicator column.
    cells: Vec<(usize, Reader)>,
    /// The first column that is not an indicator, when unknown columns fail rows.
    unknown: Option<String>,
}

impl Columns {
    fn of(
        scheme: &Scheme,
        batch: &RecordBatch,
        ignore_unknown: bool,
    ) -> Result<Columns, InputError> {
        let schema = batch.schema();
        let mut columns = Columns {
            unit: None,
            period: None,
            cells: Vec::new(),
            unknown: None,
        };
        for (field, array) in schema.fields().iter().zip(batch.columns()) {
            let name = field.name();
            let reader = || {
                Reader::of(array).ok_or_else(|| InputError::InvalidValue {
                    indicator: name.clone(),
                    reason: format!(
                        "the column holds {} values, which are not numbers, text or yes/no",
                        field.data_type()
                    ),
                })
            };
            match (name.as_str(), scheme.slot(name)) {
                ("unit", _) => columns.unit = Some(reader()?),
                ("period", _) => columns.period = Some(reader()?),
                (_, Some(slot)) => columns.cells.push((slot, reader()?)),
                (_, None) if ignore_unknown => {}
                (_, None) => {
                    columns.unknown.get_or_insert_with(|| name.clone());
                }
            }
        }
        if columns.unit.is_none() {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            return Err(InputError::Row {
                row: 0,
                reason: format!(
                    "the table has no `unit` column (its columns: {})",
                    names.join(", ")
                ),
            });
        }
        Ok(columns)
    }

    fn score(
        &self,
        scheme: &Scheme,
        rows: std::ops::Range<usize>,
        offset: usize,
        options: &ColumnarOptions,
    ) -> Chunk {
        let leaves = scheme.0.leaves.len();
        let n = rows.len();
        let mut chunk = Chunk {
            units: Vec::with_capacity(n),
            periods: Vec::with_capacity(n),
            errors: Vec::new(),
            points: Vec::with_capacity(n),
            max_points: Vec::with_capacity(n),
            index: Vec::with_capacity(n),
            grades: Vec::with_capacity(n),
            criteria: (0..leaves).map(|_| Vec::with_capacity(n)).collect(),
        };
        let mut scorer = Scorer::new(scheme);
        let mut values: Vec<Option<Value>> = vec![None; scheme.indicators().len()];
        let mut text = String::new();
        let score_options = Options {
            strict: options.strict,
        };
        let start = rows.start;
        for i in rows {
            let row = offset + (i - start);
            let unit = self.unit.as_ref().and_then(|r| r.label(i, &mut text));
            let period = self.period.as_ref().and_then(|r| r.label(i, &mut text));
            let outcome = match (&unit, &self.unknown) {
                (None, _) => Err(InputError::Row {
                    row: row + 1,
                    reason: "no `unit`".into(),
                }),
                (_, Some(column)) => Err(InputError::UnknownIndicator(column.clone())),
                _ => self
                    .read(scheme, i, &mut values, &mut text)
                    .and_then(|()| scorer.score_values(&values, &score_options)),
            };
            chunk.units.push(unit);
            chunk.periods.push(period);
            match outcome {
                Ok(score) => {
                    let index = score.index().map(|i| scheme.rounding().round(i));
                    chunk.points.push(score.points);
                    chunk.max_points.push(score.max_points);
                    chunk.grades.push(
                        index.and_then(|i| scheme.grades().iter().position(|g| i >= g.min_index)),
                    );
                    chunk.index.push(index);
                    for (column, points) in chunk.criteria.iter_mut().zip(scorer.leaf_points()) {
                        column.push(*points);
                    }
                }
                Err(error) => {
                    chunk.errors.push((row, error));
                    chunk.points.push(Decimal::ZERO);
                    chunk.max_points.push(Decimal::ZERO);
                    chunk.index.push(None);
                    chunk.grades.push(None);
                    for column in &mut chunk.criteria {
                        column.push(Decimal::ZERO);
                    }
                }
            }
        }
        chunk
    }

    /// Reads row `i` into `values` by slot, checking each cell against its indicator.
    fn read(
        &self,
        scheme: &Scheme,
        i: usize,
        values: &mut [Option<Value>],
        text: &mut String,
    ) -> Result<(), InputError> {
        values.fill(None);
        for (slot, reader) in &self.cells {
            let indicator = &scheme.indicators()[*slot];
            let refuse = |reason| InputError::InvalidValue {
                indicator: indicator.id.clone(),
                reason,
            };
            let value = match reader.cell(i, text).map_err(refuse)? {
                Cell::Missing => None,
                Cell::Value(value) => Some(value),
                Cell::Text(cell) => Value::parse(cell).map_err(refuse)?,
            };
            values[*slot] = value.map(|v| fit(indicator, v)).transpose()?;
        }
        Ok(())
    }
}

/// A column cast once to one of the few types cells are read from.
enum Reader {
    Text(StringArray),
    Bool(BooleanArray),
    Int(PrimitiveArray<Int64Type>),
    UInt(PrimitiveArray<UInt64Type>),
    Float64(PrimitiveArray<Float64Type>),
    Float32(PrimitiveArray<Float32Type>),
    Decimal128(PrimitiveArray<Decimal128Type>, i8),
    Decimal256(PrimitiveArray<Decimal256Type>, i8),
    Null,
}

enum Cell<'a> {
    Missing,
    Value(Value),
    Text(&'a str),
}

impl Reader {
    fn of(array: &ArrayRef) -> Option<Reader> {
        let to = |data_type: &DataType| arrow_cast::cast(array, data_type).ok();
        Some(match array.data_type() {
            DataType::Null => Reader::Null,
            DataType::Utf8 => Reader::Text(array.as_string::<i32>().clone()),
            DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..) => {
                Reader::Text(to(&DataType::Utf8)?.as_string::<i32>().clone())
            }
            DataType::Boolean => Reader::Bool(array.as_boolean().clone()),
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32 => Reader::Int(to(&DataType::Int64)?.as_primitive().clone()),
            DataType::UInt64 => Reader::UInt(array.as_primitive().clone()),
            // float16 and float32 keep their own shortest form: 0.1f32 is read as 0.1.
            DataType::Float16 | DataType::Float32 => {
                Reader::Float32(to(&DataType::Float32)?.as_primitive().clone())
            }
            DataType::Float64 => Reader::Float64(array.as_primitive().clone()),
            DataType::Decimal32(p, s) | DataType::Decimal64(p, s) => {
                let cast = to(&DataType::Decimal128(*p, *s))?;
                Reader::Decimal128(cast.as_primitive().clone(), *s)
            }
            DataType::Decimal128(_, s) => Reader::Decimal128(array.as_primitive().clone(), *s),
            DataType::Decimal256(_, s) => Reader::Decimal256(array.as_primitive().clone(), *s),
            _ => return None,
        })
    }

    fn is_null(&self, i: usize) -> bool {
        match self {
            Reader::Null => true,
            Reader::Text(a) => a.is_null(i),
            Reader::Bool(a) => a.is_null(i),
            Reader::Int(a) => a.is_null(i),
            Reader::UInt(a) => a.is_null(i),
            Reader::Float64(a) => a.is_null(i),
            Reader::Float32(a) => a.is_null(i),
            Reader::Decimal128(a, _) => a.is_null(i),
            Reader::Decimal256(a, _) => a.is_null(i),
        }
    }

    fn cell(&self, i: usize, text: &mut String) -> Result<Cell<'_>, String> {
        if self.is_null(i) {
            return Ok(Cell::Missing);
        }
        let number = |d: Decimal| Ok(Cell::Value(Value::Number(d)));
        match self {
            Reader::Null => Ok(Cell::Missing),
            Reader::Text(a) => Ok(Cell::Text(a.value(i))),
            Reader::Bool(a) => Ok(Cell::Value(Value::Bool(a.value(i)))),
            Reader::Int(a) => number(Decimal::from(a.value(i))),
            Reader::UInt(a) => number(Decimal::from(a.value(i))),
            Reader::Float64(a) => Value::from_f64(a.value(i)).map(Cell::Value),
            Reader::Float32(a) => {
                // Through its own shortest form: 0.1f32 is 0.1, not 0.10000000149011612.
                text.clear();
                std::fmt::Write::write_fmt(text, format_args!("{}", a.value(i))).ok();
                let wide: f64 = text.parse().unwrap_or(f64::NAN);
                Value::from_f64(wide).map(Cell::Value)
            }
            Reader::Decimal128(a, scale) => decimal(a.value(i), *scale).and_then(number),
            Reader::Decimal256(a, scale) => a
                .value(i)
                .to_i128()
                .ok_or_else(|| format!("{} does not fit a decimal", a.value_as_string(i)))
                .and_then(|m| decimal(m, *scale))
                .and_then(number),
        }
    }

    /// A cell as a unit or period label: `2024`, not `2024.0`; `None` when empty.
    fn label(&self, i: usize, text: &mut String) -> Option<String> {
        let label = match self.cell(i, text) {
            Ok(Cell::Missing) | Err(_) => return None,
            Ok(Cell::Text(t)) => t.trim().to_string(),
            Ok(Cell::Value(v)) => v.to_string(),
        };
        (!label.is_empty()).then_some(label)
    }
}

/// An Arrow decimal (integer and scale) as a `Decimal`, exactly or not at all.
fn decimal(mut mantissa: i128, scale: i8) -> Result<Decimal, String> {
    let mut scale = i32::from(scale);
    while scale < 0 {
        mantissa = mantissa
            .checked_mul(10)
            .ok_or("the decimal does not fit 28 digits")?;
        scale += 1;
    }
    // Trailing zeros beyond what a Decimal holds carry no value; anything else would round.
    loop {
        if scale <= 28
            && let Ok(d) = Decimal::try_from_i128_with_scale(mantissa, scale as u32)
        {
            return Ok(d);
        }
        if scale == 0 || mantissa % 10 != 0 {
            return Err("the decimal does not fit 28 digits exactly".into());
        }
        mantissa /= 10;
        scale -= 1;
    }
}
