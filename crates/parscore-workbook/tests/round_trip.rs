//! A scheme written as a workbook reads back as the same scheme, exactly.

use parscore::Scheme;
use parscore_workbook::{read_scheme, write_scheme};

fn round_trip(scheme: &Scheme) {
    let bytes = write_scheme(scheme).unwrap();
    let read = match read_scheme(&bytes) {
        Ok(read) => read,
        Err(error) => panic!("{} does not read back:\n{error}", scheme.id()),
    };
    assert_eq!(read.file(), scheme.file(), "{}", scheme.id());
    assert_eq!(read.to_toml().unwrap(), scheme.to_toml().unwrap());
}

#[test]
fn the_built_in_plan_reads_back() {
    round_trip(&Scheme::builtin("lang-son-snn-2024").unwrap());
}

#[test]
fn every_golden_scheme_and_every_key_read_back() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests");
    let mut paths = vec![format!("{root}/schemes/every-key.toml")];
    for entry in std::fs::read_dir(format!("{root}/golden")).unwrap() {
        let path = entry.unwrap().path().join("scheme.toml");
        if path.exists() {
            paths.push(path.display().to_string());
        }
    }
    assert!(paths.len() >= 5, "{paths:?}");
    for path in paths {
        let scheme = Scheme::from_toml(&std::fs::read_to_string(&path).unwrap()).unwrap();
        round_trip(&scheme);
    }
}
