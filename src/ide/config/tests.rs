//! Settings tests with the payload shapes real editors send.

use serde_json::json;

use super::*;

#[test]
fn vscode_section_object() {
    // VS Code answers workspace/configuration with the section object, client keys included.
    let (c, problems) = Config::from_json(&json!({
        "rules": {"missing-credit": "off", "CAP204": "warning"},
        "credits": {"markers": ["图片提供"], "agencies": {"路透": "Reuters"}},
        "hover": {"imagePreview": false},
        "largeFileThreshold": 1000,
        "server": {"path": "", "extraArgs": []},
        "trace": {"server": "off"},
        "detectByContent": true
    }));
    assert_eq!(problems, vec![]);
    assert_eq!(c.severity(&rules::MISSING_CREDIT), None);
    assert_eq!(c.severity(&rules::PROXIED_MEDIA), Some(Severity::Warning));
    assert_eq!(c.severity(&rules::EMPTY_EMBED), Some(Severity::Warning));
    assert_eq!(c.credit_markers, ["图片提供"]);
    assert_eq!(c.agencies, [("路透".to_string(), "Reuters".to_string())]);
    assert!(!c.image_preview);
    assert_eq!(c.large_file_threshold, 1000);
}

#[test]
fn neovim_wrapped_payloads() {
    for payload in [
        json!({"capture-lsp": {"rules": {"relative-time": "error"}}}),
        json!({"settings": {"capture-lsp": {"rules": {"relative-time": "error"}}}}),
    ] {
        let (c, problems) = Config::from_json(&payload);
        assert_eq!(problems, vec![], "{payload}");
        assert_eq!(c.severity(&rules::RELATIVE_TIME), Some(Severity::Error));
    }
    // Null (VS Code's didChangeConfiguration) keeps the defaults.
    let (c, problems) = Config::from_json(&serde_json::Value::Null);
    assert!(problems.is_empty());
    assert_eq!(c, Config::default());
}

#[test]
fn unknown_keys_and_bad_values_are_reported() {
    let (c, problems) = Config::from_json(&json!({
        "rules": {"missing-credits": "off", "empty-embed": "loud", "CAP302": "hint"},
        "credits": {"markers": [1, "Foto:"], "colour": 1},
        "hover": {"imagePreview": "yes"},
        "largeFileTreshold": 5
    }));
    let rendered: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        rendered,
        [
            "`credits.colour`: unknown setting, ignored",
            "`credits.markers[0]`: expected a non-empty string",
            "`hover.imagePreview`: expected true or false, got a string",
            "`largeFileTreshold`: unknown setting, ignored",
            "`rules.empty-embed`: expected one of off, hint, info, warning, error; got \"loud\"",
            "`rules.missing-credits`: unknown rule (see `capture-lsp rules`)",
        ]
    );
    // What was valid is kept.
    assert_eq!(c.severity(&rules::EMPTY_LINK), Some(Severity::Hint));
    assert_eq!(c.severity(&rules::EMPTY_EMBED), Some(Severity::Warning));
    assert_eq!(c.credit_markers, ["Foto:"]);
}

#[test]
fn toml_file_and_broken_toml() {
    let (c, problems) = Config::from_toml(
        "largeFileThreshold = 10\n[rules]\nmissing-credit = \"hint\"\nCAP501 = \"off\"\n[credits.agencies]\n\"美联\" = \"AP\"\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(c.severity(&rules::MISSING_CREDIT), Some(Severity::Hint));
    assert_eq!(c.severity(&rules::GLUED_ATTRIBUTES), None);
    assert_eq!(c.agencies, [("美联".to_string(), "AP".to_string())]);
    assert_eq!(c.large_file_threshold, 10);

    let (c, problems) = Config::from_toml("[rules\nmissing-credit = ");
    assert_eq!(c, Config::default());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .message
            .starts_with("invalid TOML, defaults kept"),
        "{problems:?}"
    );
}

#[test]
fn layering() {
    let (mut c, _) = Config::from_toml("[rules]\nmissing-credit = \"hint\"\n");
    let problems = c.merge_json(&json!({"rules": {"missing-credit": "error"}}));
    assert!(problems.is_empty());
    assert_eq!(c.severity(&rules::MISSING_CREDIT), Some(Severity::Error));
    assert_eq!(c.explicit_severity(&rules::RELATIVE_URL), None);
}
