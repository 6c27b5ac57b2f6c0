//! How the core's values and statuses are written in the comparison's JSON: a value as the
//! results document writes a cell (`true`/`false`, else its exact text: `"98.7"`,
//! `"9899/10000"`, `"n/a"`), a status by its name (`scored`, `missing`, `not_applicable`).
//! Both read back to what they were.

use parscore::text::nfc;
use parscore::{Status, Value};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A unit's name as units are matched: NFC, trimmed.
pub(crate) fn unit_key(name: &str) -> String {
    nfc(name.trim()).into_owned()
}

/// `Option<Value>`: `null`, a bool, or the value's exact text.
pub(crate) mod value {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Written {
        Bool(bool),
        Text(String),
    }

    pub fn serialize<S: Serializer>(value: &Option<Value>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            None => s.serialize_none(),
            Some(Value::Bool(b)) => s.serialize_some(&Written::Bool(*b)),
            Some(other) => s.serialize_some(&Written::Text(other.to_string())),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        match Option::<Written>::deserialize(d)? {
            None => Ok(None),
            Some(Written::Bool(b)) => Ok(Some(Value::Bool(b))),
            Some(Written::Text(text)) => Value::parse(&text).map_err(D::Error::custom),
        }
    }
}

/// A criterion's status by name.
pub(crate) mod status {
    use super::*;

    pub fn serialize<S: Serializer>(status: &Status, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(status.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Status, D::Error> {
        let name = String::deserialize(d)?;
        [Status::Scored, Status::Missing, Status::NotApplicable]
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| D::Error::custom(format!("`{name}` is not a criterion status")))
    }
}
