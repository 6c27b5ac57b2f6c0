//! Places and problems as they are printed.

use parscore::{Location, Problem, ProblemKind};

#[test]
fn offsets_become_lines_and_columns() {
    let text = "a = 1\nbé = 2\n";
    assert_eq!(
        Location::of_offset(text, 0),
        Location { line: 1, column: 1 }
    );
    assert_eq!(
        Location::of_offset(text, 6),
        Location { line: 2, column: 1 }
    );
    // the column counts characters, not bytes
    assert_eq!(
        Location::of_offset(text, 10),
        Location { line: 2, column: 4 }
    );
}

#[test]
fn problems_print_place_code_field_and_reason() {
    let problem = Problem {
        location: Some(Location {
            line: 12,
            column: 3,
        }),
        code: Some("III.4.1".into()),
        field: Some("indicator".into()),
        kind: ProblemKind::UnknownIndicator("on_time".into()),
    };
    assert_eq!(
        problem.to_string(),
        "12:3: III.4.1: `indicator`: indicator `on_time` is not declared in [[indicators]]"
    );
}
