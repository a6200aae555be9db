//! Render stage helper: the accessible SVG map of France by département (home page).
//!
//! The shapes are embedded (`referentiels/carte/departements.json`: sources, licences and how
//! the overseas insets were placed are in `referentiels/README.md`) and parsed once per
//! process. The mainland keeps the source's coordinates (a 613 × 585 frame, widened 12 units
//! on the left for the insets); Guadeloupe, Martinique, Guyane, La Réunion and Mayotte are
//! already drawn inside their inset boxes, in the Bay of Biscay corner. The map carries no inline style and no script: its colours come from the theme's
//! classes (`carte`, `carte__dep`, `carte__dep--actif`, `carte__encart`, `carte__legende`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::html::escape;

/// One département as the page gives it.
pub struct Zone<'a> {
    pub code: &'a str,
    pub nom: &'a str,
    pub url: &'a str,
    pub actif: bool,
}

/// The credit the CC BY 4.0 licence of the mainland shapes asks for, to print near the map
/// (or on the legal page).
pub const ATTRIBUTION: &str = "Fond de carte : MapSVG et Victor Cazanave (svg-maps), \
     licence CC BY 4.0, modifié ; départements d'outre-mer : Natural Earth.";

#[derive(Deserialize)]
struct Donnees {
    #[serde(rename = "viewBox")]
    view_box: String,
    departements: Vec<Forme>,
}

#[derive(Deserialize)]
struct Forme {
    code: String,
    nom: String,
    d: String,
    #[serde(default)]
    encart: Option<Encart>,
}

/// The box of an overseas département, in map coordinates; its top 15 units hold the label.
#[derive(Deserialize)]
struct Encart {
    x: f64,
    y: f64,
    largeur: f64,
    hauteur: f64,
}

struct Carte {
    view_box: String,
    /// In the order of the official list.
    formes: Vec<Forme>,
    /// Code INSEE → index in `formes`.
    index: BTreeMap<String, usize>,
}

impl Carte {
    fn forme(&self, code: &str) -> Option<&Forme> {
        self.index.get(code).map(|&i| &self.formes[i])
    }
}

/// The shapes, parsed on first use.
fn carte() -> &'static Carte {
    static CARTE: OnceLock<Carte> = OnceLock::new();
    CARTE.get_or_init(|| {
        let donnees: Donnees =
            serde_json::from_str(include_str!("../referentiels/carte/departements.json"))
                .expect("embedded map");
        let index = donnees
            .departements
            .iter()
            .enumerate()
            .map(|(i, f)| (f.code.clone(), i))
            .collect();
        Carte {
            view_box: donnees.view_box,
            formes: donnees.departements,
            index,
        }
    })
}

/// The label baseline sits this far below the top of an inset box.
const LEGENDE_BASE: f64 = 11.5;
/// Font size of the inset labels, in map units: the boxes are sized for it.
const LEGENDE_TAILLE: &str = "10";

/// The map as an inline `<svg>` string: every département is a link (`<a href=url>`) with its
/// name as accessible name; `actif` départements (those with a fiche territoriale or CRTE) get
/// the class `carte__dep--actif`, the others `carte__dep`. `titre` is the map's accessible name.
///
/// Links come in the order of `zones` (the keyboard order); a zone whose code has no shape is
/// left out, and a shape no zone names is drawn without a link, hidden from assistive
/// technologies, so the map never has a hole.
pub fn france(zones: &[Zone], titre: &str) -> String {
    let carte = carte();
    let mut svg = String::with_capacity(96 * 1024);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{}\" role=\"group\" \
         aria-labelledby=\"carte-titre\" class=\"carte\">\
         <title id=\"carte-titre\">{}</title>",
        escape(&carte.view_box),
        escape(titre)
    );

    // The inset frames and their labels: decoration, the links carry the names.
    svg.push_str("<g aria-hidden=\"true\">");
    for forme in &carte.formes {
        if let Some(e) = &forme.encart {
            let _ = write!(
                svg,
                "<rect class=\"carte__encart\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
                 fill=\"none\"/><text class=\"carte__legende\" x=\"{}\" y=\"{}\" \
                 text-anchor=\"middle\" font-size=\"{LEGENDE_TAILLE}\">{}</text>",
                e.x,
                e.y,
                e.largeur,
                e.hauteur,
                e.x + e.largeur / 2.0,
                e.y + LEGENDE_BASE,
                escape(&forme.nom)
            );
        }
    }
    for forme in &carte.formes {
        if !zones.iter().any(|z| z.code == forme.code) {
            let _ = write!(
                svg,
                "<path class=\"carte__dep carte__dep--inerte\" d=\"{}\"/>",
                forme.d
            );
        }
    }
    svg.push_str("</g>");

    for zone in zones {
        let Some(forme) = carte.forme(zone.code) else {
            continue;
        };
        let classe = if zone.actif {
            "carte__dep carte__dep--actif"
        } else {
            "carte__dep"
        };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"{classe}\"><title>{} ({})</title><path d=\"{}\"/></a>",
            escape(zone.url),
            escape(zone.nom),
            escape(zone.code),
            forme.d
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referentiel;

    /// Every département of the official list, each with its own URL.
    fn toutes() -> Vec<(String, String, String)> {
        referentiel::get()
            .departements()
            .filter(|d| d.zone != "com")
            .map(|d| {
                (
                    d.code.clone(),
                    d.nom.clone(),
                    format!("departements/{}/", d.code.to_lowercase()),
                )
            })
            .collect()
    }

    fn zones(v: &[(String, String, String)]) -> Vec<Zone<'_>> {
        v.iter()
            .map(|(code, nom, url)| Zone {
                code,
                nom,
                url,
                actif: code == "48" || code == "974",
            })
            .collect()
    }

    #[test]
    fn every_departement_of_the_official_list_has_a_shape() {
        let officiel = toutes();
        assert_eq!(officiel.len(), 101);
        let carte = carte();
        for (code, nom, _) in &officiel {
            let forme = carte
                .forme(code)
                .unwrap_or_else(|| panic!("no shape for {code}"));
            assert_eq!(&forme.nom, nom);
            assert!(forme.d.starts_with('M') && forme.d.ends_with('z'), "{code}");
        }
        assert_eq!(carte.formes.len(), 101, "only départements are on the map");
        let encarts: Vec<&str> = carte
            .formes
            .iter()
            .filter(|f| f.encart.is_some())
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(encarts, ["971", "972", "973", "974", "976"]);
    }

    #[test]
    fn insets_stay_inside_the_frame_and_apart() {
        let carte = carte();
        let vb: Vec<f64> = carte
            .view_box
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        let boites: Vec<&Encart> = carte
            .formes
            .iter()
            .filter_map(|f| f.encart.as_ref())
            .collect();
        for (i, a) in boites.iter().enumerate() {
            assert!(a.x >= vb[0] && a.y >= vb[1]);
            assert!(a.x + a.largeur <= vb[0] + vb[2] && a.y + a.hauteur <= vb[1] + vb[3]);
            for b in &boites[i + 1..] {
                let apart = a.x + a.largeur <= b.x
                    || b.x + b.largeur <= a.x
                    || a.y + a.hauteur <= b.y
                    || b.y + b.hauteur <= a.y;
                assert!(apart, "insets overlap");
            }
        }
    }

    #[test]
    fn each_zone_gives_one_link_and_the_output_is_stable() {
        let officiel = toutes();
        let z = zones(&officiel);
        let svg = france(&z, "Carte des départements");
        assert_eq!(svg, france(&z, "Carte des départements"));
        assert_eq!(svg.matches("<a href").count(), 101);
        for (code, _, url) in &officiel {
            assert_eq!(
                svg.matches(&format!("<a href=\"{url}\"")).count(),
                1,
                "{code}"
            );
        }
        assert!(svg.contains(
            "<a href=\"departements/48/\" class=\"carte__dep carte__dep--actif\">\
             <title>Lozère (48)</title><path d=\"M"
        ));
        assert!(svg.contains(
            "<a href=\"departements/2a/\" class=\"carte__dep\"><title>Corse-du-Sud (2A)</title>"
        ));
        assert_eq!(svg.matches("carte__dep--actif").count(), 2);
        assert_eq!(svg.matches("<rect class=\"carte__encart\"").count(), 5);
        assert!(svg.contains(">La Réunion</text>"));
        assert!(!svg.contains("carte__dep--inerte"));
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-12 0 625 585\" role=\"group\" \
             aria-labelledby=\"carte-titre\" class=\"carte\"><title id=\"carte-titre\">\
             Carte des départements</title>"
        ));
        assert!(svg.ends_with("</svg>"));
        for interdit in ["style=", "<style", "<script", "javascript:", " onclick="] {
            assert!(!svg.contains(interdit), "{interdit}");
        }
    }

    #[test]
    fn names_titles_and_urls_are_escaped() {
        let z = [Zone {
            code: "2A",
            nom: "<Corse> & \"Sud\" l'île",
            url: "/x?a=1&b=\"2\"'<3>",
            actif: false,
        }];
        let svg = france(&z, "Carte <des> départements & \"CRTE\"");
        assert!(svg.contains("<title>&lt;Corse&gt; &amp; &quot;Sud&quot; l&#39;île (2A)</title>"));
        assert!(svg.contains("<a href=\"/x?a=1&amp;b=&quot;2&quot;&#39;&lt;3&gt;\""));
        assert!(svg.contains(
            "<title id=\"carte-titre\">Carte &lt;des&gt; départements &amp; &quot;CRTE&quot;</title>"
        ));
    }

    #[test]
    fn unknown_codes_are_left_out_and_unnamed_shapes_drawn_without_link() {
        let z = [
            Zone {
                code: "975",
                nom: "Saint-Pierre-et-Miquelon",
                url: "a/",
                actif: true,
            },
            Zone {
                code: "48",
                nom: "Lozère",
                url: "b/",
                actif: false,
            },
        ];
        let svg = france(&z, "Carte");
        assert_eq!(svg.matches("<a href").count(), 1);
        assert!(!svg.contains("Saint-Pierre"));
        assert_eq!(svg.matches("carte__dep--inerte").count(), 100);
        assert_eq!(
            svg.matches("<g aria-hidden=\"true\">").count(),
            1,
            "the inert shapes are hidden with the frames"
        );
    }
}
