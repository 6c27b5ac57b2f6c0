//! The schemes embedded in the library.

use parscore::Scheme;

#[test]
fn every_builtin_loads_under_its_id() {
    for id in parscore::builtin_ids() {
        let scheme = Scheme::builtin(id).unwrap_or_else(|e| panic!("{id}:\n{e}"));
        assert_eq!(scheme.id(), id);
    }
}
