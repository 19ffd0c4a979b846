//! Where plugins come from: the built-ins embedded in the binary and the
//! `.wasm` files of the plugins directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{LoadError, PluginSource};

/// The bytes of one candidate plugin and where they came from.
#[derive(Clone)]
pub struct PluginFile {
    pub source: PluginSource,
    pub bytes: Arc<[u8]>,
}

impl PluginFile {
    /// How the source is named in messages before the plugin's name is known.
    pub fn describe(&self) -> String {
        self.source.to_string()
    }

    /// The file name (or built-in crate name) used when the plugin's name is unknown.
    pub fn label(&self) -> String {
        match &self.source {
            PluginSource::BuiltIn => "built-in".into(),
            PluginSource::File(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        }
    }
}

/// The built-in plugins, in default pipeline order.
pub fn builtin_files() -> Vec<PluginFile> {
    super::builtin::BUILTIN_PLUGINS
        .iter()
        .map(|(_, bytes)| PluginFile { source: PluginSource::BuiltIn, bytes: Arc::from(*bytes) })
        .collect()
}

/// True for the files the plugins directory loads: `*.wasm`, not hidden.
/// (Install plugins by writing a temporary dotfile and renaming it.)
pub fn is_plugin_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    !name.starts_with('.') && path.extension().is_some_and(|e| e == "wasm")
}

/// Reads every plugin file of `dir`, sorted by file name. A missing directory is empty.
pub fn read_dir(dir: &Path) -> Result<Vec<PluginFile>, Vec<LoadError>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(vec![LoadError {
                plugin: dir.display().to_string(),
                source_desc: "plugins directory".into(),
                reason: format!("cannot read: {e}"),
            }]);
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| is_plugin_file(p)).collect();
    paths.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::read(&path) {
            Ok(bytes) => files.push(PluginFile { source: PluginSource::File(path), bytes: Arc::from(bytes) }),
            Err(e) => errors.push(LoadError {
                plugin: path.display().to_string(),
                source_desc: "plugins directory".into(),
                reason: format!("cannot read: {e}"),
            }),
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}
