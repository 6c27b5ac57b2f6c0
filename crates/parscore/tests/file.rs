//! Scheme numbers ([`Num`]) read exactly from TOML and JSON, and written back to the same
//! decimal.

use std::str::FromStr;

use parscore::Decimal;
use parscore::file::Num;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Holder {
    n: Num,
}

#[test]
fn numbers_read_exactly_from_toml_and_json() {
    let t: Holder = toml::from_str("n = 11.6").unwrap();
    assert_eq!(t.n.to_string(), "11.6");
    let j: Holder = serde_json::from_str(r#"{"n": 0.1000000000000000000001}"#).unwrap();
    assert_eq!(j.n.to_string(), "0.1000000000000000000001");
    let s: Holder = toml::from_str("n = \"2.3333\"").unwrap();
    assert_eq!(s.n.to_string(), "2.3333");
}

#[test]
fn numbers_write_back_to_the_same_decimal() {
    for text in ["2.5", "11.6", "0.0001", "20", "0.1000000000000000000001"] {
        let holder = Holder {
            n: Num(Decimal::from_str(text).unwrap()),
        };
        let toml_text = toml::to_string(&holder).unwrap();
        assert_eq!(toml::from_str::<Holder>(&toml_text).unwrap(), holder);
        let json_text = serde_json::to_string(&holder).unwrap();
        assert_eq!(serde_json::from_str::<Holder>(&json_text).unwrap(), holder);
    }
}
