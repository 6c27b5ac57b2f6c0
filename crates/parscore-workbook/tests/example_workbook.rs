//! The built-in plan's workbook in examples/data, the one docs/workbooks.md shows, is the
//! built-in plan. `PARSCORE_BLESS=1` writes it anew after the plan changes.

use parscore::Scheme;
use parscore_workbook::{read_scheme, write_scheme};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/data/lang-son-snn-2024.xlsx"
);

#[test]
fn the_example_workbook_is_the_built_in_plan() {
    let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
    if std::env::var_os("PARSCORE_BLESS").is_some() {
        std::fs::write(PATH, write_scheme(&scheme).unwrap()).unwrap();
    }
    let bytes = std::fs::read(PATH).expect("examples/data/lang-son-snn-2024.xlsx");
    let read = read_scheme(&bytes).unwrap();
    assert_eq!(
        read.file(),
        scheme.file(),
        "examples/data/lang-son-snn-2024.xlsx is not the built-in plan: rewrite it with \
         PARSCORE_BLESS=1 cargo test -p parscore-workbook --test example_workbook"
    );
}
