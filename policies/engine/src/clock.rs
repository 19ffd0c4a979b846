//! Time of day and day of week in a configured time zone, from the call's
//! timestamp (the plugin's only clock).

use jiff::tz::TimeZone;

/// Seconds in a day.
pub const DAY: u32 = 86_400;

/// A time zone: a fixed UTC offset, or an IANA zone with its daylight-saving rules.
#[derive(Debug, Clone)]
pub enum Zone {
    Fixed { seconds: i32 },
    Named(TimeZone),
}

/// The local wall clock of one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// Seconds since local midnight.
    pub seconds: u32,
    /// ISO weekday: Monday = 1 … Sunday = 7.
    pub weekday: u8,
}

impl Zone {
    pub const UTC: Zone = Zone::Fixed { seconds: 0 };

    /// `UTC`, `Z`, a fixed offset (`+02:00`, `-0530`, `+02`) or an IANA name (`Europe/Paris`).
    pub fn parse(text: &str) -> Result<Zone, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("utc") || text == "Z" {
            return Ok(Zone::UTC);
        }
        if let Some(rest) = text.strip_prefix('+').or_else(|| text.strip_prefix('-')) {
            let sign = if text.starts_with('-') { -1 } else { 1 };
            let (hours, minutes) = match rest.split_once(':') {
                Some((h, m)) => (h, m),
                None if rest.len() == 4 => rest.split_at(2),
                None => (rest, "0"),
            };
            let parse = |s: &str| s.parse::<i32>().ok().filter(|_| !s.is_empty() && s.len() <= 2);
            return match (parse(hours), parse(minutes)) {
                (Some(h), Some(m)) if h <= 14 && m < 60 => Ok(Zone::Fixed { seconds: sign * (h * 3600 + m * 60) }),
                _ => Err(format!("`{text}` is not a UTC offset (write it like `+02:00`)")),
            };
        }
        TimeZone::get(text).map(Zone::Named).map_err(|_| {
            format!("unknown time zone `{text}` (use an IANA name like `Europe/Paris`, `UTC`, or an offset like `+02:00`)")
        })
    }

    /// The local time of `timestamp_ms` (milliseconds since the Unix epoch).
    pub fn local(&self, timestamp_ms: u64) -> LocalTime {
        let seconds = i64::try_from(timestamp_ms / 1000).unwrap_or(i64::MAX);
        let offset = match self {
            Zone::Fixed { seconds } => i64::from(*seconds),
            Zone::Named(tz) => match jiff::Timestamp::from_second(seconds) {
                Ok(ts) => i64::from(tz.to_offset(ts).seconds()),
                Err(_) => 0,
            },
        };
        let local = seconds.saturating_add(offset);
        let days = local.div_euclid(i64::from(DAY));
        // 1970-01-01 was a Thursday (ISO 4).
        let weekday = u8::try_from((days + 3).rem_euclid(7) + 1).unwrap_or(1);
        let seconds = u32::try_from(local.rem_euclid(i64::from(DAY))).unwrap_or(0);
        LocalTime { seconds, weekday }
    }
}

/// `HH:MM` or `HH:MM:SS` as seconds since midnight; `24:00` is allowed as an end.
pub fn parse_time_of_day(text: &str) -> Option<u32> {
    let mut parts = text.trim().split(':');
    let mut next = |max: u32| -> Option<Option<u32>> {
        match parts.next() {
            None => Some(None),
            Some(p) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u32>().ok().filter(|v| *v <= max).map(Some)
            }
            Some(_) => None,
        }
    };
    let hours = next(24)??;
    let minutes = next(59)??;
    let seconds = next(59)?.unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    let total = hours * 3600 + minutes * 60 + seconds;
    (total <= DAY).then_some(total)
}

/// A daily time range `[start, end)`; when `end <= start` it runs overnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub start: u32,
    pub end: u32,
}

impl TimeRange {
    /// `HH:MM-HH:MM` (seconds optional), e.g. `09:00-18:00` or overnight `22:00-06:00`.
    pub fn parse(text: &str) -> Result<TimeRange, String> {
        let bad = || format!("`{text}` is not a time range; write `HH:MM-HH:MM`, e.g. `09:00-18:00` or `22:00-06:00`");
        let (start, end) = text.split_once('-').ok_or_else(bad)?;
        let start = parse_time_of_day(start).filter(|s| *s < DAY).ok_or_else(bad)?;
        let end = parse_time_of_day(end).ok_or_else(bad)?;
        if start == end % DAY && end != DAY {
            return Err(format!("`{text}` is an empty range; write `00:00-24:00` for the whole day"));
        }
        Ok(TimeRange { start, end })
    }

    pub fn contains(&self, seconds: u32) -> bool {
        if self.start < self.end {
            (self.start..self.end).contains(&seconds)
        } else {
            seconds >= self.start || seconds < self.end
        }
    }
}

const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A day name (`monday`, `mon`, any case) as its ISO number (Monday = 1).
pub fn parse_day(text: &str) -> Option<u8> {
    let lower = text.trim().to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    DAYS.iter().position(|d| d.starts_with(&lower)).and_then(|i| u8::try_from(i + 1).ok())
}

/// The ISO number's day name.
pub fn day_name(day: u8) -> &'static str {
    DAYS.get(usize::from(day.saturating_sub(1))).copied().unwrap_or("")
}

/// A day or a day range (`mon-fri`, or wrapping `fri-mon`) as ISO numbers.
pub fn parse_days(text: &str) -> Option<Vec<u8>> {
    match text.split_once('-') {
        None => parse_day(text).map(|d| vec![d]),
        Some((from, to)) => {
            let (from, to) = (parse_day(from)?, parse_day(to)?);
            let mut days = vec![from];
            let mut day = from;
            while day != to {
                day = day % 7 + 1;
                days.push(day);
            }
            Some(days)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2025-06-02 was a Monday; 18:00:00 UTC.
    const MONDAY_18H_UTC: u64 = 1_748_887_200_000;

    #[test]
    fn fixed_offsets_and_named_zones_give_the_local_wall_clock() {
        assert_eq!(Zone::UTC.local(MONDAY_18H_UTC), LocalTime { seconds: 18 * 3600, weekday: 1 });
        let plus2 = Zone::parse("+02:00").unwrap();
        assert_eq!(plus2.local(MONDAY_18H_UTC), LocalTime { seconds: 20 * 3600, weekday: 1 });
        // Paris is UTC+2 in June (summer time) and UTC+1 in January.
        let paris = Zone::parse("Europe/Paris").unwrap();
        assert_eq!(paris.local(MONDAY_18H_UTC).seconds, 20 * 3600);
        let january = 1_735_754_400_000; // 2025-01-01 18:00 UTC, a Wednesday
        assert_eq!(paris.local(january), LocalTime { seconds: 19 * 3600, weekday: 3 });
        // Crossing midnight changes the day.
        let tokyo = Zone::parse("Asia/Tokyo").unwrap();
        assert_eq!(tokyo.local(MONDAY_18H_UTC), LocalTime { seconds: 3 * 3600, weekday: 2 });
        assert_eq!(Zone::parse("-0530").unwrap().local(MONDAY_18H_UTC).seconds, 12 * 3600 + 30 * 60);
    }

    #[test]
    fn bad_zones_are_refused() {
        assert!(Zone::parse("Europe/Pariss").is_err());
        assert!(Zone::parse("+25:00").is_err());
        assert!(Zone::parse("+02:7x").is_err());
    }

    #[test]
    fn ranges_run_overnight_when_they_end_before_they_start() {
        let night = TimeRange::parse("22:00-06:00").unwrap();
        assert!(night.contains(23 * 3600) && night.contains(0) && night.contains(5 * 3600 + 59 * 60));
        assert!(!night.contains(6 * 3600) && !night.contains(12 * 3600));
        let day = TimeRange::parse("09:00-18:00").unwrap();
        assert!(day.contains(9 * 3600) && !day.contains(18 * 3600) && !day.contains(20 * 3600));
        assert!(TimeRange::parse("00:00-24:00").unwrap().contains(23 * 3600 + 3599));
        assert!(TimeRange::parse("09:00-09:00").is_err());
        assert!(TimeRange::parse("9-18").is_err());
        assert!(TimeRange::parse("25:00-26:00").is_err());
        assert!(TimeRange::parse("09:60-10:00").is_err());
    }

    #[test]
    fn days_parse_by_name_and_range() {
        assert_eq!(parse_day("Monday"), Some(1));
        assert_eq!(parse_day("sun"), Some(7));
        assert_eq!(parse_day("mo"), None);
        assert_eq!(parse_days("mon-fri"), Some(vec![1, 2, 3, 4, 5]));
        assert_eq!(parse_days("fri-mon"), Some(vec![5, 6, 7, 1]));
        assert_eq!(day_name(6), "saturday");
    }
}
