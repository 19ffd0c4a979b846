//! `warden audit …`: verify, export and sign the audit trail.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use crate::audit::export::{export, verify_export};
use crate::audit::verify::verify_store;
use crate::audit::{AuditError, CheckpointSigner, CheckpointVerifier, VerifyOptions, VerifyReport};
use crate::store::Store;

#[derive(Subcommand)]
pub(super) enum AuditCommand {
    /// Verifies the audit chain (of the store, or of an exported file) and
    /// names the first bad event. Exits 1 when the chain is broken.
    Verify {
        /// Configuration naming the store (default: embedded defaults, relative to the current directory).
        #[arg(long, short, conflicts_with = "file")]
        config: Option<PathBuf>,
        /// Verify this exported log instead of the store.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Ed25519 public key (64 hex characters, a PEM file, or a file holding the hex) to check
        /// checkpoint signatures with. With --file, every event must then be covered by a signed
        /// checkpoint. Default for the store: the public half of `audit.checkpoint.key-file`.
        #[arg(long)]
        public_key: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Writes the audit chain to FILE as JSON Lines, for `warden audit verify --file` elsewhere.
    /// With `audit.checkpoint.key-file` configured, the current head is signed first.
    Export {
        #[arg(long, short)]
        config: Option<PathBuf>,
        /// Where to write (`-` for standard output).
        file: PathBuf,
    },
    /// Generates an Ed25519 checkpoint key: the private key (PKCS#8 PEM) to FILE, the public
    /// key to FILE.pub (PEM); prints the public key in hex.
    Keygen { file: PathBuf },
}

pub(super) fn run(command: AuditCommand) -> Result<ExitCode> {
    match command {
        AuditCommand::Keygen { file } => keygen(&file),
        AuditCommand::Verify { file: Some(file), public_key, json, .. } => {
            let key = public_key.as_deref().map(CheckpointVerifier::parse).transpose()?;
            let require_signed = key.is_some();
            let input = std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let outcome = verify_export(&mut BufReader::new(input), VerifyOptions { key, require_signed, up_to: None });
            report(&file.display().to_string(), outcome, json)
        }
        AuditCommand::Verify { config, file: None, public_key, json } => {
            let (config, _) = super::load_config(config.as_deref())?;
            let key = match (&public_key, &config.audit.checkpoint.key_file) {
                (Some(key), _) => Some(CheckpointVerifier::parse(key)?),
                (None, Some(path)) => Some(CheckpointSigner::from_file(path)?.verifier()),
                (None, None) => None,
            };
            let outcome = runtime()?.block_on(async {
                let store = Store::from_config(&config).await?;
                let outcome = verify_store(&store, VerifyOptions { key, ..VerifyOptions::default() }).await;
                store.close().await;
                Ok::<_, anyhow::Error>(outcome)
            })?;
            report("the store", outcome, json)
        }
        AuditCommand::Export { config, file } => {
            let (config, _) = super::load_config(config.as_deref())?;
            let signer = config.audit.checkpoint.key_file.as_deref().map(CheckpointSigner::from_file).transpose()?;
            let summary = runtime()?.block_on(async {
                let store = Store::from_config(&config).await?;
                let summary = if file == Path::new("-") {
                    export(&store, &mut std::io::BufWriter::new(std::io::stdout()), signer.as_ref()).await
                } else {
                    write_file(&store, &file, signer.as_ref()).await
                };
                store.close().await;
                summary.map_err(anyhow::Error::from)
            })?;
            eprintln!(
                "exported {} events (through #{}){} to {}",
                summary.events,
                summary.head_seq,
                if summary.sealed { ", head signed" } else { "" },
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Exports to a temporary file beside `path`, renamed into place when complete.
async fn write_file(
    store: &Store,
    path: &Path,
    signer: Option<&CheckpointSigner>,
) -> Result<crate::audit::export::ExportSummary, AuditError> {
    let tmp = path.with_extension("partial");
    let file = std::fs::File::create(&tmp)?;
    let mut out = std::io::BufWriter::new(file);
    let summary = export(store, &mut out, signer).await;
    drop(out);
    match summary {
        Ok(summary) => {
            std::fs::rename(&tmp, path)?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn report(what: &str, outcome: Result<VerifyReport, AuditError>, json: bool) -> Result<ExitCode> {
    match outcome {
        Ok(r) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&serde_json::json!({"ok": true, "report": r}))?);
            } else {
                let range = match (r.first_seq, r.last_seq) {
                    (Some(a), Some(b)) => format!(" (#{a} to #{b})"),
                    _ => String::new(),
                };
                let anchor = r.anchored_at.map(|a| format!(", starting after retention at #{a}")).unwrap_or_default();
                let signed = r.signed_through.map(|s| format!(", signed through #{s}")).unwrap_or_default();
                println!(
                    "audit chain ok: {} events{range}{anchor}, {} checkpoints, {} signatures checked{signed}",
                    r.events, r.checkpoints, r.signatures_checked
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(AuditError::Broken(chain_break)) => {
            if json {
                let body = serde_json::json!({"ok": false, "seq": chain_break.seq, "id": chain_break.id, "error": chain_break.to_string()});
                println!("{}", serde_json::to_string_pretty(&body)?);
            } else {
                println!("audit chain BROKEN in {what}: {chain_break}");
            }
            Ok(ExitCode::FAILURE)
        }
        Err(other) => Err(other.into()),
    }
}

fn keygen(file: &Path) -> Result<ExitCode> {
    if file.exists() {
        bail!("{} exists; not overwriting a key", file.display());
    }
    let signer = CheckpointSigner::generate()?;
    write_private(file, &signer.to_pem()?)?;
    let public = signer.verifier();
    let pub_path = PathBuf::from(format!("{}.pub", file.display()));
    std::fs::write(&pub_path, public.to_pem()?).with_context(|| format!("writing {}", pub_path.display()))?;
    println!("{}", public.key_id());
    eprintln!("private key: {} (keep it secret)\npublic key:  {}", file.display(), pub_path.display());
    Ok(ExitCode::SUCCESS)
}

fn write_private(path: &Path, pem: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(pem.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting the runtime")
}
