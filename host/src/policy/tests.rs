use std::path::Path;

use serde_json::json;

use super::*;
use crate::config::Config;

/// The reference policy of `POST /api/v1/policies`, written as YAML.
const REFERENCE_YAML: &str = "\
name: Restrict production writes after hours
description: Require approval for write operations outside business hours
rules:
  - conditions:
      - { field: tool, operator: contains, value: write }
      - { field: mcp_server, operator: equals, value: production-db }
      - { field: time, operator: not_in, value: \"09:00-18:00\" }
    action: REQUIRE_APPROVAL
";

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn load(dir: &Path) -> Result<PolicySet, crate::config::ConfigError> {
    load_dir(dir, None, None)
}

#[test]
fn the_yaml_reference_policy_is_the_json_of_the_api() {
    let dir = dir_with(&[("after-hours.yaml", REFERENCE_YAML)]);
    let set = load(dir.path()).unwrap();
    let api = json!({
      "name": "Restrict production writes after hours",
      "description": "Require approval for write operations outside business hours",
      "rules": [{
          "conditions": [
            { "field": "tool", "operator": "contains", "value": "write" },
            { "field": "mcp_server", "operator": "equals", "value": "production-db" },
            { "field": "time", "operator": "not_in", "value": "09:00-18:00" }
          ],
          "action": "REQUIRE_APPROVAL"
      }]
    });
    assert_eq!(set.documents.len(), 1);
    assert_eq!(set.documents[0].document, api);
    assert_eq!(warden_policy_engine::policy_version(&set.documents[0].document), warden_policy_engine::policy_version(&api));
    assert_eq!(set.engine_config(), json!({"timezone": "UTC", "policies": [api]}));
}

#[test]
fn files_hold_several_documents_and_only_policy_files_load() {
    let dir = dir_with(&[
        ("b.yaml", "name: b1\nrules: [{action: ALLOW}]\n---\nname: b2\nrules: [{action: DENY}]\n"),
        ("a.yml", "name: a\nrules: [{action: ALLOW}]\n"),
        ("c.json", r#"{"name": "c", "rules": [{"action": "LOG_ONLY"}]}"#),
        ("notes.txt", "not a policy"),
        (".hidden.yaml", "garbage: ["),
        ("examples/x.yaml", "name: example\nrules: [{action: DENY}]\n"),
    ]);
    let set = load(dir.path()).unwrap();
    let names: Vec<&str> = set.documents.iter().map(PolicyDocument::name).collect();
    assert_eq!(names, ["a", "b1", "b2", "c"]);
    assert_eq!(set.documents[2].line, 4, "the second document of b.yaml starts on line 4");
    assert!(load(&dir.path().join("missing")).unwrap().documents.is_empty());
}

#[test]
fn an_unknown_field_is_reported_at_its_line_and_column() {
    let text = REFERENCE_YAML.replace("{ field: tool,", "{ field: tol,");
    let dir = dir_with(&[("x.yaml", &text)]);
    let err = load(dir.path()).unwrap_err();
    assert_eq!((err.line, err.column), (5, 18), "{err}");
    let shown = err.to_string();
    let expected = "x.yaml:5:18: policy `Restrict production writes after hours`: rule 1: condition 1: unknown field `tol` (did you mean `tool`?)";
    assert!(shown.ends_with(expected) || shown.contains(expected), "{shown}");
    assert!(shown.starts_with(&dir.path().join("x.yaml").display().to_string()), "{shown}");
}

#[test]
fn mistakes_point_at_the_key_or_value_in_error() {
    let cases = [
        // (document, line, column, message fragment)
        ("name: p\nrules:\n  - action: DENY\n    conditons: []\n", 4, 5, "rule 1: unknown key `conditons` in a rule"),
        ("name: p\nrules:\n  - action: DENI\n", 3, 13, "rule 1: unknown action `DENI`"),
        ("name: p\nrules:\n  - action: DENY\n    conditions:\n      - field: tool\n        operator: matches\n        value: \"(x\"\n", 7, 16, "condition 1: invalid regular expression"),
        ("name: p\nrules:\n  - action: DENY\n    conditions:\n      - field: time\n        operator: in\n        value: 25:00-03:00\n", 7, 16, "is not a time range"),
        ("name: p\nmode: audit\nrules: [{action: DENY}]\n", 2, 7, "unknown mode `audit`"),
        ("name: p\nrules:\n  - action: RATE_LIMIT\n    capacity: 10\n    per: fortnight\n", 5, 10, "`per` must be"),
    ];
    for (text, line, column, fragment) in cases {
        let dir = dir_with(&[("p.yaml", text)]);
        let err = load(dir.path()).unwrap_err();
        assert!(err.message.contains(fragment), "{err}");
        assert!(err.message.starts_with("policy `p`: "), "{err}");
        assert_eq!((err.line, err.column), (line, column), "{err}");
    }
}

#[test]
fn yaml_syntax_errors_name_the_file_and_line() {
    let dir = dir_with(&[("bad.yaml", "name: p\nrules:\n  - action: [DENY\n")]);
    let err = load(dir.path()).unwrap_err();
    assert!(err.file.ends_with("bad.yaml"), "{err}");
    assert!(err.line >= 3, "{err}");
}

#[test]
fn a_policy_name_is_used_once_across_files() {
    let dir = dir_with(&[("a.yaml", "name: same\nrules: [{action: ALLOW}]\n"), ("b.yaml", "\nname: same\nrules: [{action: DENY}]\n")]);
    let err = load(dir.path()).unwrap_err();
    assert!(err.file.ends_with("b.yaml"), "{err}");
    assert_eq!(err.line, 2);
    assert!(err.message.contains("another policy has this name, at ") && err.message.contains("a.yaml:1"), "{err}");
}

#[test]
fn the_config_file_loads_its_policies_directory_and_time_zone() {
    let home = dir_with(&[
        ("warden.yaml", "policy:\n  dir: rules\n  timezone: Europe/Paris\n"),
        ("rules/after-hours.yaml", REFERENCE_YAML),
    ]);
    let config = Config::load(&home.path().join("warden.yaml")).unwrap();
    assert_eq!(config.policy.dir, home.path().join("rules"));
    assert_eq!(config.policies.documents.len(), 1);
    assert_eq!(config.policies.engine_config()["timezone"], "Europe/Paris");
}

#[test]
fn a_bad_time_zone_is_reported_in_the_config_file() {
    let home = dir_with(&[("warden.yaml", "policy:\n  timezone: Europe/Pariss\n")]);
    let err = Config::load(&home.path().join("warden.yaml")).unwrap_err();
    assert!(err.file.ends_with("warden.yaml"), "{err}");
    assert_eq!(err.line, 2, "{err}");
    assert!(err.message.contains("policy.timezone: unknown time zone `Europe/Pariss`"), "{err}");
}

#[test]
fn the_engine_is_configured_from_policies_not_from_the_pipeline() {
    let home = dir_with(&[("warden.yaml", "pipeline:\n  - name: policy-engine\n    config: {policies: []}\n")]);
    let err = Config::load(&home.path().join("warden.yaml")).unwrap_err();
    assert!(err.message.contains("takes its configuration from `policy:`"), "{err}");
    assert_eq!(err.line, 2, "{err}");
}

#[test]
fn the_shipped_policies_load() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("policies");
    let defaults = load(&repo).unwrap();
    let names: Vec<&str> = defaults.documents.iter().map(PolicyDocument::name).collect();
    assert_eq!(
        names,
        [
            "Allow the MCP protocol",
            "Allow tool use by identified agents",
            "Block critical threats",
            "Mask secrets in responses",
            "Mask PII for agents without pii:read"
        ]
    );
    let examples = load(&repo.join("examples")).unwrap();
    assert_eq!(examples.documents.iter().map(PolicyDocument::name).collect::<Vec<_>>(), ["Restrict production writes after hours"]);
}
