//! Reading the policies directory and checking every document with the
//! engine's own compiler, so a mistake is reported at its file, line and
//! column before the Wasm engine ever sees it.

use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;
use warden_policy_engine::Engine;

use super::yaml::{Node, locate};
use super::{DEFAULT_TIMEZONE, PolicyDocument, PolicySet};
use crate::config::ConfigError;

/// True for the files the policies directory loads: `*.yaml`, `*.yml` and
/// `*.json`, not hidden. Subdirectories (such as `examples/`) are not read.
pub fn is_policy_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    !name.starts_with('.') && path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
}

/// Loads and checks every policy document of `dir` (a missing directory has
/// none). `timezone` is `policy.timezone` of `config_file`.
pub fn load_dir(dir: &Path, timezone: Option<&Spanned<String>>, config_file: Option<&Path>) -> Result<PolicySet, ConfigError> {
    let mut documents: Vec<(PathBuf, Spanned<Node>)> = Vec::new();
    for file in policy_files(dir)? {
        let text = std::fs::read_to_string(&file).map_err(|e| ConfigError::io(&file, &e))?;
        let parsed: Vec<Spanned<Node>> = serde_saphyr::from_multiple(&text).map_err(|e| ConfigError::from_yaml(&file, &e))?;
        documents.extend(parsed.into_iter().map(|doc| (file.clone(), doc)));
    }
    let set = PolicySet {
        documents: documents
            .iter()
            .map(|(file, doc)| PolicyDocument { file: file.clone(), line: doc.referenced.line(), document: doc.value.to_json() })
            .collect(),
        timezone: timezone.map(|t| t.value.clone()).unwrap_or_else(|| DEFAULT_TIMEZONE.to_string()),
    };
    check_unique_names(&set, &documents)?;
    if let Err(e) = Engine::compile(&set.engine_config()) {
        return Err(match e.policy.and_then(|i| documents.get(i)) {
            Some((file, doc)) => ConfigError::at(file, &locate(doc, &e.path), e.to_string()),
            None => {
                let file = config_file.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("warden.yaml"));
                let message = format!("policy.timezone: {}", e.message);
                match timezone {
                    Some(t) => ConfigError::at(&file, &t.referenced, message),
                    None => ConfigError::plain(&file, message),
                }
            }
        });
    }
    Ok(set)
}

/// The policy files of `dir`, sorted by name.
fn policy_files(dir: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ConfigError::plain(dir, format!("cannot read the policies directory: {e}"))),
    };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file() && is_policy_file(p)).collect();
    files.sort();
    Ok(files)
}

/// Names identify policies in decisions and the audit trail: one per name.
fn check_unique_names(set: &PolicySet, documents: &[(PathBuf, Spanned<Node>)]) -> Result<(), ConfigError> {
    for (i, doc) in set.documents.iter().enumerate() {
        let name = doc.name();
        if name.is_empty() {
            continue;
        }
        if let Some(first) = set.documents[..i].iter().find(|d| d.name() == name) {
            let (file, node) = &documents[i];
            let at = locate(node, &[warden_policy_engine::PathStep::Key("name".into())]);
            return Err(ConfigError::at(
                file,
                &at,
                format!("policy `{name}`: another policy has this name, at {}:{}", first.file.display(), first.line),
            ));
        }
    }
    Ok(())
}
