//! Cells read into values: every cell form, the yes/no vocabulary in any case and Unicode form,
//! and what cannot be read exactly refused.

use parscore::Value;
use rust_decimal::dec;

#[test]
fn parses_every_cell_form() {
    assert_eq!(Value::parse(" 98.7 "), Ok(Some(Value::Number(dec!(98.7)))));
    assert_eq!(Value::parse("98.7%"), Ok(Some(Value::Number(dec!(98.7)))));
    assert_eq!(Value::parse("1e2"), Ok(Some(Value::Number(dec!(100)))));
    assert_eq!(
        Value::parse("987/1000"),
        Ok(Some(Value::Ratio {
            num: dec!(987),
            den: dec!(1000)
        }))
    );
    assert_eq!(Value::parse("Có"), Ok(Some(Value::Bool(true))));
    assert_eq!(Value::parse("false"), Ok(Some(Value::Bool(false))));
    assert_eq!(Value::parse("N/A"), Ok(Some(Value::NotApplicable)));
    assert_eq!(
        Value::parse("Không Áp Dụng"),
        Ok(Some(Value::NotApplicable))
    );
    assert_eq!(Value::parse(" KHÔNG ĐẠT "), Ok(Some(Value::Bool(false))));
    assert_eq!(Value::parse("Yes"), Ok(Some(Value::Bool(true))));
    assert!(Value::parse("nah").is_err());
    assert_eq!(Value::parse("0/0"), Ok(Some(Value::NotApplicable)));
    assert_eq!(Value::parse(""), Ok(None));
}

proptest::proptest! {
    #[test]
    fn words_are_read_in_any_case_and_form(
        word in proptest::sample::select(
            [parscore::text::YES, parscore::text::NO, parscore::text::NOT_APPLICABLE].concat()
        ),
        upper in proptest::collection::vec(proptest::bool::ANY, 16),
        decompose: bool,
    ) {
        use unicode_normalization::UnicodeNormalization;
        let cased: String = word
            .chars()
            .zip(upper.iter().cycle())
            .map(|(c, &up)| if up { c.to_uppercase().to_string() } else { c.to_string() })
            .collect();
        let typed: String = if decompose { cased.nfd().collect() } else { cased };
        let expected = Value::parse(word).unwrap();
        proptest::prop_assert_eq!(Value::parse(&typed).unwrap(), expected);
        // The digits of the vocabulary stay numbers: a yes/no indicator reads 1 and 0 as
        // yes and no when it is set.
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            proptest::prop_assert!(matches!(expected, Some(Value::Number(_))));
        } else {
            proptest::prop_assert!(matches!(expected, Some(Value::Bool(_) | Value::NotApplicable)));
        }
    }
}

#[test]
fn the_vocabulary_of_records_reads_in_unit_inputs() {
    for (cell, value) in [
        ("x", Value::Bool(true)),
        ("✓", Value::Bool(true)),
        ("đúng", Value::Bool(true)),
        ("sai", Value::Bool(false)),
        ("co\u{301}", Value::Bool(true)),
        ("Chưa", Value::Bool(false)),
    ] {
        assert_eq!(Value::parse(cell), Ok(Some(value)), "{cell}");
    }
}

#[test]
fn refuses_what_it_cannot_read_exactly() {
    assert!(Value::parse("98,7").unwrap_err().contains("ambiguous"));
    assert!(Value::parse("abc").unwrap_err().contains("not a number"));
    let tiny = Value::parse("0.0000000000000000000000000000001").unwrap_err();
    assert!(tiny.contains("28 decimal places"), "{tiny}");
    assert!(
        Value::parse("1001/1000")
            .unwrap_err()
            .contains("more than the whole")
    );
    assert!(Value::parse("5/0").unwrap_err().contains("no denominator"));
    assert!(Value::parse("1.5/3").unwrap_err().contains("whole numbers"));
    assert!(Value::parse("-1/3").unwrap_err().contains("negative"));
}

#[test]
fn floats_read_as_typed() {
    let number = |f| match Value::from_f64(f) {
        Ok(Value::Number(d)) => d.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(number(0.1), "0.1");
    assert_eq!(number(98.7), "98.7");
    assert_eq!(number(100.0), "100");
    assert_eq!(number(-2.5), "-2.5");
    assert_eq!(number(1e-12), "0.000000000001");
    assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
    assert_eq!(number(1e14), "100000000000000");
    assert!(
        Value::from_f64(f64::INFINITY)
            .unwrap_err()
            .contains("not a number")
    );
    assert!(Value::from_f64(1e300).unwrap_err().contains("too large"));
    assert!(
        Value::from_f64(1e-40)
            .unwrap_err()
            .contains("28 decimal places")
    );
}

#[test]
fn ratio_reads_as_percentage() {
    let v = Value::parse("1/3").unwrap().unwrap();
    assert_eq!(v.as_decimal().unwrap().round_dp(4), dec!(33.3333));
}
