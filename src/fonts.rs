//! The free fallback fonts embedded in the binary (`fonts/`, see its README): the PDF fiches
//! fall back to them for any character the theme's fonts lack, and the text of an SVG logo is
//! laid out with them when the logo is cleaned.

/// DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew, symbols, arrows, maths), Symbola
/// (emoji as text), Droid Sans Fallback (CJK): in the order typst should try them.
pub const SECOURS: [&[u8]; 3] = [
    include_bytes!("../fonts/DejaVuSans.ttf"),
    include_bytes!("../fonts/Symbola.ttf"),
    include_bytes!("../fonts/DroidSansFallback.ttf"),
];

/// The family of the first fallback font, for text that names no font available.
pub const FAMILLE: &str = "DejaVu Sans";
