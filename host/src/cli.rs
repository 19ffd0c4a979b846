//! The `warden` command line.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::pipeline::engine::PluginEngine;
use crate::pipeline::state::PluginStateStore;
use crate::pipeline::{Phase, PipelineBuilder, PipelineHandle, PluginKind, PluginSource, catalog};
use crate::scan::{ScanTarget, report, scan_message};

mod audit;

#[derive(Parser)]
#[command(name = "warden", version, about = "MCP security gateway with sandboxed WebAssembly detectors and policies")]
struct Cli {
    /// Log filter (tracing EnvFilter syntax), e.g. `info` or `warden=debug`. Also RUST_LOG.
    #[arg(long, global = true, env = "WARDEN_LOG", default_value = "info")]
    log: String,
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the size of the `scan` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Runs the gateway.
    Serve {
        /// Configuration file (default: embedded defaults, relative to the current directory).
        #[arg(long, short)]
        config: Option<PathBuf>,
    },
    /// Serves one MCP client on standard input/output (for clients that launch
    /// Warden as a local process). Logs go to standard error.
    Stdio {
        /// Configuration file (default: embedded defaults, relative to the current directory).
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// The server to reach; without it, every server through one aggregated session.
        #[arg(long)]
        server: Option<String>,
    },
    /// Inspects plugins.
    Plugins {
        #[command(subcommand)]
        command: PluginsCommand,
    },
    /// Runs the pipeline and policies on one JSON-RPC message and prints findings and decision as JSON.
    Scan {
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Phase to inspect at (default: inferred from the message).
        #[arg(long)]
        phase: Option<PhaseArg>,
        /// Upstream server name to attribute the message to.
        #[arg(long, default_value = "cli")]
        server: String,
        /// Tool name (default: params.name of the message).
        #[arg(long)]
        tool: Option<String>,
        /// Agent id.
        #[arg(long, default_value = "cli")]
        agent: String,
        /// The agent's type, as policies see it (`agent_type`).
        #[arg(long, default_value = "")]
        agent_type: String,
        /// A permission of the agent (`agent_permissions`); repeat for several.
        #[arg(long = "permission", value_name = "PERMISSION")]
        permissions: Vec<String>,
        /// A label of the agent as KEY=VALUE (`agent_labels`); repeat for several.
        #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
        labels: Vec<(String, String)>,
        /// A tag of the server (`server_tags`); repeat for several.
        #[arg(long = "server-tag", value_name = "TAG")]
        server_tags: Vec<String>,
        /// The client's IP address (`client_ip`).
        #[arg(long, default_value = "")]
        client_ip: String,
        /// When the message is received, as an RFC 3339 timestamp
        /// (`2025-06-02T20:00:00+02:00`), for `time` and `day_of_week` conditions (default: now).
        #[arg(long, value_parser = parse_timestamp)]
        at: Option<u64>,
        /// The message file; `-` or absent reads standard input.
        file: Option<PathBuf>,
    },
    /// Measures the detectors on labeled samples (JSON Lines): TP/FP/FN/TN, precision, recall, F1 per category.
    Eval {
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Print one JSON object keyed by category.
        #[arg(long)]
        json: bool,
        /// Samples file(s).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Validates configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Verifies, exports and signs the audit trail.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
}

#[derive(Subcommand)]
enum PluginsCommand {
    /// Lists the plugins the configuration loads, in pipeline order.
    List {
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Writes the built-in plugins to DIR as `<name>.wasm`.
    Export { dir: PathBuf },
    /// Loads a plugin file, checks it and prints what it is.
    Check {
        file: PathBuf,
        /// Configuration to pass to `configure`, as JSON.
        #[arg(long, default_value = "{}")]
        plugin_config: String,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validates a configuration file, including every plugin it loads.
    Check { file: PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
enum PhaseArg {
    Request,
    Response,
    ToolListing,
    ServerRequest,
}

impl From<PhaseArg> for Phase {
    fn from(p: PhaseArg) -> Phase {
        match p {
            PhaseArg::Request => Phase::Request,
            PhaseArg::Response => Phase::Response,
            PhaseArg::ToolListing => Phase::ToolListing,
            PhaseArg::ServerRequest => Phase::ServerRequest,
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log);
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| filter.to_string());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .try_init();
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Serve { config } => {
            let (config, path) = load_config(config.as_deref())?;
            crate::server::serve(config, path)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stdio { config, server } => {
            let (config, path) = load_config(config.as_deref())?;
            stdio(config, path, server.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plugins { command: PluginsCommand::List { config, json } } => plugins_list(config.as_deref(), json),
        Command::Plugins { command: PluginsCommand::Export { dir } } => plugins_export(&dir),
        Command::Plugins { command: PluginsCommand::Check { file, plugin_config } } => plugins_check(&file, &plugin_config),
        Command::Scan { config, phase, server, tool, agent, agent_type, permissions, labels, server_tags, client_ip, at, file } => {
            let target = ScanTarget {
                phase: phase.map(Into::into),
                server,
                tool,
                agent,
                session: "cli".into(),
                agent_type,
                permissions,
                labels,
                server_tags,
                client_ip,
            };
            scan(config.as_deref(), &target, at, file.as_deref())
        }
        Command::Config { command: ConfigCommand::Check { file } } => config_check(&file),
        Command::Eval { config, json, files } => eval(config.as_deref(), json, &files),
        Command::Audit { command } => audit::run(command),
    }
}

/// `warden stdio`: one session on standard input/output.
fn stdio(config: Config, path: Option<PathBuf>, server: Option<&str>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    runtime.block_on(async move {
        let proxy_config = config.clone();
        let handle = start_pipeline(config, path)?;
        let proxy = crate::proxy::Proxy::new(handle, &proxy_config).context("preparing the MCP servers")?;
        let route = match proxy.route(server) {
            Some(route) => route,
            None => bail!("no server named `{}` in the configuration", server.unwrap_or_default()),
        };
        crate::proxy::downstream::stdio::serve(proxy, route, tokio::io::stdin(), tokio::io::stdout())
            .await
            .context("connecting to the upstream server")
    })
}

/// Loads `path`, or the embedded defaults relative to the current directory,
/// with the policy documents of the policies directory.
pub fn load_config(path: Option<&Path>) -> Result<(Config, Option<PathBuf>)> {
    match path {
        Some(path) => Ok((Config::load(path)?, Some(path.to_path_buf()))),
        None => {
            let mut config = Config::embedded(&std::env::current_dir()?);
            config.load_policies(None)?;
            Ok((config, None))
        }
    }
}

/// Starts the engine and builds the first pipeline.
pub fn start_pipeline(config: Config, path: Option<PathBuf>) -> Result<Arc<PipelineHandle>> {
    let engine = PluginEngine::new(Some(config.cache_dir())).context("starting the Wasm engine")?;
    let builder = PipelineBuilder::new(engine, Arc::new(PluginStateStore::new()));
    PipelineHandle::start(builder, config, path).map_err(|e| {
        for error in &e.0 {
            tracing::error!(plugin = %error.plugin, source = %error.source_desc, reason = %error.reason, "plugin failed to load");
        }
        anyhow::anyhow!("the pipeline could not be built: {e}")
    })
}

fn plugins_list(config: Option<&Path>, json: bool) -> Result<ExitCode> {
    let (config, path) = load_config(config)?;
    let handle = start_pipeline(config, path)?;
    let pipeline = handle.current();
    let rows: Vec<serde_json::Value> = pipeline
        .stages()
        .map(|stage| {
            let p = stage.pool.plugin();
            let info = p.info();
            serde_json::json!({
                "name": info.name,
                "version": info.version,
                "kind": p.kind(),
                "source": match p.source() { PluginSource::BuiltIn => "built-in".to_string(), other => other.to_string() },
                "sha256": p.sha256(),
                "categories": info.categories,
                "rules": info.rule_count,
                "enabled": stage.enabled,
                "phases": stage.phases.iter().map(|ph| crate::scan::phase_name(*ph)).collect::<Vec<_>>(),
                "description": info.description,
            })
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:<16} {:<9} {:<9} {:>6}  {:<14} {:<24} SOURCE", "NAME", "VERSION", "KIND", "RULES", "SHA256", "CATEGORIES");
    let mut total = 0u64;
    for r in &rows {
        let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
        let cats: Vec<&str> = r["categories"].as_array().map(|a| a.iter().filter_map(|c| c.as_str()).collect()).unwrap_or_default();
        let rules = r["rules"].as_u64().unwrap_or(0);
        total += rules;
        let name = if r["enabled"] == serde_json::Value::Bool(false) { format!("{} (off)", s("name")) } else { s("name") };
        println!(
            "{:<16} {:<9} {:<9} {:>6}  {:<14} {:<24} {}",
            name,
            s("version"),
            s("kind"),
            rules,
            &s("sha256")[..12.min(s("sha256").len())],
            cats.join(","),
            s("source")
        );
    }
    println!("{} plugins, {} rules", rows.len(), total);
    Ok(ExitCode::SUCCESS)
}

fn plugins_export(dir: &Path) -> Result<ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let engine = PluginEngine::new(None)?;
    let state = Arc::new(PluginStateStore::new());
    let builder = PipelineBuilder::new(engine, state);
    let files = catalog::builtin_files();
    if files.is_empty() {
        bail!("this build has no built-in plugins");
    }
    for file in files {
        let plugin = builder.load(&file).map_err(|e| anyhow::anyhow!("{e}"))?;
        let path = dir.join(format!("{}.wasm", plugin.name()));
        std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("{}  {}", plugin.sha256(), path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn plugins_check(file: &Path, plugin_config: &str) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    serde_json::from_str::<serde_json::Value>(plugin_config).context("--plugin-config is not JSON")?;
    let engine = PluginEngine::new(None)?;
    let state = Arc::new(PluginStateStore::new());
    let builder = PipelineBuilder::new(engine, Arc::clone(&state));
    let plugin = builder
        .load(&catalog::PluginFile { source: PluginSource::File(file.to_path_buf()), bytes: Arc::from(bytes) })
        .map_err(|e| anyhow::anyhow!("{}: {}", file.display(), e.reason))?;
    crate::pipeline::instance::instantiate(&plugin, None, plugin_config, Default::default(), &state)
        .map_err(|e| anyhow::anyhow!("{}: plugin `{}` {e}", file.display(), plugin.name()))?;
    let info = plugin.info();
    let kind = match plugin.kind() {
        PluginKind::Detector => "detector",
        PluginKind::Policy => "policy",
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "ok": true,
            "name": info.name,
            "version": info.version,
            "kind": kind,
            "description": info.description,
            "categories": info.categories,
            "phases": info.phases.iter().map(|p| crate::scan::phase_name(*p)).collect::<Vec<_>>(),
            "rules": info.rule_count,
            "sha256": plugin.sha256(),
        }))?
    );
    Ok(ExitCode::SUCCESS)
}

fn parse_label(text: &str) -> Result<(String, String), String> {
    text.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).ok_or_else(|| "expected KEY=VALUE".to_string())
}

/// An RFC 3339 timestamp as milliseconds since the Unix epoch.
fn parse_timestamp(text: &str) -> Result<u64, String> {
    let ts: jiff::Timestamp = text.parse().map_err(|e| format!("expected an RFC 3339 timestamp like 2025-06-02T20:00:00+02:00: {e}"))?;
    u64::try_from(ts.as_millisecond()).map_err(|_| "the timestamp is before 1970".to_string())
}

fn scan(config: Option<&Path>, target: &ScanTarget, at: Option<u64>, file: Option<&Path>) -> Result<ExitCode> {
    let raw = match file {
        Some(path) if path != Path::new("-") => {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
        }
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading standard input")?;
            text
        }
    };
    let (config, path) = load_config(config)?;
    let handle = start_pipeline(config, path)?;
    let now_ms = at.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    });
    let (input, inspection) = scan_message(&handle.current(), raw.trim(), target, now_ms)?;
    println!("{}", serde_json::to_string_pretty(&report(&input, &inspection))?);
    Ok(ExitCode::SUCCESS)
}

fn eval(config: Option<&Path>, json: bool, files: &[PathBuf]) -> Result<ExitCode> {
    let mut samples = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        samples.extend(crate::eval::parse_samples(&text).with_context(|| format!("{}", file.display()))?);
    }
    let (config, path) = load_config(config)?;
    let handle = start_pipeline(config, path)?;
    let scores = crate::eval::evaluate(&handle.current(), &samples);
    if json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        print!("{}", crate::eval::table(&scores));
    }
    Ok(ExitCode::SUCCESS)
}

fn config_check(file: &Path) -> Result<ExitCode> {
    let config = match Config::load(file) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    match start_pipeline(config, Some(file.to_path_buf())) {
        Ok(handle) => {
            let pipeline = handle.current();
            println!("{}: ok ({} plugins)", file.display(), pipeline.stages().count());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{}: {e:#}", file.display());
            Ok(ExitCode::FAILURE)
        }
    }
}
