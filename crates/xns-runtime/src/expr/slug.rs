//! `slug()`, following gosimple/slug (which Bloblang's `slug` method uses)
//! with its English substitutions.

/// Makes a URL-friendly slug of `s`, like Bloblang's `slug()` method
/// (gosimple/slug with the English language table):
///
/// 1. trim surrounding whitespace;
/// 2. substitute `&` with `and` and `@` with `at`;
/// 3. transliterate non-ASCII characters to ASCII (common Latin accented
///    letters, ligatures and symbols; combining marks are dropped; other
///    characters become `-`);
/// 4. lowercase;
/// 5. replace every character outside `[a-z0-9-_]` with `-`, collapse runs
///    of `-`, and trim `-` and `_` at both ends.
///
/// ```
/// use xns_runtime::expr::slug;
/// assert_eq!(slug("Gopher & Benthos"), "gopher-and-benthos");
/// assert_eq!(slug("Crème Brûlée"), "creme-brulee");
/// ```
pub fn slug(s: &str) -> String {
    let mut ascii = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '&' => ascii.push_str("and"),
            '@' => ascii.push_str("at"),
            c if c.is_ascii() => ascii.push(c),
            c => ascii.push_str(transliterate(c).unwrap_or("-")),
        }
    }
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        let c = c.to_ascii_lowercase();
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            c
        } else {
            '-'
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    out.trim_matches(|c| c == '-' || c == '_').to_owned()
}

/// ASCII transliteration of U+00A0..=U+00FF (as Text::Unidecode, which
/// gosimple/slug's unidecode port uses).
const LATIN_1: [&str; 96] = [
    " ", "!", "C/", "PS", "$?", "Y=", "|", "SS", "\"", "(c)", "a", "<<", "!", "", "(r)",
    "-", //
    "deg", "+-", "2", "3", "'", "u", "P", "*", ",", "1", "o", ">>", " 1/4", " 1/2", " 3/4", "?",
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", //
    "D", "N", "O", "O", "O", "O", "O", "x", "O", "U", "U", "U", "U", "Y", "Th", "ss", //
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", //
    "d", "n", "o", "o", "o", "o", "o", "/", "o", "u", "u", "u", "u", "y", "th", "y",
];

/// ASCII transliteration of Latin Extended-A, U+0100..=U+017F.
const LATIN_EXT_A: [&str; 128] = [
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d", //
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g", //
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i", //
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "q", "L", "l", "L", "l", "L", "l", "L", //
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "'n", "NG", "ng", "O", "o", "O", "o", //
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", //
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", //
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
];

/// Transliterates one non-ASCII character, or `None` when it has no entry.
fn transliterate(c: char) -> Option<&'static str> {
    let cp = u32::from(c);
    match cp {
        0xA0..=0xFF => LATIN_1.get((cp - 0xA0) as usize).copied(),
        0x100..=0x17F => LATIN_EXT_A.get((cp - 0x100) as usize).copied(),
        // Combining diacritical marks (decomposed accents) vanish.
        0x300..=0x36F => Some(""),
        _ => Some(match c {
            'ƒ' => "f",
            'Ș' => "S",
            'ș' => "s",
            'Ț' => "T",
            'ț' => "t",
            'Ǎ' => "A",
            'ǎ' => "a",
            'Ǐ' => "I",
            'ǐ' => "i",
            'Ǒ' => "O",
            'ǒ' => "o",
            'Ǔ' => "U",
            'ǔ' => "u",
            'ẞ' => "Ss",
            'Ơ' => "O",
            'ơ' => "o",
            'Ư' => "U",
            'ư' => "u",
            '\u{2010}'..='\u{2015}' => "-",
            '\u{2018}' | '\u{2019}' | '\u{201A}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' => "\"",
            '\u{2026}' => "...",
            '€' => "EUR",
            '™' => "tm",
            _ => return None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn examples_from_the_spec() {
        assert_eq!(slug("Gopher & Benthos"), "gopher-and-benthos");
        assert_eq!(slug("Hello World"), "hello-world");
        assert_eq!(slug("My Foo"), "my-foo");
    }

    #[test]
    fn substitutions_and_cleanup() {
        assert_eq!(slug("  spaced out  "), "spaced-out");
        assert_eq!(slug("me@example.com"), "meatexample-com");
        assert_eq!(slug("a&b"), "aandb");
        assert_eq!(slug("--foo--bar__"), "foo-bar");
        assert_eq!(slug("_foo_bar_"), "foo_bar");
        assert_eq!(slug("a  --  b"), "a-b");
        assert_eq!(slug("UPPER_case-123"), "upper_case-123");
        assert_eq!(slug("!!!"), "");
        assert_eq!(slug(""), "");
    }

    #[test]
    fn transliterates_latin() {
        assert_eq!(slug("Crème Brûlée"), "creme-brulee");
        assert_eq!(slug("Straße"), "strasse");
        assert_eq!(slug("Ærøskøbing"), "aeroskobing");
        assert_eq!(slug("Łódź"), "lodz");
        assert_eq!(slug("Œuvre façade"), "oeuvre-facade");
        assert_eq!(slug("Ţară și Ștefan"), "tara-si-stefan");
        // Decomposed accents lose their combining marks.
        assert_eq!(slug("Cafe\u{301}"), "cafe");
        assert_eq!(slug("© 2024"), "c-2024");
        assert_eq!(slug("10 €"), "10-eur");
    }

    #[test]
    fn unknown_characters_separate_words() {
        assert_eq!(slug("hello 世界"), "hello");
        assert_eq!(slug("I ❤ Rust"), "i-rust");
    }
}
