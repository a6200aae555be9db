//! View helper: bar charts drawn by the build as inline SVG (no script, no library,
//! nothing fetched), for the COT pages.
//!
//! A chart is an image with a title and a description (`role="img"`, `aria-labelledby`); the
//! page also gives the same figures as a table. Each bar carries its series name and value in
//! text, so no information is conveyed by colour alone. Colours are classes the theme styles,
//! with fill attributes as a fallback.

use std::fmt::Write;

use super::escape;
use super::format;

/// One group of bars: an axis and its values (one per series, absent values are skipped).
pub struct Barres<'a> {
    pub libelle: &'a str,
    pub valeurs: [Option<f64>; 2],
}

const WIDTH: f64 = 760.0;
/// Width of 100 %.
const SCALE: f64 = 540.0;
const BAR: f64 = 16.0;
const LINE: f64 = 18.0;
/// Characters of a label line before it wraps.
const WRAP: usize = 80;
const FILLS: [&str; 2] = ["#000091", "#6a6af4"];

/// Splits a label into lines of at most [`WRAP`] characters, at spaces.
fn wrap(s: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > WRAP {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// A horizontal bar chart, 0 to 100 %, two series per group.
pub fn barres(
    id: &str,
    titre: &str,
    description: &str,
    series: &[&str; 2],
    groupes: &[Barres],
) -> String {
    let top = 44.0;
    let mut body = String::new();
    let mut y = top;
    for g in groupes {
        let _ = write!(body, r#"<g class="graphique-groupe">"#);
        for line in wrap(g.libelle) {
            y += LINE;
            let _ = write!(
                body,
                r#"<text x="0" y="{y}" font-size="14" font-weight="bold" fill="currentColor">{}</text>"#,
                escape(&line)
            );
        }
        y += 6.0;
        for (i, v) in g.valeurs.iter().enumerate() {
            let Some(v) = v else { continue };
            let w = v.clamp(0.0, 100.0) / 100.0 * SCALE;
            let _ = write!(
                body,
                r#"<rect class="graphique-barre graphique-serie-{}" x="0" y="{y}" width="{w:.1}" height="{BAR}" fill="{}"/>"#,
                i + 1,
                FILLS[i]
            );
            let _ = write!(
                body,
                r#"<text class="graphique-valeur" x="{:.1}" y="{:.1}" font-size="13" fill="currentColor">{} {}</text>"#,
                w + 6.0,
                y + BAR - 3.0,
                escape(series[i]),
                escape(&format::percent(*v))
            );
            y += BAR + 4.0;
        }
        y += 12.0;
        body.push_str("</g>");
    }
    let height = y + 4.0;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="graphique" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-titre {id}-description" focusable="false">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-titre">{}</title><desc id="{id}-description">{}</desc>"#,
        escape(titre),
        escape(description)
    );
    // Legend, then the 0–100 % scale with its grid.
    for (i, name) in series.iter().enumerate() {
        let x = i as f64 * 160.0;
        let _ = write!(
            svg,
            r#"<rect class="graphique-barre graphique-serie-{}" x="{x}" y="2" width="14" height="14" fill="{}"/><text x="{}" y="14" font-size="13" fill="currentColor">% {}</text>"#,
            i + 1,
            FILLS[i],
            x + 20.0,
            escape(name)
        );
    }
    for step in 0..=4 {
        let pct = f64::from(step) * 25.0;
        let x = pct / 100.0 * SCALE;
        let _ = write!(
            svg,
            r##"<line class="graphique-grille" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#929292" stroke-width="1" stroke-dasharray="2 3"/>"##,
            top - 6.0,
            height - 8.0
        );
        let anchor = match step {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{}" font-size="12" text-anchor="{anchor}" fill="currentColor">{}</text>"#,
            top - 10.0,
            escape(&format::percent(pct))
        );
    }
    svg.push_str(&body);
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_is_an_image_with_its_alternative_and_escaped_labels() {
        let svg = barres(
            "graphique-cae",
            "CAE : % réalisé et % programmé par axe",
            "Mobilité : 13,7 % réalisé, 3,7 % programmé.",
            &["réalisé", "programmé"],
            &[Barres {
                libelle: "Mobilité <script>",
                valeurs: [Some(13.7), Some(3.7)],
            }],
        );
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(
            r#"role="img" aria-labelledby="graphique-cae-titre graphique-cae-description""#
        ));
        assert!(svg.contains("<desc id=\"graphique-cae-description\">Mobilité : 13,7 % réalisé"));
        assert!(svg.contains("Mobilité &lt;script&gt;"));
        assert!(!svg.contains("<script"));
        // 13,7 % of the 540-pixel scale.
        assert!(svg.contains(r#"width="74.0""#), "{svg}");
        assert!(svg.contains("réalisé 13,7\u{a0}%"));
    }

    #[test]
    fn long_labels_wrap_at_spaces() {
        let l = wrap(&"mot ".repeat(40));
        assert!(l.len() > 1 && l.iter().all(|x| x.chars().count() <= WRAP));
    }
}
