//! RFC 3339 timestamps and protojson durations, without a date library.

use std::time::{SystemTime, UNIX_EPOCH};

/// 0001-01-01T00:00:00Z, the smallest Timestamp protojson accepts.
const MIN_TIMESTAMP_SECONDS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z, the largest Timestamp protojson accepts.
const MAX_TIMESTAMP_SECONDS: i64 = 253_402_300_799;
/// 0000-01-01T00:00:00Z, the smallest time RFC 3339 (four-digit years) shows.
const MIN_RFC3339_SECONDS: i64 = -62_167_219_200;
/// About 10,000 years, the largest Duration protojson accepts.
const MAX_DURATION_SECONDS: i64 = 315_576_000_000;
const NANOS_PER_SECOND: i32 = 1_000_000_000;

/// Civil date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`). Callers pass `seconds.div_euclid(86_400)` of an
/// `i64`, so `|days| < 1.1e14` and no step below can overflow.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DDTHH:MM:SS` of seconds since the Unix epoch, in UTC.
fn date_time(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let rem = seconds.rem_euclid(86_400);
    let (hour, minute, second) = (rem / 3600, rem / 60 % 60, rem % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
}

/// Fraction of a second with 0, 3, 6 or 9 digits, as protojson writes it.
fn protojson_fraction(nanos: i32) -> String {
    if nanos == 0 {
        String::new()
    } else if nanos % 1_000_000 == 0 {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    }
}

/// A `google.protobuf.Timestamp` as protojson writes it:
/// `1972-01-01T10:00:20.021Z`.
pub(crate) fn protojson_timestamp(seconds: i64, nanos: i32) -> Result<String, String> {
    if !(MIN_TIMESTAMP_SECONDS..=MAX_TIMESTAMP_SECONDS).contains(&seconds)
        || !(0..NANOS_PER_SECOND).contains(&nanos)
    {
        return Err(format!(
            "invalid google.protobuf.Timestamp value (seconds: {seconds}, nanos: {nanos})"
        ));
    }
    Ok(format!(
        "{}{}Z",
        date_time(seconds),
        protojson_fraction(nanos)
    ))
}

/// A `google.protobuf.Duration` as protojson writes it: `1.500s`, `-3s`.
pub(crate) fn protojson_duration(seconds: i64, nanos: i32) -> Result<String, String> {
    if !(-MAX_DURATION_SECONDS..=MAX_DURATION_SECONDS).contains(&seconds)
        || nanos <= -NANOS_PER_SECOND
        || nanos >= NANOS_PER_SECOND
        || (seconds > 0 && nanos < 0)
        || (seconds < 0 && nanos > 0)
    {
        return Err(format!(
            "invalid google.protobuf.Duration value (seconds: {seconds}, nanos: {nanos})"
        ));
    }
    let sign = if seconds < 0 || nanos < 0 { "-" } else { "" };
    Ok(format!(
        "{sign}{}{}s",
        seconds.unsigned_abs(),
        protojson_fraction(nanos.abs())
    ))
}

/// A time as Go's `time.RFC3339Nano` layout writes it in UTC: trailing zeros
/// of the fraction dropped (`2024-05-01T12:00:00.5Z`). A time outside
/// RFC 3339's years 0000-9999 is an error (Go's `Format` would write a
/// five-digit or negative year, which is not RFC 3339).
pub(crate) fn rfc3339_nano(time: SystemTime) -> Result<String, String> {
    let (seconds, nanos) = unix_time(time);
    let seconds = i64::try_from(seconds)
        .ok()
        .filter(|s| (MIN_RFC3339_SECONDS..=MAX_TIMESTAMP_SECONDS).contains(s))
        .ok_or_else(|| {
            format!(
                "time (seconds: {seconds}, nanos: {nanos} since the Unix epoch) is outside the years 0000-9999 of RFC 3339"
            )
        })?;
    let fraction = format!("{nanos:09}");
    let fraction = fraction.trim_end_matches('0');
    Ok(if fraction.is_empty() {
        format!("{}Z", date_time(seconds))
    } else {
        format!("{}.{fraction}Z", date_time(seconds))
    })
}

/// Whole seconds (rounded down) and nanoseconds in `[0, 1e9)` of `time`
/// since the Unix epoch. A `SystemTime` can be 2^63 seconds or more from
/// the epoch (`i64` seconds on Unix), so this is `i128`, which holds any
/// (`u64` seconds either side) without overflow.
pub(crate) fn unix_time(time: SystemTime) -> (i128, u32) {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => (i128::from(d.as_secs()), d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let (s, n) = (-i128::from(d.as_secs()), d.subsec_nanos());
            if n == 0 {
                (s, 0)
            } else {
                (s - 1, NANOS_PER_SECOND.unsigned_abs() - n)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_format_like_protojson() {
        assert_eq!(protojson_timestamp(0, 0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(
            protojson_timestamp(63_108_020, 21_000_000).unwrap(),
            "1972-01-01T10:00:20.021Z"
        );
        assert_eq!(
            protojson_timestamp(1_700_000_000, 1_000).unwrap(),
            "2023-11-14T22:13:20.000001Z"
        );
        assert_eq!(
            protojson_timestamp(1_700_000_000, 1).unwrap(),
            "2023-11-14T22:13:20.000000001Z"
        );
        assert_eq!(
            protojson_timestamp(MIN_TIMESTAMP_SECONDS, 0).unwrap(),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(
            protojson_timestamp(MAX_TIMESTAMP_SECONDS, 999_999_999).unwrap(),
            "9999-12-31T23:59:59.999999999Z"
        );
        assert_eq!(
            protojson_timestamp(951_782_400, 0).unwrap(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(protojson_timestamp(-1, 0).unwrap(), "1969-12-31T23:59:59Z");
        assert!(protojson_timestamp(MAX_TIMESTAMP_SECONDS + 1, 0).is_err());
        assert!(protojson_timestamp(0, -1).is_err());
        assert!(protojson_timestamp(0, 1_000_000_000).is_err());
    }

    #[test]
    fn durations_format_like_protojson() {
        assert_eq!(protojson_duration(0, 0).unwrap(), "0s");
        assert_eq!(protojson_duration(1, 500_000_000).unwrap(), "1.500s");
        assert_eq!(protojson_duration(3, 0).unwrap(), "3s");
        assert_eq!(protojson_duration(-3, -100).unwrap(), "-3.000000100s");
        assert_eq!(protojson_duration(0, -5_000).unwrap(), "-0.000005s");
        assert!(protojson_duration(1, -1).is_err());
        assert!(protojson_duration(MAX_DURATION_SECONDS + 1, 0).is_err());
    }

    #[test]
    fn now_formats_like_go_rfc3339_nano() {
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 500_000_000);
        assert_eq!(rfc3339_nano(t).unwrap(), "2023-11-14T22:13:20.5Z");
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 0);
        assert_eq!(rfc3339_nano(t).unwrap(), "2023-11-14T22:13:20Z");
        let t = UNIX_EPOCH - Duration::new(0, 250_000_000);
        assert_eq!(rfc3339_nano(t).unwrap(), "1969-12-31T23:59:59.75Z");
    }

    #[test]
    fn now_outside_rfc3339_years_is_an_error() {
        let min = UNIX_EPOCH - Duration::from_secs(MIN_RFC3339_SECONDS.unsigned_abs());
        assert_eq!(rfc3339_nano(min).unwrap(), "0000-01-01T00:00:00Z");
        let max = UNIX_EPOCH + Duration::new(MAX_TIMESTAMP_SECONDS as u64, 999_999_999);
        assert_eq!(rfc3339_nano(max).unwrap(), "9999-12-31T23:59:59.999999999Z");
        assert_eq!(
            rfc3339_nano(min - Duration::from_nanos(1)).unwrap_err(),
            "time (seconds: -62167219201, nanos: 999999999 since the Unix epoch) \
             is outside the years 0000-9999 of RFC 3339"
        );
        assert!(rfc3339_nano(max + Duration::from_nanos(1)).is_err());
        // The extremes a SystemTime can hold on this platform: i64 seconds
        // on Unix (i64::MIN negated used to overflow).
        let extremes = [
            UNIX_EPOCH.checked_sub(Duration::from_secs(1 << 63)),
            UNIX_EPOCH.checked_sub(Duration::new(i64::MAX as u64, 999_999_999)),
            UNIX_EPOCH.checked_add(Duration::new(i64::MAX as u64, 999_999_999)),
            UNIX_EPOCH.checked_add(Duration::new(u64::MAX, 999_999_999)),
            UNIX_EPOCH.checked_sub(Duration::new(u64::MAX, 999_999_999)),
        ];
        assert!(extremes.iter().any(Option::is_some));
        for t in extremes.into_iter().flatten() {
            let err = rfc3339_nano(t).unwrap_err();
            assert!(
                err.ends_with("outside the years 0000-9999 of RFC 3339"),
                "{err}"
            );
        }
    }

    #[test]
    fn extreme_timestamps_and_durations_are_errors() {
        for (s, n) in [
            (i64::MIN, 0),
            (i64::MAX, 999_999_999),
            (MIN_TIMESTAMP_SECONDS - 1, 999_999_999),
            (0, i32::MAX),
            (0, i32::MIN),
        ] {
            assert!(protojson_timestamp(s, n).is_err(), "{s} {n}");
        }
        for (s, n) in [
            (i64::MIN, 0),
            (i64::MIN, i32::MIN),
            (i64::MAX, i32::MAX),
            (-MAX_DURATION_SECONDS - 1, 0),
            (0, i32::MIN),
            (0, i32::MAX),
        ] {
            assert!(protojson_duration(s, n).is_err(), "{s} {n}");
        }
        assert_eq!(
            protojson_duration(MAX_DURATION_SECONDS, 999_999_999).unwrap(),
            "315576000000.999999999s"
        );
        assert_eq!(
            protojson_duration(-MAX_DURATION_SECONDS, -999_999_999).unwrap(),
            "-315576000000.999999999s"
        );
    }
}
