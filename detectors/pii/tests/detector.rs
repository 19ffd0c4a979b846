//! Behaviour of the pii detector, family by family: what it must find (with
//! exact spans) and what it must leave alone.

use serde_json::json;
use warden_detector_pii::{Config, Pii, RULES};
use warden_sdk::testing::Harness;
use warden_sdk::{Detector, Phase, Severity};

/// `(rule id, matched value)` for every value found in `text`.
fn found(text: &str) -> Vec<(&'static str, String)> {
    found_with(&Pii::default(), text)
}

fn found_with(p: &Pii, text: &str) -> Vec<(&'static str, String)> {
    p.find(text)
        .into_iter()
        .map(|m| (m.rule_id, text[m.range].to_string()))
        .collect()
}

#[track_caller]
fn assert_finds(text: &str, rule: &str, value: &str) {
    let f = found(text);
    assert!(
        f.iter().any(|(r, v)| *r == rule && v == value),
        "expected {rule} [{value}] in {text:?}, got {f:?}"
    );
}

#[track_caller]
fn assert_clean(text: &str) {
    let f = found(text);
    assert!(f.is_empty(), "expected nothing in {text:?}, got {f:?}");
}

#[test]
fn plugin_info() {
    let info = Pii::info();
    assert_eq!(info.name, "pii");
    assert_eq!(info.categories, vec!["pii"]);
    assert_eq!(
        info.phases,
        vec![Phase::Request, Phase::Response, Phase::ServerRequest]
    );
    assert_eq!(info.rule_count as usize, RULES.len());
    assert!(RULES.len() >= 25);
    assert!(RULES.iter().all(|r| r.id.starts_with("pii.")));
}

#[test]
fn emails() {
    assert_finds(
        "Contact jane.doe@acme.io today",
        "pii.email",
        "jane.doe@acme.io",
    );
    assert_finds(
        "<JOHN.SMITH@Company.co.uk>",
        "pii.email",
        "JOHN.SMITH@Company.co.uk",
    );
    assert_finds(
        "mailto:fatima.zahra@orange.fr?subject=x",
        "pii.email",
        "fatima.zahra@orange.fr",
    );
    assert_finds(
        "sam_harris+legal@protonmail.com.",
        "pii.email",
        "sam_harris+legal@protonmail.com",
    );
    for neg in [
        "logo@2x.png and icon@3x.webp",
        "react@18.2.0, @types/node@20.11.5",
        "nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
        "git clone git@github.com:org/repo.git",
        "https://user:secret@db.internal.io/x",
        "support@example.com and qa@test.example",
        "ping user@localhost",
        "see https://medium.com/@jane/post",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn phones() {
    assert_finds(
        "mobile +1 (646) 555-3890.",
        "pii.phone",
        "+1 (646) 555-3890",
    );
    assert_finds("Call 415-555-2671 now", "pii.phone", "415-555-2671");
    assert_finds("Caller ID 415.555.2671", "pii.phone", "415.555.2671");
    assert_finds("(212) 555-0199", "pii.phone", "(212) 555-0199");
    assert_finds("toll free 1-800-555-0199", "pii.phone", "1-800-555-0199");
    assert_finds("UK +44 20 7946 0958", "pii.phone", "+44 20 7946 0958");
    assert_finds("+44 (0)20 7946 0958", "pii.phone", "+44 (0)20 7946 0958");
    assert_finds("office 020 7946 0958", "pii.phone", "020 7946 0958");
    assert_finds("appelez le 01 42 68 53 00", "pii.phone", "01 42 68 53 00");
    assert_finds("Tel. 030/12345678", "pii.phone", "030/12345678");
    assert_finds("celular (11) 98765-4321", "pii.phone", "(11) 98765-4321");
    assert_finds("Phone: 9876543210", "pii.phone", "9876543210");
    assert_finds("电话：13800138000", "pii.phone", "13800138000");
    assert_finds("001-415-555-2671x890", "pii.phone", "001-415-555-2671");
    for neg in [
        "GET /api/v2/users/4155552671/orders 200",
        "ts 1700000000 and 1718035200123",
        "Part number 415-555-2671-A",
        "Order ID: 415-555-2671",
        "Lottery numbers: 04 11 23 35 42 49",
        "Population 8 336 817 (2022)",
        "ISBN 978-0-306-40615-7",
        "Copyright 2016-2020 Endless Mobile, Inc",
        "meeting 14:30, room 4B",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn us_ssn_itin_ein() {
    assert_finds("SSN 536-22-1234, W-4 received", "pii.us-ssn", "536-22-1234");
    assert_finds(
        "social security number 536 22 1234",
        "pii.us-ssn",
        "536 22 1234",
    );
    assert_finds("ssn: 536221234", "pii.us-ssn", "536221234");
    assert_finds("ITIN 912-70-1234", "pii.us-itin", "912-70-1234");
    assert_finds("EIN: 12-3456789", "pii.us-ein", "12-3456789");
    for neg in [
        "SSN 000-12-3456 and 666-12-3456 and 900-12-3456",
        "SSN 123-45-6789 (the placeholder)",
        "SSN 078-05-1120",
        "Ticket 536-22-1234 escalated",
        "order reference 536-22-1234",
        "536 22 1234 without any keyword",
        "12-3456789 without a keyword",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn payment_cards() {
    assert_finds(
        "card 4111 1111 1111 1111 exp",
        "pii.credit-card",
        "4111 1111 1111 1111",
    );
    assert_finds(
        "pan 5555-5555-5555-4444",
        "pii.credit-card",
        "5555-5555-5555-4444",
    );
    assert_finds(
        "amex 3782 822463 10005",
        "pii.credit-card",
        "3782 822463 10005",
    );
    assert_finds(
        "raw 6011111111111117.",
        "pii.credit-card",
        "6011111111111117",
    );
    assert_finds(
        "JCB 3530111333300000",
        "pii.credit-card",
        "3530111333300000",
    );
    assert_finds("mc 2221000000000009", "pii.credit-card", "2221000000000009");
    for neg in [
        "4111 1111 1111 1112 fails Luhn",
        "id 1234567890123456",
        "Transaction 4532015112830366 settled",
        "uuid 550e8400-e29b-41d4-a716-446655440000",
        "ACC-4111111111111111-X",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn bank_accounts() {
    assert_finds(
        "IBAN DE89 3704 0044 0532 0130 00 (Commerzbank)",
        "pii.iban",
        "DE89 3704 0044 0532 0130 00",
    );
    assert_finds(
        "GB29NWBK60161331926819",
        "pii.iban",
        "GB29NWBK60161331926819",
    );
    assert_finds(
        "routing number 021000021",
        "pii.us-routing-number",
        "021000021",
    );
    assert_clean("DE00 0000 0000 0000 0000 00 invalid");
    assert_clean("GB29NWBK60161331926818");
    assert_clean("021000021 without a keyword");
    assert_clean("routing number 123456789");
}

#[test]
fn network_addresses() {
    assert_finds(
        "Failed login from 185.220.101.45 (5 attempts)",
        "pii.ipv4",
        "185.220.101.45",
    );
    assert_finds("client 52.14.200.7:443", "pii.ipv4", "52.14.200.7");
    assert_finds(
        "v6 2606:4700:4700::1111 ok",
        "pii.ipv6",
        "2606:4700:4700::1111",
    );
    assert_finds(
        "MAC 3C:22:FB:9A:1E:07",
        "pii.mac-address",
        "3C:22:FB:9A:1E:07",
    );
    assert_finds(
        "lease 00-1B-44-11-3A-B7",
        "pii.mac-address",
        "00-1B-44-11-3A-B7",
    );
    assert_finds("cisco 001a.2b3c.4d5e", "pii.mac-address", "001a.2b3c.4d5e");
    for neg in [
        "Version 1.2.3.4 released",
        "version 10.0.12.7 is out",
        "Microsoft Windows [Version 10.0.19045.3693]",
        "Chrome/120.0.6099.109",
        "OID 1.3.6.1.4.1.9.9.109",
        "listening on 127.0.0.1:8080 and 10.0.0.5 and 192.168.1.1",
        "docs 192.0.2.1 and 203.0.113.9 and 2001:db8::1",
        "loopback ::1, link-local fe80::1",
        "at 12:30:45 and 10:20:30:40",
        "std::vector<int> and u8::MAX and Foo::Bar",
        "broadcast ff:ff:ff:ff:ff:ff",
        "Guile 3.0.5.130-5a1e7",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn private_ranges_are_opt_in() {
    let h = Harness::<Pii>::new(json!({"types": {"ipv4-private": true, "ipv6-private": true}}))
        .unwrap();
    let f = h.scan_tool_result("t", "db at 10.0.4.22, link fe80::1ff:fe23:4567:890a");
    let rules: Vec<&str> = f.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(rules, vec!["pii.ipv4-private", "pii.ipv6-private"]);
    assert!(f.iter().all(|f| f.severity == Severity::Info));
}

#[test]
fn documents() {
    assert_finds("Passport number: 533380006", "pii.passport", "533380006");
    assert_finds("Reisepass C01X00T47", "pii.passport", "C01X00T47");
    assert_finds(
        "Driver's license: D1234567 (CA)",
        "pii.drivers-license",
        "D1234567",
    );
    assert_finds(
        "DL# S530-460-76-123-0, FL",
        "pii.drivers-license",
        "S530-460-76-123-0",
    );
    assert_finds(
        "licence MORGA753116SM9IJ",
        "pii.uk-driving-licence",
        "MORGA753116SM9IJ",
    );
    let mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    assert_finds(mrz, "pii.passport-mrz", mrz);
    assert_clean("Passport photos must be 35 x 45 mm");
    assert_clean("driver version 535.104.05 installed");
    assert_clean("License: MIT 2024");
    assert_clean("L898902C36UTO7408122F1204159ZE184226B<<<<<11");
}

#[test]
fn dates_of_birth() {
    assert_finds(
        "DOB: 1962-09-01, MRN 00482913",
        "pii.date-of-birth",
        "1962-09-01",
    );
    assert_finds(
        "born on 14 February 1988 in Lyon",
        "pii.date-of-birth",
        "14 February 1988",
    );
    assert_finds("born March 3, 1994?", "pii.date-of-birth", "March 3, 1994");
    assert_finds(
        "Date of Birth: 07/30/1975",
        "pii.date-of-birth",
        "07/30/1975",
    );
    assert_finds(
        "Geburtsdatum: 23.08.1990",
        "pii.date-of-birth",
        "23.08.1990",
    );
    assert_finds(
        "{\"dateOfBirth\": \"1991-04-23\"}",
        "pii.date-of-birth",
        "1991-04-23",
    );
    assert_finds(
        "name,dob,member_since\nEvelyn Park,1983-12-05,2019-06-01",
        "pii.date-of-birth",
        "1983-12-05",
    );
    assert_finds(
        "Date of birth:\n1985-03-12",
        "pii.date-of-birth",
        "1985-03-12",
    );
    assert_clean("created 2024-01-15, updated 2024-02-11");
    assert_clean("DOB field format is YYYY-MM-DD; joined 2015-06-01");
    assert_clean("birth timestamp 1985-03-12T10:00:00Z");
    assert_clean("name,dob,member_since\nEvelyn Park,,2019-06-01");
}

#[test]
fn national_ids() {
    assert_finds("NI number AB 12 34 56 C", "pii.uk-nino", "AB 12 34 56 C");
    assert_finds("nino CE452190B", "pii.uk-nino", "CE452190B");
    assert_finds("SIN 046 454 286", "pii.ca-sin", "046 454 286");
    assert_finds("Aadhaar 2345 6789 0124", "pii.in-aadhaar", "2345 6789 0124");
    assert_finds("PAN: ABCPE1234F", "pii.in-pan", "ABCPE1234F");
    assert_finds("DNI 12345678Z", "pii.es-dni", "12345678Z");
    assert_finds("NIE X1234567L", "pii.es-nie", "X1234567L");
    assert_finds(
        "CF RSSMRA85T10A562S",
        "pii.it-codice-fiscale",
        "RSSMRA85T10A562S",
    );
    assert_finds(
        "NIR 1 85 05 78 006 084 91",
        "pii.fr-nir",
        "1 85 05 78 006 084 91",
    );
    assert_finds("Steuer-ID: 86095742719", "pii.de-steuer-id", "86095742719");
    assert_finds("CPF 529.982.247-25", "pii.br-cpf", "529.982.247-25");
    assert_finds("BSN: 111222333", "pii.nl-bsn", "111222333");
    assert_finds("TFN 123 456 782", "pii.au-tfn", "123 456 782");
    assert_finds("NRIC S1234567D", "pii.sg-nric", "S1234567D");
    assert_finds(
        "ID 11010519491231002X",
        "pii.cn-resident-id",
        "11010519491231002X",
    );
    for neg in [
        "QQ123456C is the HMRC example",
        "SIN 046 454 287",
        "Aadhaar 2345 6789 0125",
        "DNI 12345678A",
        "RSSMRA85T10A562A",
        "CPF 529.982.247-26 and 111.111.111-11",
        "BSN: 111222334",
        "S1234567A",
        "11010519491231002Y",
        "Product code ABC123456D",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn addresses() {
    assert_finds(
        "Shipping address: 1600 Amphitheatre Parkway, Mountain View, CA 94043",
        "pii.street-address",
        "1600 Amphitheatre Parkway, Mountain View, CA 94043",
    );
    assert_finds(
        "Ship to 221B Baker Street, London NW1 6XE.",
        "pii.street-address",
        "221B Baker Street",
    );
    assert_finds(
        "Ship to 221B Baker Street, London NW1 6XE.",
        "pii.uk-postcode",
        "NW1 6XE",
    );
    assert_finds(
        "1234 Elm St Apt 5B, Portland",
        "pii.street-address",
        "1234 Elm St Apt 5B",
    );
    assert_finds(
        "0487 Smith Mountains Apt. 521\nPort Jamesbury, NY 45221",
        "pii.street-address",
        "0487 Smith Mountains Apt. 521\nPort Jamesbury, NY 45221",
    );
    for neg in [
        "He walked 3 blocks down Main Street.",
        "Top 10 Best Way to learn",
        "Chapter 12: The Road Not Taken",
        "(c) 2021 Iain Lane <iain@x.org>"
            .split('<')
            .next()
            .unwrap_or_default(),
        "Released 3 Blue Mountains photos",
        "Room 4B, floor 3",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn crypto_addresses() {
    assert_finds(
        "BTC 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "pii.bitcoin-address",
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    );
    assert_finds(
        "to 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "pii.bitcoin-address",
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    );
    assert_finds(
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "pii.bitcoin-address",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    );
    assert_finds(
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "pii.ethereum-address",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    );
    assert_finds(
        "wallet 0x52908400098527886e0f7030069857d2e4169ee7",
        "pii.ethereum-address",
        "0x52908400098527886e0f7030069857d2e4169ee7",
    );
    for neg in [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        "hash 0x52908400098527886e0f7030069857d2e4169ee7",
        "tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060",
        "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    ] {
        assert_clean(neg);
    }
}

#[test]
fn request_arguments_use_their_key_as_context() {
    let h = Harness::<Pii>::with_defaults();
    let f = h.scan_tool_call(
        "crm_update",
        json!({"customer": {"ssn": "536221234", "passport": "533380006", "note": "536221234"}}),
    );
    let rules: Vec<&str> = f.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(rules, vec!["pii.us-ssn", "pii.passport"]);
    let msg = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "x", "arguments": {"ssn": "536221234"}}});
    let input = warden_sdk::testing::scan_input(
        warden_sdk::CallContext {
            request_id: "1".into(),
            session_id: "s".into(),
            agent_id: "a".into(),
            agent_type: String::new(),
            server: "srv".into(),
            method: "tools/call".into(),
            tool: Some("x".into()),
            phase: Phase::Request,
            timestamp_ms: 0,
        },
        &msg,
    );
    let f = h.scan_input(&input);
    let span = &f[0].spans[0];
    assert_eq!(
        &input.texts[span.text_index as usize].value[span.range()],
        "536221234"
    );
}

#[test]
fn findings_group_spans_and_never_echo_values() {
    let h = Harness::<Pii>::with_defaults();
    let text = "a@acme.io, b@acme.io and card 4111 1111 1111 1111";
    let f = h.scan_tool_result("t", text);
    assert_eq!(f.len(), 2);
    let email = f.iter().find(|f| f.rule_id == "pii.email").unwrap();
    assert_eq!(email.spans.len(), 2);
    assert_eq!(email.severity, Severity::Medium);
    let card = f.iter().find(|f| f.rule_id == "pii.credit-card").unwrap();
    assert_eq!(card.severity, Severity::High);
    for finding in &f {
        assert_eq!(finding.category, "pii");
        assert!(
            !finding.message.contains("acme") && !finding.message.contains("4111"),
            "{}",
            finding.message
        );
        assert!(finding.message.contains("/result/content/0/text"));
    }
    // A JSON key that is itself personal data is not repeated in the message.
    let f = h.scan_tool_call("t", json!({"jane@acme.io": "jane@acme.io"}));
    assert!(f.iter().all(|f| !f.message.contains("jane")));
}

#[test]
fn configuration() {
    let p = |c: serde_json::Value| {
        Pii::new(serde_json::from_value::<Config>(c).expect("config parses"))
            .expect("config compiles")
    };
    let text = "Mail support@acme.io or jane@acme.io, card 4111111111111111, host 185.220.101.45";

    let off = p(json!({"types": {"email": false, "ipv4": false}}));
    assert_eq!(
        found_with(&off, text),
        vec![("pii.credit-card", "4111111111111111".to_string())]
    );

    let allow = p(json!({"allow": ["support@acme.io", "/4111\\d+/"], "allow_domains": []}));
    let f = found_with(&allow, text);
    assert!(
        f.iter()
            .all(|(_, v)| v != "support@acme.io" && v != "4111111111111111"),
        "{f:?}"
    );
    assert!(f.iter().any(|(_, v)| v == "jane@acme.io"));

    let domains = p(json!({"allow_domains": ["acme.io"]}));
    assert!(
        found_with(&domains, text)
            .iter()
            .all(|(r, _)| *r != "pii.email")
    );

    let high = p(json!({"min_severity": "high"}));
    assert_eq!(
        found_with(&high, text),
        vec![("pii.credit-card", "4111111111111111".to_string())]
    );

    let raised = p(json!({"severity": {"ipv4": "high"}, "min_severity": "high"}));
    assert!(
        found_with(&raised, text)
            .iter()
            .any(|(r, _)| *r == "pii.ipv4")
    );

    let examples = p(json!({"example_domains": true}));
    assert_eq!(found_with(&examples, "docs@example.com").len(), 1);

    // Phone numbers compare by digits in the allowlist.
    let phones = p(json!({"allow": ["+1 415 555 2671"]}));
    assert!(found_with(&phones, "Call +1 (415) 555-2671").is_empty());

    for bad in [
        json!({"typo": true}),
        json!({"types": {"emial": false}}),
        json!({"min_severity": "severe"}),
        json!({"allow": ["/([/"]}),
        json!({"severity": {"email": "loud"}}),
    ] {
        assert!(
            Harness::<Pii>::new(bad.clone()).is_err(),
            "{bad} should be refused"
        );
    }
}

#[test]
fn never_panics() {
    let p = Pii::default();
    let mut inputs: Vec<String> = vec![
        String::new(),
        "@".into(),
        ":".repeat(1000),
        "<<".repeat(500),
        "1".repeat(100_000),
        "1 ".repeat(20_000),
        "a@".repeat(5_000),
        "é1€2😀3 ٣٤٥ 𝟙𝟚𝟛 +".repeat(500),
        "\u{a0}1\u{a0}2\u{a0}3\u{a0}4".repeat(100),
        "+44 (0)".repeat(300),
        "DOB: ".repeat(300) + "1985-03-12",
        "9".repeat(19) + "-" + &"8".repeat(19),
        "0x".to_string() + &"f".repeat(40) + "é",
        "bc1".to_string() + &"q".repeat(80),
        "Passport: é".into(),
        "1600 Pennsylvania Avenue NW, Washington, DC 20500".repeat(100),
    ];
    // Every prefix of a tricky string, to hit every boundary.
    let tricky = "+1 (415) 555-2671 é DE89 3704 0044 0532 0130 00 1.2.3.4 fe80::1 12th March 1985 AB 12 34 56 C";
    inputs.extend(tricky.char_indices().map(|(i, _)| tricky[..i].to_string()));
    inputs.extend(tricky.char_indices().map(|(i, _)| tricky[i..].to_string()));
    for s in &inputs {
        for m in p.find(s) {
            assert!(
                s.is_char_boundary(m.range.start)
                    && s.is_char_boundary(m.range.end)
                    && m.range.start < m.range.end
            );
        }
    }
}

#[test]
fn iban_with_dashes() {
    assert_finds(
        "IBAN GB29-NWBK-6016-1331-9268-19.",
        "pii.iban",
        "GB29-NWBK-6016-1331-9268-19",
    );
}

#[test]
fn url_encoded_email() {
    assert_finds(
        "GET /signup?user_id=8812&email=mike.r%40gmail.com&x=1",
        "pii.email",
        "mike.r%40gmail.com",
    );
}
