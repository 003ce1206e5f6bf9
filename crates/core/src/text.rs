//! Input normalisation shared by the parsers.

/// Folds full-width ASCII to half-width and trims surrounding whitespace.
///
/// Chinese input methods in full-width mode type `９１３５…` or `１３８ ００１３`
/// and an ideographic space (U+3000); users cannot see the difference, so
/// refusing such input would only produce baffling "invalid character" errors.
pub(crate) fn fold_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Display form of a single offending character for error messages.
///
/// Quotes printable characters and names invisible ones, because
/// `包含无效字符“ ”` tells a clerk nothing.
pub(crate) fn describe_char(c: char) -> String {
    match c {
        ' ' => "空格".to_owned(),
        '\t' => "制表符".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
        c => format!("“{c}”"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_digits_letters_and_space() {
        assert_eq!(fold_width("\u{3000}９１ＡＢｃ＋８６ "), "91ABc+86");
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(fold_width(" 中山市 "), "中山市");
        assert_eq!(fold_width(""), "");
    }

    #[test]
    fn describes_invisible_chars_by_name() {
        assert_eq!(describe_char(' '), "空格");
        assert_eq!(describe_char('\u{0}'), "U+0000");
        assert_eq!(describe_char('O'), "“O”");
    }
}
