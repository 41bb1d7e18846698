//! Per-rule fixtures: every rule in the registry has `tests/fixtures/rules/<name>/`
//! `invalid.capture` (the rule fires) and `valid.capture` (it does not). The snapshot
//! `tests/snapshots/rules/<name>.snap` holds the rendered diagnostics and, for fixable
//! rules, the text after applying the rule's fixes — which must re-lint clean for that
//! rule, re-parse as a capture, and offer no further fix (idempotence).
//! Update snapshots with `UPDATE_EXPECT=1 cargo test --test rules`.

use std::path::PathBuf;

use capture_lsp::ide::Analysis;
use capture_lsp::ide::diagnostics::{Diagnostic, diagnostics};
use capture_lsp::ide::fixes;
use capture_lsp::ide::rules::{RULES, Rule};
use capture_lsp::syntax::header::looks_like_capture;

fn fixture(rule: &Rule, which: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rules")
        .join(rule.name)
        .join(format!("{which}.capture"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: missing fixture ({e})", path.display()))
}

fn snippet(text: &str, d: &Diagnostic) -> String {
    let s = d.range.slice(text).unwrap_or("<bad range>");
    let mut out: String = s.chars().take(50).collect();
    if s.chars().count() > 50 {
        out.push('…');
    }
    format!("{out:?}")
}

fn render(text: &str, diags: &[Diagnostic]) -> String {
    if diags.is_empty() {
        return "(no diagnostics)\n".into();
    }
    let mut s = String::new();
    for d in diags {
        s.push_str(&format!(
            "{} {} {} {}..{} {}\n  {}\n",
            d.code,
            d.name,
            d.severity.label(),
            d.range.start,
            d.range.end,
            snippet(text, d),
            d.message
        ));
        for f in &d.fixes {
            s.push_str(&format!(
                "  fix: {}{}\n",
                f.title,
                if f.safe { " (safe)" } else { "" }
            ));
        }
    }
    s
}

/// Apply the first fix of every diagnostic of `rule` (non-overlapping ones).
fn fix_rule(text: &str, rule: &Rule) -> Option<String> {
    let analysis = Analysis::new(text);
    let edits: Vec<_> = diagnostics(&analysis)
        .into_iter()
        .filter(|d| d.code == rule.code)
        .filter_map(|d| d.fixes.into_iter().next())
        .flat_map(|f| f.edits)
        .collect();
    (!edits.is_empty()).then(|| fixes::apply(text, &edits))
}

fn check_rule(rule: &Rule) {
    let invalid = fixture(rule, "invalid");
    let valid = fixture(rule, "valid");
    let mut snap = format!("# {} {}\n\n== invalid ==\n", rule.code, rule.name);
    let diags = diagnostics(&Analysis::new(&invalid));
    assert!(
        diags.iter().any(|d| d.code == rule.code),
        "{}: the invalid fixture does not trigger the rule:\n{}",
        rule.name,
        render(&invalid, &diags)
    );
    for d in &diags {
        assert!(
            d.range.slice(&invalid).is_some(),
            "{}: bad range {:?}",
            rule.name,
            d.range
        );
    }
    snap.push_str(&render(&invalid, &diags));
    if rule.fixable {
        let fixed = fix_rule(&invalid, rule)
            .unwrap_or_else(|| panic!("{}: fixable rule offers no fix", rule.name));
        let again = Analysis::new(&fixed);
        let left: Vec<_> = diagnostics(&again)
            .into_iter()
            .filter(|d| d.code == rule.code)
            .collect();
        assert!(
            left.is_empty(),
            "{}: still fires after the fix:\n{}",
            rule.name,
            render(&fixed, &left)
        );
        assert_eq!(
            fix_rule(&fixed, rule),
            None,
            "{}: fix is not idempotent",
            rule.name
        );
        assert_eq!(
            looks_like_capture(&invalid),
            looks_like_capture(&fixed),
            "{}: the fix broke the header",
            rule.name
        );
        snap.push_str("\n== after fix ==\n");
        snap.push_str(&fixed);
    }
    let diags = diagnostics(&Analysis::new(&valid));
    assert!(
        !diags.iter().any(|d| d.code == rule.code),
        "{}: the valid fixture triggers the rule:\n{}",
        rule.name,
        render(&valid, &diags)
    );
    snap.push_str("\n== valid ==\n");
    snap.push_str(&render(&valid, &diags));
    expect_test::expect_file![format!("snapshots/rules/{}.snap", rule.name)].assert_eq(&snap);
}

#[test]
fn every_rule_has_fixtures_and_snapshots() {
    let mut failures = Vec::new();
    for rule in RULES {
        if let Err(e) = std::panic::catch_unwind(|| check_rule(rule)) {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {msg}", rule.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rules failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
