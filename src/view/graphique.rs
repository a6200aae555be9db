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

/// The frame of a chart, in SVG units, which the page scales to its column.
#[derive(Clone, Copy)]
pub struct Gabarit {
    width: f64,
    /// Width of 100 %.
    scale: f64,
    /// Characters of a label line before it wraps.
    wrap: usize,
    /// Horizontal gap between the legend's entries.
    legend_gap: f64,
    /// The graduations of the scale, in %.
    graduations: &'static [f64],
}

/// For a column of a desktop page (48rem): 760 units shown at about 1:1.
pub const LARGE: Gabarit = Gabarit {
    width: 760.0,
    scale: 540.0,
    wrap: 80,
    legend_gap: 160.0,
    graduations: &[0.0, 25.0, 50.0, 75.0, 100.0],
};

/// For a phone (a 350 px column): as many units as pixels, so the labels keep their size
/// (14 px) instead of shrinking to 6 px with the wide chart.
pub const ETROIT: Gabarit = Gabarit {
    width: 340.0,
    scale: 215.0,
    wrap: 34,
    legend_gap: 130.0,
    graduations: &[0.0, 50.0, 100.0],
};

const BAR: f64 = 16.0;
const LINE: f64 = 18.0;
const FILLS: [&str; 2] = ["#000091", "#6a6af4"];

/// Splits a label into lines of at most `max` characters, at spaces.
fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > max {
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

/// A horizontal bar chart, 0 to 100 %, two series per group, laid out in `g`.
pub fn barres(
    g: Gabarit,
    id: &str,
    titre: &str,
    description: &str,
    series: &[&str; 2],
    groupes: &[Barres],
) -> String {
    let top = 44.0;
    let mut body = String::new();
    let mut y = top;
    for groupe in groupes {
        let _ = write!(body, r#"<g class="graphique-groupe">"#);
        for line in wrap(groupe.libelle, g.wrap) {
            y += LINE;
            let _ = write!(
                body,
                r#"<text x="0" y="{y}" font-size="14" font-weight="bold" fill="currentColor">{}</text>"#,
                escape(&line)
            );
        }
        y += 6.0;
        for (i, v) in groupe.valeurs.iter().enumerate() {
            let Some(v) = v else { continue };
            let w = v.clamp(0.0, 100.0) / 100.0 * g.scale;
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
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="graphique" viewBox="0 0 {w} {height}" width="{w}" height="{height}" role="img" aria-labelledby="{id}-titre {id}-description" focusable="false">"#,
        w = g.width
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-titre">{}</title><desc id="{id}-description">{}</desc>"#,
        escape(titre),
        escape(description)
    );
    // Legend, then the 0–100 % scale with its grid.
    for (i, name) in series.iter().enumerate() {
        let x = i as f64 * g.legend_gap;
        let _ = write!(
            svg,
            r#"<rect class="graphique-barre graphique-serie-{}" x="{x}" y="2" width="14" height="14" fill="{}"/><text x="{}" y="14" font-size="13" fill="currentColor">% {}</text>"#,
            i + 1,
            FILLS[i],
            x + 20.0,
            escape(name)
        );
    }
    let last = g.graduations.len().saturating_sub(1);
    for (step, &pct) in g.graduations.iter().enumerate() {
        let x = pct / 100.0 * g.scale;
        let _ = write!(
            svg,
            r##"<line class="graphique-grille" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#929292" stroke-width="1" stroke-dasharray="2 3"/>"##,
            top - 6.0,
            height - 8.0
        );
        let anchor = match step {
            0 => "start",
            s if s == last => "end",
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
            LARGE,
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
        // On a phone: 340 units wide, 13,7 % of 215.
        let etroit = barres(ETROIT, "g", "t", "d", &["réalisé", "programmé"], &[]);
        assert!(etroit.contains(r#"viewBox="0 0 340 "#), "{etroit}");
    }

    #[test]
    fn long_labels_wrap_at_spaces() {
        let l = wrap(&"mot ".repeat(40), 34);
        assert!(l.len() > 1 && l.iter().all(|x| x.chars().count() <= 34));
    }
}
