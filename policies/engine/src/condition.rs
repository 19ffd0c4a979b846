//! One condition, compiled once at configuration: `{field, operator, value}`
//! becomes a test specialised for the field's kind (regexes compiled, times,
//! days, severities and networks parsed).

use std::net::IpAddr;

use ipnet::IpNet;
use memchr::memmem::Finder;
use regex::{Regex, RegexBuilder};
use serde_json::Value;
use warden_sdk::Severity;

use crate::clock::{TimeRange, parse_days, parse_time_of_day};
use crate::error::{At, ConfigError};
use crate::field::{Field, Kind};
use crate::operator::{Compare, Operator};

/// A compiled condition.
#[derive(Debug, Clone)]
pub struct Condition {
    pub field: Field,
    test: Test,
    negate: bool,
}

/// What a field holds for one call, borrowed from the input.
#[derive(Debug, Clone)]
pub enum Subject<'a> {
    Missing,
    Text(&'a str),
    Set(&'a [String]),
    Labels(&'a [(String, String)]),
    Leaves(&'a Value),
    /// Numbers, and the ranks of severities (info = 0), days (Monday = 1) and
    /// times of day (seconds since midnight).
    Number(f64),
    Ip(Option<IpAddr>, &'a str),
    Json(&'a Value),
}

#[derive(Debug, Clone)]
enum Test {
    Exists,
    Text(TextTest),
    OneOf(Vec<f64>),
    Compare(Compare, f64),
    TimeOfDay(Vec<TimeRange>),
    Ip(Vec<IpNet>),
    Json(JsonTest),
}

#[derive(Debug, Clone)]
struct TextTest {
    op: TextOp,
    ignore_case: bool,
}

#[derive(Debug, Clone)]
enum TextOp {
    Equals(String),
    /// A substring search prepared once (std's `contains` sets up its
    /// searcher on every call, which dominates on short texts).
    Contains(Box<Finder<'static>>),
    StartsWith(String),
    EndsWith(String),
    Matches(Regex),
    In(Vec<String>),
}

#[derive(Debug, Clone)]
enum JsonTest {
    /// Equality with a JSON value; numbers compare by value.
    Equals(Value),
    /// A string parameter contains the text; an array parameter has the element.
    Contains(Value, Option<TextTest>),
    Text(TextTest),
    In(Vec<Value>),
    Compare(Compare, f64),
}

impl Condition {
    /// Compiles a condition. `at` is the condition's own location; errors
    /// point at its `field`, `operator` or `value`.
    pub fn compile(field: &str, operator: &str, value: Option<&Value>, ignore_case: bool, at: &At) -> Result<Condition, ConfigError> {
        let field = Field::parse(field, &at.key("field"))?;
        let operator = Operator::parse(operator, &at.key("operator"))?;
        let value_at = at.key("value");
        if operator == Operator::Exists {
            let exists = match value {
                None => true,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(value_at.err("`exists` takes `true` (the default) or `false`")),
            };
            // A finding field exists when the message has any finding.
            let field = if field.per_finding() { Field::FindingCount } else { field };
            let test = if field == Field::FindingCount { Test::Compare(Compare::Gt, 0.0) } else { Test::Exists };
            return Ok(Condition { field, test, negate: !exists });
        }
        let Some(value) = value else {
            return Err(at.err(format!("operator `{}` needs a `value`", operator.name())));
        };
        let (positive, negate) = operator.split();
        let test = compile_test(&field, operator, positive, value, ignore_case, &value_at)?;
        Ok(Condition { field, test, negate })
    }

    /// Whether the condition holds for what its field holds.
    pub fn holds(&self, subject: &Subject<'_>) -> bool {
        self.test.holds(subject) != self.negate
    }
}

fn compile_test(field: &Field, operator: Operator, positive: Operator, value: &Value, ignore_case: bool, at: &At) -> Result<Test, ConfigError> {
    let kind = field.kind();
    let unsupported = || {
        at.err(format!("operator `{}` does not apply to `{}` ({}){}", operator.name(), field.name(), describe(kind), hint(kind)))
    };
    let text = |op: TextOp| Test::Text(TextTest::new(op, ignore_case));
    match kind {
        Kind::Text | Kind::Set | Kind::Leaves => {
            let op = match positive {
                Operator::Equals => TextOp::Equals(scalar_text(value, at)?),
                // A set has its elements; a text (or any string leaf) has substrings.
                Operator::Contains if kind == Kind::Set => TextOp::Equals(scalar_text(value, at)?),
                Operator::Contains => TextOp::Contains(finder_of(scalar_text(value, at)?)),
                Operator::StartsWith => TextOp::StartsWith(scalar_text(value, at)?),
                Operator::EndsWith => TextOp::EndsWith(scalar_text(value, at)?),
                Operator::Matches => TextOp::Matches(regex(value, ignore_case, at)?),
                Operator::In => TextOp::In(list(value).iter().map(|v| scalar_text(v, at)).collect::<Result<_, _>>()?),
                _ => return Err(unsupported()),
            };
            if *field == Field::Phase {
                check_phases(&op, at)?;
            }
            Ok(text(op))
        }
        Kind::Number => match positive {
            Operator::Equals => Ok(Test::OneOf(vec![number(value, at)?])),
            Operator::In => Ok(Test::OneOf(list(value).iter().map(|v| number(v, at)).collect::<Result<_, _>>()?)),
            _ => compare(operator, || number(value, at), unsupported),
        },
        Kind::Severity => match positive {
            Operator::Equals => Ok(Test::OneOf(vec![severity(value, at)?])),
            Operator::In => Ok(Test::OneOf(list(value).iter().map(|v| severity(v, at)).collect::<Result<_, _>>()?)),
            _ => compare(operator, || severity(value, at), unsupported),
        },
        Kind::Day => match positive {
            Operator::Equals => Ok(Test::OneOf(vec![day(value, at)?])),
            Operator::In => {
                let mut days = Vec::new();
                for item in list(value) {
                    match item.as_str() {
                        Some(text) => {
                            let found = parse_days(text)
                                .ok_or_else(|| at.err(format!("`{text}` is not a day or a day range (e.g. `saturday`, `mon-fri`)")))?;
                            days.extend(found.into_iter().map(f64::from));
                        }
                        None => days.push(day(&item, at)?),
                    }
                }
                Ok(Test::OneOf(days))
            }
            _ => compare(operator, || day(value, at), unsupported),
        },
        Kind::Time => match positive {
            Operator::Equals => {
                let minute = time_of_day(value, at)? / 60 * 60;
                Ok(Test::TimeOfDay(vec![TimeRange { start: minute, end: minute + 60 }]))
            }
            Operator::In => {
                let ranges = list(value)
                    .iter()
                    .map(|v| {
                        let text = v.as_str().ok_or_else(|| at.err("time ranges are strings like `09:00-18:00`"))?;
                        TimeRange::parse(text).map_err(|e| at.err(e))
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Test::TimeOfDay(ranges))
            }
            _ => compare(operator, || time_of_day(value, at).map(f64::from), unsupported),
        },
        Kind::Ip => match positive {
            Operator::Equals => {
                let text = scalar_text(value, at)?;
                let ip: IpAddr = text.parse().map_err(|_| at.err(format!("`{text}` is not an IP address (use `in` for a CIDR range)")))?;
                Ok(Test::Ip(vec![IpNet::from(normalize(ip))]))
            }
            Operator::In => Ok(Test::Ip(list(value).iter().map(|v| network(v, at)).collect::<Result<_, _>>()?)),
            Operator::Contains => Ok(text(TextOp::Contains(finder_of(scalar_text(value, at)?)))),
            Operator::StartsWith => Ok(text(TextOp::StartsWith(scalar_text(value, at)?))),
            Operator::EndsWith => Ok(text(TextOp::EndsWith(scalar_text(value, at)?))),
            Operator::Matches => Ok(text(TextOp::Matches(regex(value, ignore_case, at)?))),
            _ => Err(unsupported()),
        },
        Kind::Json => {
            let json = match positive {
                Operator::Equals => match value {
                    Value::String(s) if ignore_case => JsonTest::Text(TextTest::new(TextOp::Equals(s.clone()), true)),
                    other => JsonTest::Equals(other.clone()),
                },
                Operator::Contains => {
                    let substring = value.as_str().map(|s| TextTest::new(TextOp::Contains(finder_of(s.to_string())), ignore_case));
                    JsonTest::Contains(value.clone(), substring)
                }
                Operator::StartsWith => JsonTest::Text(TextTest::new(TextOp::StartsWith(scalar_text(value, at)?), ignore_case)),
                Operator::EndsWith => JsonTest::Text(TextTest::new(TextOp::EndsWith(scalar_text(value, at)?), ignore_case)),
                Operator::Matches => JsonTest::Text(TextTest::new(TextOp::Matches(regex(value, ignore_case, at)?), false)),
                Operator::In => {
                    let items = list(value);
                    match items.iter().map(|v| v.as_str().map(str::to_string)).collect::<Option<Vec<_>>>() {
                        Some(strings) if ignore_case => JsonTest::Text(TextTest::new(TextOp::In(strings), true)),
                        _ => JsonTest::In(items),
                    }
                }
                _ => match Compare::of(operator) {
                    Some(c) => JsonTest::Compare(c, number(value, at)?),
                    None => return Err(unsupported()),
                },
            };
            Ok(Test::Json(json))
        }
    }
}

fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Set => "a list of texts",
        Kind::Leaves => "every text in the parameters",
        Kind::Number => "a number",
        Kind::Severity => "a severity",
        Kind::Time => "a time of day",
        Kind::Day => "a day of the week",
        Kind::Ip => "an IP address",
        Kind::Json => "a parameter value",
    }
}

fn hint(kind: Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Set | Kind::Leaves => "; use equals, contains, starts_with, ends_with, matches, in or exists (and their not_ forms)",
        Kind::Number | Kind::Severity | Kind::Day => "; use equals, in, gt, gte, lt, lte or exists (and their not_ forms)",
        Kind::Time => "; use in with ranges like `09:00-18:00`, equals, gt, gte, lt or lte",
        Kind::Ip => "; use equals, in (with addresses or CIDR ranges), text operators or exists",
        Kind::Json => "",
    }
}

/// An ordering test, if the operator is one; the value is parsed only then.
fn compare(
    operator: Operator,
    value: impl FnOnce() -> Result<f64, ConfigError>,
    unsupported: impl FnOnce() -> ConfigError,
) -> Result<Test, ConfigError> {
    match Compare::of(operator) {
        Some(c) => Ok(Test::Compare(c, value()?)),
        None => Err(unsupported()),
    }
}

/// A list value, or a single value as a one-element list.
fn list(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

fn scalar_text(value: &Value, at: &At) -> Result<String, ConfigError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(at.err("expected a text value")),
    }
}

fn number(value: &Value, at: &At) -> Result<f64, ConfigError> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
    .ok_or_else(|| at.err(format!("expected a number, got {value}")))
}

fn severity(value: &Value, at: &At) -> Result<f64, ConfigError> {
    value
        .as_str()
        .and_then(|s| Severity::parse(&s.to_ascii_lowercase()))
        .map(|s| f64::from(severity_rank(s)))
        .ok_or_else(|| at.err(format!("`{}` is not a severity; severities are info < low < medium < high < critical", text_of(value))))
}

/// The rank of a severity: info = 0 … critical = 4.
pub fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

fn day(value: &Value, at: &At) -> Result<f64, ConfigError> {
    let parsed = match value {
        Value::Number(n) => n.as_u64().filter(|d| (1..=7).contains(d)).map(|d| d as f64),
        Value::String(s) => crate::clock::parse_day(s).map(f64::from),
        _ => None,
    };
    parsed.ok_or_else(|| at.err(format!("`{}` is not a day of the week (e.g. `monday`, `sat`, or 1 = Monday … 7 = Sunday)", text_of(value))))
}

fn time_of_day(value: &Value, at: &At) -> Result<u32, ConfigError> {
    value
        .as_str()
        .and_then(parse_time_of_day)
        .filter(|t| *t < crate::clock::DAY)
        .ok_or_else(|| at.err(format!("`{}` is not a time of day; write `HH:MM` (or a range `HH:MM-HH:MM` with `in`)", text_of(value))))
}

fn network(value: &Value, at: &At) -> Result<IpNet, ConfigError> {
    let text = scalar_text(value, at)?;
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(match net {
            IpNet::V6(v6) => match v6.addr().to_ipv4_mapped() {
                Some(v4) => IpNet::new(IpAddr::V4(v4), v6.prefix_len().saturating_sub(96)).unwrap_or(net),
                None => net,
            },
            v4 => v4,
        }
        .trunc());
    }
    text.parse::<IpAddr>()
        .map(|ip| IpNet::from(normalize(ip)))
        .map_err(|_| at.err(format!("`{text}` is not an IP address or CIDR range (e.g. `10.0.0.0/8`)")))
}

/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) compare as IPv4.
pub fn normalize(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn regex(value: &Value, ignore_case: bool, at: &At) -> Result<Regex, ConfigError> {
    let pattern = value.as_str().ok_or_else(|| at.err("`matches` takes a regular expression string"))?;
    RegexBuilder::new(pattern)
        .case_insensitive(ignore_case)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            // The parser's message is a multi-line drawing; keep its last line.
            let text = e.to_string();
            let why = text.lines().rev().find_map(|l| l.trim().strip_prefix("error: ")).unwrap_or(text.trim()).to_string();
            at.err(format!("invalid regular expression `{pattern}`: {why}"))
        })
}

fn check_phases(op: &TextOp, at: &At) -> Result<(), ConfigError> {
    let names: &[String] = match op {
        TextOp::Equals(name) => std::slice::from_ref(name),
        TextOp::In(names) => names,
        _ => return Ok(()),
    };
    for name in names {
        if warden_sdk::Phase::parse(name).is_none() {
            return Err(at.err(format!("unknown phase `{name}`; phases are request, response, tool-listing and server-request")));
        }
    }
    Ok(())
}

fn finder_of(needle: String) -> Box<Finder<'static>> {
    Box::new(Finder::new(needle.as_bytes()).into_owned())
}

fn text_of(value: &Value) -> String {
    value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())
}

impl TextTest {
    fn new(op: TextOp, ignore_case: bool) -> TextTest {
        let lower = |s: String| if ignore_case { s.to_lowercase() } else { s };
        let op = match op {
            TextOp::Equals(s) => TextOp::Equals(lower(s)),
            TextOp::Contains(finder) => match ignore_case {
                true => TextOp::Contains(finder_of(String::from_utf8_lossy(finder.needle()).to_lowercase())),
                false => TextOp::Contains(finder),
            },
            TextOp::StartsWith(s) => TextOp::StartsWith(lower(s)),
            TextOp::EndsWith(s) => TextOp::EndsWith(lower(s)),
            TextOp::In(items) => TextOp::In(items.into_iter().map(lower).collect()),
            matches @ TextOp::Matches(_) => matches,
        };
        // Regexes fold case themselves.
        let ignore_case = ignore_case && !matches!(op, TextOp::Matches(_));
        TextTest { op, ignore_case }
    }

    fn test(&self, subject: &str) -> bool {
        if self.ignore_case {
            self.test_exact(&subject.to_lowercase())
        } else {
            self.test_exact(subject)
        }
    }

    fn test_exact(&self, s: &str) -> bool {
        match &self.op {
            TextOp::Equals(v) => s == v,
            TextOp::Contains(finder) => finder.find(s.as_bytes()).is_some(),
            TextOp::StartsWith(v) => s.starts_with(v.as_str()),
            TextOp::EndsWith(v) => s.ends_with(v.as_str()),
            TextOp::Matches(re) => re.is_match(s),
            TextOp::In(items) => items.iter().any(|v| v == s),
        }
    }
}

impl Test {
    fn holds(&self, subject: &Subject<'_>) -> bool {
        match (self, subject) {
            (_, Subject::Missing) => false,
            (Test::Exists, _) => true,
            (Test::Text(t), Subject::Text(s)) => t.test(s),
            (Test::Text(t), Subject::Set(items)) => items.iter().any(|s| t.test(s)),
            (Test::Text(t), Subject::Labels(labels)) => labels.iter().any(|(k, v)| t.test(&format!("{k}={v}"))),
            (Test::Text(t), Subject::Leaves(value)) => any_leaf(value, &|s| t.test(s)),
            (Test::Text(t), Subject::Ip(_, text)) => t.test(text),
            (Test::OneOf(values), Subject::Number(n)) => values.iter().any(|v| v == n),
            (Test::Compare(c, v), Subject::Number(n)) => c.holds(*n, *v),
            (Test::TimeOfDay(ranges), Subject::Number(n)) => ranges.iter().any(|r| r.contains(*n as u32)),
            (Test::Ip(nets), Subject::Ip(Some(ip), _)) => nets.iter().any(|net| net.contains(ip)),
            (Test::Json(j), Subject::Json(value)) => j.holds(value),
            _ => false,
        }
    }
}

impl JsonTest {
    fn holds(&self, value: &Value) -> bool {
        match (self, value) {
            (JsonTest::Equals(expected @ (Value::Array(_) | Value::Object(_))), _) => json_eq(value, expected),
            (JsonTest::Contains(element, _), Value::Array(items)) => items.iter().any(|item| json_eq(item, element)),
            (JsonTest::Contains(_, Some(text)), Value::String(s)) => text.test(s),
            (JsonTest::Contains(..), _) => false,
            // Other tests hold for an array when they hold for an element.
            (_, Value::Array(items)) => items.iter().any(|item| self.scalar(item)),
            _ => self.scalar(value),
        }
    }

    fn scalar(&self, value: &Value) -> bool {
        match self {
            JsonTest::Equals(expected) => json_eq(value, expected),
            JsonTest::Text(text) => value.as_str().is_some_and(|s| text.test(s)),
            JsonTest::In(items) => items.iter().any(|item| json_eq(value, item)),
            JsonTest::Compare(c, v) => value.as_f64().is_some_and(|n| c.holds(n, *v)),
            JsonTest::Contains(..) => false,
        }
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn any_leaf(value: &Value, test: &dyn Fn(&str) -> bool) -> bool {
    match value {
        Value::String(s) => test(s),
        Value::Array(items) => items.iter().any(|v| any_leaf(v, test)),
        Value::Object(map) => map.values().any(|v| any_leaf(v, test)),
        _ => false,
    }
}
