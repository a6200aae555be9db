//! View helper: numbers, amounts and dates written the French way.
//!
//! Shared by the website, the PDF data and the fiche views, so that a figure reads the same
//! everywhere. Spaces inside numbers are narrow no-break spaces (U+202F) and the space before a
//! unit is a no-break space (U+00A0), as the French typographic rules ask.

/// Thousands separator: narrow no-break space.
pub const NNBSP: char = '\u{202f}';
/// Space before a unit or a symbol: no-break space.
pub const NBSP: char = '\u{a0}';

/// `12940000` → `12 940 000`, `40.5` → `40,5`, `1234.567` → `1 234,57`.
pub fn number(value: f64) -> String {
    // Past 15 digits a figure is a typo: shown as written by Rust rather than grouped.
    if !value.is_finite() || value.abs() >= 1e15 {
        return value.to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc() as u64;
    let cents = ((abs - abs.trunc()) * 100.0).round() as u64;
    let digits = int.to_string();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NNBSP);
        }
        out.push(c);
    }
    if cents > 0 {
        let frac = format!("{cents:02}");
        out.push(',');
        out.push_str(frac.trim_end_matches('0'));
    }
    out
}

/// A file size as the DSFR writes it: `812 octets`, `61,9 Ko`, `1,2 Mo` (1 Ko = 1 024 octets).
pub fn taille(octets: u64) -> String {
    const KO: f64 = 1024.0;
    let n = octets as f64;
    if n < KO {
        format!("{octets} octets")
    } else if n < KO * KO {
        format!("{} Ko", number((n / KO * 10.0).round() / 10.0))
    } else {
        format!("{} Mo", number((n / KO / KO * 10.0).round() / 10.0))
    }
}

/// An amount in euros, in full: `12 940 000 €`.
pub fn euros(value: f64) -> String {
    format!("{}{NBSP}€", number(value))
}

/// An amount in euros, compact from one million on, as the fiches print them:
/// `40,89 M€`, `5,4 M€`, `1 Md€`; below a million, in full.
pub fn euros_compact(value: f64) -> String {
    let abs = value.abs();
    if abs >= 1e9 {
        format!("{}{NBSP}Md€", number(value / 1e9))
    } else if abs >= 1e6 {
        format!("{}{NBSP}M€", number(value / 1e6))
    } else {
        euros(value)
    }
}

/// A percentage with at most one decimal: `15,1 %`.
pub fn percent(value: f64) -> String {
    let v = (value * 10.0).round() / 10.0;
    format!("{}{NBSP}%", number(v))
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The years a record's dates may fall in: `0000-01-01` or `9999-12-31` is a typing slip.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// The hint for a date that does not read: its year when that is what is wrong, else `format`.
pub fn date_hint(s: &str, format: &str) -> String {
    let year = s.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
    match year.map(|y| (y, y.parse::<i32>())) {
        Some((y, Ok(n))) if !YEARS.contains(&n) => format!(
            "l'année {y} est hors de la période des fiches : écrivez une année entre {} et {}",
            YEARS.start(),
            YEARS.end()
        ),
        _ => format.to_string(),
    }
}

/// A checked calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `2021-12-29`; `None` when the text is not an ISO date or the day does not exist.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = s[0..4].parse().ok().filter(|y| YEARS.contains(y))?;
        let month: u32 = s[5..7].parse().ok()?;
        let day: u32 = s[8..10].parse().ok()?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// `29 décembre 2021`, `1er juillet 2021`.
    pub fn french(&self) -> String {
        let day = if self.day == 1 {
            "1er".to_string()
        } else {
            self.day.to_string()
        };
        format!("{day} {} {}", MONTHS[self.month as usize - 1], self.year)
    }

    /// Midnight UTC of the day, in seconds since 1970 (Howard Hinnant's `days_from_civil`).
    pub fn unix(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * 86_400
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date known to the year, the month or the day, as calendars write them: `2026`,
/// `2022-10` (octobre 2022), `2022-10-03`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LooseDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl LooseDate {
    pub fn parse(s: &str) -> Option<LooseDate> {
        let s = s.trim();
        let year_of = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
                .filter(|y| YEARS.contains(y))
        };
        match s.len() {
            4 => Some(LooseDate {
                year: year_of(s)?,
                month: None,
                day: None,
            }),
            7 if s.as_bytes()[4] == b'-' => {
                let month: u32 = s[5..7].parse().ok()?;
                (1..=12).contains(&month).then_some(())?;
                Some(LooseDate {
                    year: year_of(&s[..4])?,
                    month: Some(month),
                    day: None,
                })
            }
            _ => Date::parse_iso(s).map(|d| LooseDate {
                year: d.year,
                month: Some(d.month),
                day: Some(d.day),
            }),
        }
    }

    /// `2026`, `octobre 2022`, `3 octobre 2022`.
    pub fn french(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => Date {
                year: self.year,
                month: m,
                day: d,
            }
            .french(),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }

    /// `2026`, `2022-10`, `2022-10-03`: valid in `<time datetime>`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The first and last days it may mean, as (year, month, day) for ordering.
    pub fn first_day(&self) -> (i32, u32, u32) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    pub fn last_day(&self) -> (i32, u32, u32) {
        (self.year, self.month.unwrap_or(12), self.day.unwrap_or(31))
    }
}

/// Unix seconds → ISO date (UTC), for `SOURCE_DATE_EPOCH` and sitemap dates.
/// `2023-11-14T22:13:20Z`: a moment as Atom feeds write it (RFC 3339, UTC).
pub fn rfc3339(secs: i64) -> String {
    let d = date_from_unix(secs);
    let s = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        d.iso(),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

pub fn date_from_unix(secs: i64) -> Date {
    // Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_and_seconds_convert_both_ways() {
        for iso in [
            "1970-01-01",
            "2000-02-29",
            "2021-12-29",
            "2100-03-01",
            "1900-01-01",
        ] {
            let d = super::Date::parse_iso(iso).unwrap();
            assert_eq!(super::date_from_unix(d.unix()), d, "{iso}");
        }
        assert_eq!(
            super::Date::parse_iso("2023-11-14").unwrap().unix(),
            1_699_920_000
        );
        assert_eq!(super::rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    use super::*;

    fn plain(s: String) -> String {
        s.replace([NNBSP, NBSP], " ")
    }

    #[test]
    fn amounts_read_like_the_fiches() {
        assert_eq!(plain(euros_compact(40_890_000.0)), "40,89 M€");
        assert_eq!(plain(euros_compact(12_940_000.0)), "12,94 M€");
        assert_eq!(plain(euros_compact(5_400_000.0)), "5,4 M€");
        assert_eq!(plain(euros(12_940_000.0)), "12 940 000 €");
        assert_eq!(plain(euros_compact(0.0)), "0 €");
        assert_eq!(plain(euros(1400.0)), "1 400 €");
        assert_eq!(plain(percent(15.1)), "15,1 %");
        assert_eq!(plain(number(-1234.5)), "-1 234,5");
    }

    #[test]
    fn dates_in_french() {
        let d = LooseDate::parse("2022-10").unwrap();
        assert_eq!(
            (d.french(), d.iso()),
            ("octobre 2022".into(), "2022-10".into())
        );
        assert_eq!(LooseDate::parse("2026").unwrap().french(), "2026");
        assert_eq!(
            LooseDate::parse("2022-10-03").unwrap().french(),
            "3 octobre 2022"
        );
        assert!(LooseDate::parse("2022-13").is_none());
        assert!(LooseDate::parse("oct. 2022").is_none());
        assert_eq!(
            Date::parse_iso("2021-12-29").unwrap().french(),
            "29 décembre 2021"
        );
        assert_eq!(
            Date::parse_iso("2021-07-01").unwrap().french(),
            "1er juillet 2021"
        );
        assert!(Date::parse_iso("2021-02-29").is_none());
        assert!(Date::parse_iso("2020-02-29").is_some());
        assert!(Date::parse_iso("29/12/2021").is_none());
        assert_eq!(date_from_unix(1_640_736_000).iso(), "2021-12-29");
        assert_eq!(date_from_unix(0).iso(), "1970-01-01");
        assert_eq!(taille(812), "812 octets");
        assert_eq!(taille(63_365), "61,9 Ko");
        assert_eq!(taille(1_258_291), "1,2 Mo");
    }
}
