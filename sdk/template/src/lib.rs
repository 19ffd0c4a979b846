use warden_sdk::prelude::*;

/// Flags internal host names (e.g. `db1.corp.internal`) in what tools return.
#[derive(Default, serde::Deserialize)]
pub struct Config {
    #[serde(default)]
    domains: Vec<String>,
}

pub struct InternalHosts {
    domains: Vec<String>,
}

impl Detector for InternalHosts {
    type Config = Config;

    fn info() -> PluginInfo {
        PluginInfo::detector("internal-hosts", "0.1.0", "Flags internal host names")
            .categories(["leak"])
            .phases([Phase::Response])
            .rule_count(1)
    }

    fn new(config: Config) -> Result<Self, String> {
        let domains = if config.domains.is_empty() { vec![".corp.internal".into()] } else { config.domains };
        Ok(InternalHosts { domains })
    }

    fn scan(&self, input: &ScanInput) -> Vec<Finding> {
        let mut findings = Vec::new();
        for (i, text) in input.texts.iter().enumerate() {
            for domain in &self.domains {
                for (at, _) in text.value.match_indices(domain.as_str()) {
                    findings.push(Finding::new("leak", "internal-hosts.domain", Severity::Medium)
                        .message(format!("internal domain {domain}"))
                        .span(i, at..at + domain.len()));
                }
            }
        }
        findings
    }
}

export_detector!(InternalHosts);

#[cfg(test)]
mod tests {
    use super::*;
    use warden_sdk::testing::Harness;

    #[test]
    fn flags_configured_domains_in_tool_results() {
        let h = Harness::<InternalHosts>::new(serde_json::json!({"domains": [".lan"]})).unwrap();
        let found = h.scan_tool_result("lookup", "primary is db1.lan, replica db2.lan");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].rule_id, "internal-hosts.domain");
        assert!(h.scan_tool_result("lookup", "db1.example.com").is_empty());
    }
}
