//! Record batches counted into a [`Summarizer`]: the one Arrow reader of dossier records,
//! for Parquet and Arrow IPC files and for frames handed over from Python alike.
//!
//! Only the columns the summary needs are read ([`BatchCounter::columns`]). Dates stay typed
//! (days, never written out and parsed again), and a unit column of dictionary-encoded text
//! finds each record's group by its dictionary key, so that a label is matched once per
//! batch rather than once per record.

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema};

use super::cells::ArrowCells;
use crate::cell::{DateForm, RecordCell, TypedDates};
use crate::profile::RowReader;
use crate::record::RecordField;
use crate::summary::{GroupId, RecordError, Summarizer};

/// Fields whose columns hold few distinct texts: worth reading as dictionaries.
const LABEL_FIELDS: [RecordField; 9] = [
    RecordField::Unit,
    RecordField::SubUnit,
    RecordField::Procedure,
    RecordField::Status,
    RecordField::Online,
    RecordField::FullOnline,
    RecordField::PaidOnline,
    RecordField::Payable,
    RecordField::Digitised,
];

/// Counts the records of record batches that hold the columns [`BatchCounter::columns`]
/// chose, in that order.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Date32Array, RecordBatch, StringArray};
/// use parscore_records::{BatchCounter, Calendar, Profile, Summarizer, SummaryOptions};
///
/// let batch = RecordBatch::try_from_iter([
///     ("Đơn vị", Arc::new(StringArray::from(vec!["Sở A", "Sở A"])) as ArrayRef),
///     ("Ngày tiếp nhận", Arc::new(Date32Array::from(vec![19787, 19788]))),
///     ("Ngày hẹn trả", Arc::new(Date32Array::from(vec![19794, 19795]))),
///     ("Ngày có kết quả", Arc::new(Date32Array::from(vec![Some(19790), None]))),
/// ])?;
/// let schema = batch.schema();
/// let header: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
/// let mut reader = Profile::builtin().reader(&header)?;
/// let columns = BatchCounter::columns(&reader, false);
/// let batch = batch.project(&columns)?;
/// let counter = BatchCounter::new(batch.schema().as_ref(), &columns, &reader, false)?;
/// let mut summarizer = Summarizer::new(SummaryOptions::default(), Calendar::vietnam());
/// counter.count(&batch, 0, &mut reader, &mut summarizer)?;
/// let summary = summarizer.finish()?;
/// assert_eq!((summary.groups[0].received, summary.groups[0].resolved), (2, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct BatchCounter {
    /// Per header column: its position in a batch, when read.
    positions: Vec<Option<usize>>,
    /// Per header column: a time zone offset in seconds for timestamps.
    offsets: Vec<i64>,
    typed: TypedDates,
    /// The header column of the unit, when groups can be found by dictionary key.
    unit_by_key: Option<usize>,
}

impl BatchCounter {
    /// The header columns the summary needs, in header order: the dossier code (a code
    /// read twice is a duplicate) and every counted field; not the procedure, or the
    /// sub-unit unless grouping by it, unless the profile requires them in every row. A
    /// reader that checked the codes ahead ([`Summarizer::check_code`]) may leave the code
    /// out, and read back the codes of the bad records only.
    pub fn columns(reader: &RowReader, by_sub_unit: bool) -> Vec<usize> {
        let mut columns: Vec<usize> = RecordField::ALL
            .into_iter()
            .filter(|&field| match field {
                RecordField::Procedure => reader.requires(field),
                RecordField::SubUnit => by_sub_unit || reader.requires(field),
                _ => true,
            })
            .filter_map(|f| reader.column(f))
            .collect();
        columns.sort_unstable();
        columns.dedup();
        columns
    }

    /// A file's schema with its label columns' text asked for as dictionaries (Parquet
    /// decodes each distinct label once per page then); `None` when nothing would change.
    pub fn dictionary_schema(schema: &Schema, reader: &RowReader) -> Option<Schema> {
        let mut changed = false;
        let fields: Vec<Field> = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let label = LABEL_FIELDS.iter().any(|f| reader.column(*f) == Some(i));
                match field.data_type() {
                    DataType::Utf8 | DataType::LargeUtf8 if label => {
                        changed = true;
                        field.as_ref().clone().with_data_type(DataType::Dictionary(
                            Box::new(DataType::Int32),
                            Box::new(field.data_type().clone()),
                        ))
                    }
                    _ => field.as_ref().clone(),
                }
            })
            .collect();
        changed.then(|| Schema::new_with_metadata(fields, schema.metadata().clone()))
    }

    /// Checks that every column read holds something a cell can be: text, a date, a number
    /// or yes/no. `schema` is the batches' own: its fields are the header `columns`, in
    /// order.
    pub fn new(
        schema: &Schema,
        columns: &[usize],
        reader: &RowReader,
        by_sub_unit: bool,
    ) -> Result<BatchCounter, String> {
        if schema.fields().len() != columns.len() {
            return Err(format!(
                "the batches hold {} columns where {} were chosen",
                schema.fields().len(),
                columns.len()
            ));
        }
        let width = columns.iter().max().map_or(0, |m| m + 1);
        let mut positions = vec![None; width];
        let mut offsets = vec![0; width];
        for (position, (&column, field)) in columns.iter().zip(schema.fields()).enumerate() {
            positions[column] = Some(position);
            offsets[column] = ArrowCells::check(field)?;
        }
        let unit_by_key = reader.column(RecordField::Unit).filter(|&unit| {
            let grouped_by_unit = !by_sub_unit || reader.column(RecordField::SubUnit).is_none();
            let dictionary = positions.get(unit).copied().flatten();
            let dictionary = dictionary.map(|p| schema.field(p).data_type());
            grouped_by_unit && matches!(dictionary, Some(DataType::Dictionary(..)))
        });
        Ok(BatchCounter {
            positions,
            offsets,
            typed: TypedDates::new(reader),
            unit_by_key,
        })
    }

    /// Reads every row of a batch (numbered `first_row + 1` on) and counts it. Fails only
    /// where the summarizer does: a bad record in strict mode.
    pub fn count(
        &self,
        batch: &RecordBatch,
        first_row: usize,
        reader: &mut RowReader,
        summarizer: &mut Summarizer,
    ) -> Result<(), RecordError> {
        // Dates of the date fields are kept as days; a date elsewhere reads as its ISO text.
        let columns: Vec<Option<ArrowCells<'_>>> = self
            .positions
            .iter()
            .enumerate()
            .map(|(c, position)| {
                let dates = (!self.typed.is_date_column(c)).then_some(DateForm::Iso);
                let array = position.and_then(|p| batch.columns().get(p))?;
                Some(ArrowCells::new(array, self.offsets[c], dates))
            })
            .collect();
        let cell = |i: usize| {
            let columns = &columns;
            move |c: usize| match columns.get(c) {
                Some(Some(column)) => column.cell(i),
                _ => RecordCell::Null,
            }
        };
        let by_key = self
            .unit_by_key
            .and_then(|u| columns.get(u)?.as_ref()?.dictionary_keys());
        let Some((keys, distinct)) = by_key else {
            for i in 0..batch.num_rows() {
                let read = self.typed.read(reader, first_row + i + 1, cell(i));
                summarizer.push_read(read)?;
            }
            return Ok(());
        };
        let mut groups: Vec<Option<GroupId>> = vec![None; distinct];
        for i in 0..batch.num_rows() {
            match self.typed.read(reader, first_row + i + 1, cell(i)) {
                // A record has a unit, so its key has a value. Its group is found only when
                // it is counted, so that units are met in the order `push` meets them.
                Ok(record) => {
                    let key = keys.get(i).map_or(usize::MAX, |&k| k as usize);
                    summarizer.push_with(&record, |summarizer| {
                        let group = match groups.get_mut(key) {
                            Some(Some(group)) => *group,
                            Some(slot) => *slot.insert(summarizer.group_id(record.unit, None)),
                            None => summarizer.group_id(record.unit, None),
                        };
                        group.index()
                    })?;
                }
                Err(bad) => summarizer.push_bad(bad)?,
            }
        }
        Ok(())
    }
}
