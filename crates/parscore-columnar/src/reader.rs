//! Reading one cell of an Arrow column as the value it holds, for every column type a frame
//! or a file may give: the general path, which the fast lanes fall back to.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Decimal256Type, Float32Type, Float64Type, Int64Type, UInt64Type,
};
use std::ops::Range;

use arrow_array::builder::StringBuilder;
use arrow_array::{Array, ArrayRef, BooleanArray, PrimitiveArray, StringArray};
use arrow_schema::DataType;
use rust_decimal::Decimal;

use parscore::Value;

/// A column cast once to one of the few types cells are read from.
pub(super) enum Reader {
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

pub(super) enum Raw<'a> {
    Missing,
    Value(Value),
    Text(&'a str),
}

impl Reader {
    pub(super) fn of(array: &ArrayRef) -> Option<Reader> {
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

    pub(super) fn is_null(&self, i: usize) -> bool {
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

    pub(super) fn raw(&self, i: usize, text: &mut String) -> Result<Raw<'_>, String> {
        if self.is_null(i) {
            return Ok(Raw::Missing);
        }
        let number = |d: Decimal| Ok(Raw::Value(Value::Number(d)));
        match self {
            Reader::Null => Ok(Raw::Missing),
            Reader::Text(a) => Ok(Raw::Text(a.value(i))),
            Reader::Bool(a) => Ok(Raw::Value(Value::Bool(a.value(i)))),
            Reader::Int(a) => number(Decimal::from(a.value(i))),
            Reader::UInt(a) => number(Decimal::from(a.value(i))),
            Reader::Float64(a) => Value::from_f64(a.value(i)).map(Raw::Value),
            Reader::Float32(a) => {
                // Through its own shortest form: 0.1f32 is 0.1, not 0.10000000149011612.
                text.clear();
                std::fmt::Write::write_fmt(text, format_args!("{}", a.value(i))).ok();
                let wide: f64 = text.parse().unwrap_or(f64::NAN);
                Value::from_f64(wide).map(Raw::Value)
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

    /// The labels of `rows` (see [`Reader::label`]). A text column whose labels need no
    /// trimming and none of which is empty, as most are, is handed back as a slice of itself
    /// instead of being copied label by label.
    pub(super) fn labels(&self, rows: Range<usize>, text: &mut String) -> StringArray {
        if let Reader::Text(a) = self {
            let slice = a.slice(rows.start, rows.len());
            let verbatim = |label: &str| {
                !label.is_empty()
                    && !label.starts_with(char::is_whitespace)
                    && !label.ends_with(char::is_whitespace)
            };
            if slice.null_count() == 0 && (0..slice.len()).all(|i| verbatim(slice.value(i))) {
                return slice;
            }
        }
        let mut labels = StringBuilder::with_capacity(rows.len(), rows.len() * 8);
        for i in rows {
            labels.append_option(self.label(i, text));
        }
        labels.finish()
    }

    /// A cell as a unit or period label: `2024`, not `2024.0`; `None` when empty.
    pub(super) fn label<'a>(&'a self, i: usize, text: &'a mut String) -> Option<&'a str> {
        let label = match self.raw(i, text) {
            Ok(Raw::Missing) | Err(_) => return None,
            Ok(Raw::Text(t)) => t.trim(),
            Ok(Raw::Value(v)) => {
                text.clear();
                std::fmt::Write::write_fmt(text, format_args!("{v}")).ok();
                text.as_str()
            }
        };
        (!label.is_empty()).then_some(label)
    }
}

/// An Arrow decimal (integer and scale) as a `Decimal`, exactly or not at all.
pub(super) fn decimal(mut mantissa: i128, scale: i8) -> Result<Decimal, String> {
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
