//! Time of day and day of week, in the configured time zone, from the call's timestamp.

mod common;

use common::*;
use serde_json::{Value, json};
use warden_sdk::PolicyInput;
use warden_sdk::testing::PolicyCall;

fn at(ms: u64) -> PolicyInput {
    PolicyCall::tool_call("s", "t", json!({})).at_ms(ms).build()
}

fn fires_in(timezone: &str, field: &str, operator: &str, value: Value, ms: u64) -> bool {
    let h = engine(json!({"timezone": timezone, "policies": [
        {"name": "p", "rules": [{"conditions": [cond(field, operator, value)], "action": "DENY"}]}]}));
    !h.evaluate(&at(ms)).is_empty()
}

#[test]
fn business_hours_ranges_include_the_start_and_exclude_the_end() {
    assert!(fires("time", "in", json!("09:00-18:00"), &at(utc(0, 9, 0))));
    assert!(fires("time", "in", json!("09:00-18:00"), &at(utc(0, 17, 59))));
    assert!(!fires("time", "in", json!("09:00-18:00"), &at(utc(0, 18, 0))));
    assert!(fires("time", "not_in", json!("09:00-18:00"), &at(utc(0, 20, 0))));
    assert!(fires("time", "not_in", json!("09:00-18:00"), &at(utc(0, 8, 59))));
}

#[test]
fn overnight_ranges_wrap_around_midnight() {
    for (hh, mm, inside) in [(22, 0, true), (23, 59, true), (0, 0, true), (5, 59, true), (6, 0, false), (12, 0, false), (21, 59, false)] {
        assert_eq!(fires("time", "in", json!("22:00-06:00"), &at(utc(2, hh, mm))), inside, "{hh:02}:{mm:02}");
    }
}

#[test]
fn several_ranges_and_exact_times() {
    let lunch_or_night = json!(["12:00-13:30", "23:00-01:00"]);
    assert!(fires("time", "in", lunch_or_night.clone(), &at(utc(0, 13, 0))));
    assert!(fires("time", "in", lunch_or_night.clone(), &at(utc(0, 0, 30))));
    assert!(!fires("time", "in", lunch_or_night, &at(utc(0, 14, 0))));
    assert!(fires("time", "equals", json!("12:30"), &at(utc(0, 12, 30) + 59_000)), "equals is to the minute");
    assert!(!fires("time", "equals", json!("12:30"), &at(utc(0, 12, 31))));
    assert!(fires("time", "gte", json!("18:00"), &at(utc(0, 18, 0))));
    assert!(fires("time", "lt", json!("08:30"), &at(utc(0, 8, 29))));
}

#[test]
fn the_configured_time_zone_sets_the_wall_clock() {
    // 18:00 UTC in June is 20:00 in Paris (summer time) and 18:00 in UTC.
    let evening = utc(0, 18, 0);
    assert!(fires_in("Europe/Paris", "time", "not_in", json!("09:00-18:00"), evening));
    assert!(fires_in("Europe/Paris", "time", "equals", json!("20:00"), evening));
    assert!(fires_in("UTC", "time", "equals", json!("18:00"), evening));
    assert!(fires_in("+02:00", "time", "equals", json!("20:00"), evening));
    assert!(fires_in("-05:00", "time", "equals", json!("13:00"), evening));
    assert!(fires_in("America/New_York", "time", "equals", json!("14:00"), evening), "EDT is UTC-4 in June");
    // In January Paris is UTC+1.
    let january = 1_735_754_400_000; // 2025-01-01 18:00 UTC
    assert!(fires_in("Europe/Paris", "time", "equals", json!("19:00"), january));
}

#[test]
fn a_policy_may_have_its_own_time_zone() {
    let h = engine(json!({"timezone": "UTC", "policies": [
        {"name": "tokyo", "timezone": "Asia/Tokyo",
         "rules": [{"conditions": [cond("time", "in", json!("09:00-18:00"))], "action": "ALLOW"}]},
        {"name": "utc", "rules": [{"conditions": [cond("time", "in", json!("09:00-18:00"))], "action": "ALLOW"}]}]}));
    // 01:00 UTC is 10:00 in Tokyo.
    let decisions = h.evaluate(&at(utc(0, 1, 0)));
    assert_eq!(decisions.iter().map(|d| d.policy.as_str()).collect::<Vec<_>>(), ["tokyo"]);
}

#[test]
fn days_of_the_week_by_name_range_and_number() {
    let saturday = at(utc(5, 12, 0));
    assert!(fires("day_of_week", "equals", json!("saturday"), &saturday));
    assert!(fires("day_of_week", "equals", json!("Sat"), &saturday));
    assert!(fires("day_of_week", "equals", json!(6), &saturday));
    assert!(fires("day_of_week", "in", json!(["saturday", "sunday"]), &saturday));
    assert!(fires("day_of_week", "not_in", json!("mon-fri"), &saturday));
    assert!(fires("day_of_week", "in", json!("fri-mon"), &saturday), "day ranges wrap");
    assert!(fires("day_of_week", "in", json!([6, 7]), &saturday));
    assert!(fires("day_of_week", "gt", json!("friday"), &saturday));
    assert!(fires("day_of_week", "in", json!("mon-fri"), &at(utc(0, 12, 0))));
}

#[test]
fn the_day_changes_with_the_time_zone() {
    // Sunday 23:30 UTC is already Monday in Paris.
    let sunday_night = utc(6, 23, 30);
    assert!(fires_in("UTC", "day_of_week", "equals", json!("sunday"), sunday_night));
    assert!(fires_in("Europe/Paris", "day_of_week", "equals", json!("monday"), sunday_night));
    assert!(fires_in("Europe/Paris", "time", "equals", json!("01:30"), sunday_night));
}

#[test]
fn after_hours_weekdays_and_weekends_combine() {
    let h = rule(json!([
        cond("day_of_week", "in", json!("mon-fri")),
        cond("time", "in", json!("22:00-06:00")),
    ]));
    assert_eq!(h.evaluate(&at(utc(1, 23, 0))).len(), 1, "Tuesday 23:00");
    assert!(h.evaluate(&at(utc(1, 12, 0))).is_empty(), "Tuesday noon");
    assert!(h.evaluate(&at(utc(5, 23, 0))).is_empty(), "Saturday 23:00");
}
