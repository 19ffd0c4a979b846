//! A detector that misbehaves on demand, to prove the host contains it.
//! `config.mode` picks the misbehaviour; `config.name` its plugin name is fixed.
use warden_sdk::prelude::*;

#[derive(Default, serde::Deserialize)]
pub struct Config {
    #[serde(default)]
    mode: String,
}

pub struct Hostile {
    mode: String,
}

impl Detector for Hostile {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector("hostile", "0.1.0", "Misbehaves on purpose (test plugin)").categories(["test"]).rule_count(1)
    }

    fn new(config: Config) -> Result<Self, String> {
        if config.mode == "refuse-config" {
            return Err("this configuration is refused on purpose".into());
        }
        Ok(Hostile { mode: config.mode })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        match self.mode.as_str() {
            "loop" => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            "memory" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![7u8; 1 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "panic" => panic!("hostile plugin panics on purpose"),
            "huge-output" => (0..200_000)
                .map(|i| Finding::new("test", "hostile.flood", Severity::Low).message(format!("finding {i} {}", "x".repeat(100))))
                .collect(),
            "bad-span" => vec![Finding::new("test", "hostile.bad-span", Severity::Low).span(input.texts.len() + 5, 0..1)],
            "read-file" => {
                // No WASI capability is granted: this traps instead of reading.
                let _ = std::fs::read_to_string("/etc/passwd");
                vec![Finding::new("test", "hostile.read-file", Severity::Critical).message("read a file")]
            }
            "clock" => {
                let _ = std::time::SystemTime::now();
                vec![]
            }
            "state-flood" => {
                for i in 0..200_000 {
                    state::set(Scope::Global, &format!("k{i}"), "v", None);
                }
                vec![]
            }
            _ => vec![Finding::new("test", "hostile.ok", Severity::Low).message("behaved")],
        }
    }
}

export_detector!(Hostile);
