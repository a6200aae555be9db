//! View helper: the accessible SVG map of France by département (home page).
//!
//! The shapes are embedded (`referentiels/carte/departements.json`: sources, licences and how
//! the overseas insets were placed are in `referentiels/README.md`) and parsed once per
//! process. The mainland keeps the source's coordinates (a 613 × 585 frame, widened 12 units
//! on the left for the insets); Guadeloupe, Martinique, Guyane, La Réunion and Mayotte are
//! already drawn inside their inset boxes, in the Bay of Biscay corner; Paris and the petite
//! couronne are drawn again, enlarged, in a box of the Channel corner. The map carries no
//! inline style and no script: its colours come from the theme's
//! classes (`carte`, `carte__dep`, `carte__dep--actif`, `carte__encart`, `carte__legende`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::escape;

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
            serde_json::from_str(include_str!("../../referentiels/carte/departements.json"))
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

/// Paris and the petite couronne are a few pixels wide on the map: their links are in a box in
/// the Channel corner (free of shapes), where they are drawn again, enlarged; on the map itself
/// they are drawn without links.
const AGRANDIS: [&str; 4] = ["75", "92", "93", "94"];
const LOUPE: Encart = Encart {
    x: -11.0,
    y: 1.0,
    largeur: 140.0,
    hauteur: 125.0,
};
const LOUPE_TITRE: &str = "Paris et petite couronne";

/// The bounding box (x0, y0, x1, y1) of a path made of `M`, `m`, `L`, `l` and `z` commands (the
/// embedded shapes use no other).
fn bbox(d: &str) -> Option<(f64, f64, f64, f64)> {
    // Tokens: command letters and numbers (`2.2-.4-.3` is three numbers).
    let mut tokens: Vec<Result<char, f64>> = Vec::new();
    let mut number = String::new();
    let end_number = |number: &mut String, tokens: &mut Vec<Result<char, f64>>| -> Option<()> {
        if !number.is_empty() {
            tokens.push(Err(number.parse().ok()?));
            number.clear();
        }
        Some(())
    };
    for c in d.chars() {
        match c {
            '0'..='9' => number.push(c),
            '-' | '.' => {
                if c == '-' || number.contains('.') {
                    end_number(&mut number, &mut tokens)?;
                }
                number.push(c);
            }
            ',' | ' ' => end_number(&mut number, &mut tokens)?,
            'M' | 'm' | 'L' | 'l' | 'Z' | 'z' => {
                end_number(&mut number, &mut tokens)?;
                tokens.push(Ok(c));
            }
            _ => return None,
        }
    }
    end_number(&mut number, &mut tokens)?;

    let (mut x, mut y, mut start) = (0.0, 0.0, (0.0, 0.0));
    let mut command = 'M';
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut pending: Option<f64> = None;
    for t in tokens {
        match t {
            Ok('Z' | 'z') => (x, y) = start,
            Ok(c) => command = c,
            Err(n) => match pending.take() {
                None => pending = Some(n),
                Some(dx) => {
                    let dy = n;
                    (x, y) = if command.is_ascii_uppercase() {
                        (dx, dy)
                    } else {
                        (x + dx, y + dy)
                    };
                    // After a move, further pairs are lines.
                    if command.eq_ignore_ascii_case(&'m') {
                        start = (x, y);
                        command = if command == 'M' { 'L' } else { 'l' };
                    }
                    b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
                }
            },
        }
    }
    (pending.is_none() && b.0 <= b.2).then_some(b)
}

/// The `matrix(…)` that draws the enlarged shapes inside [`LOUPE`], below its label.
fn loupe_transform(carte: &Carte) -> Option<String> {
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for code in AGRANDIS {
        let f = bbox(&carte.forme(code)?.d)?;
        b = (b.0.min(f.0), b.1.min(f.1), b.2.max(f.2), b.3.max(f.3));
    }
    let (w, h) = (LOUPE.largeur - 10.0, LOUPE.hauteur - 15.0 - 6.0);
    let k = (w / (b.2 - b.0)).min(h / (b.3 - b.1));
    let tx = LOUPE.x + LOUPE.largeur / 2.0 - k * (b.0 + b.2) / 2.0;
    let ty = LOUPE.y + 15.0 + (LOUPE.hauteur - 15.0) / 2.0 - k * (b.1 + b.3) / 2.0;
    Some(format!("matrix({k:.3} 0 0 {k:.3} {tx:.2} {ty:.2})"))
}

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
            cadre(&mut svg, e, &forme.nom);
        }
    }
    let loupe = loupe_transform(carte);
    if loupe.is_some() {
        cadre(&mut svg, &LOUPE, LOUPE_TITRE);
        // Their shapes at map scale: context only, the links are in the box.
        for zone in zones.iter().filter(|z| AGRANDIS.contains(&z.code)) {
            if let Some(forme) = carte.forme(zone.code) {
                let _ = write!(
                    svg,
                    "<g class=\"{}\"><path d=\"{}\"/></g>",
                    classe(zone),
                    forme.d
                );
            }
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
        let agrandi = match &loupe {
            Some(m) if AGRANDIS.contains(&zone.code) => {
                format!(" transform=\"{m}\" vector-effect=\"non-scaling-stroke\"")
            }
            _ => String::new(),
        };
        // A link in an inset box: a phone shows the insets apart (see [`encarts`]).
        let encart = if forme.encart.is_some() || !agrandi.is_empty() {
            " carte__dans-encart"
        } else {
            ""
        };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"{}{encart}\"><title>{} ({})</title><path d=\"{}\"{agrandi}/></a>",
            escape(zone.url),
            classe(zone),
            escape(zone.nom),
            escape(zone.code),
            forme.d
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The map that situates a département on its page, one file for the whole site: every
/// département is a shape `d-<code>` (`d-2a`), and the page names its own in the image's address
/// (`carte-situation.svg#d-48`), which the map's CSS fills (`:target`). No link: the page's
/// `alt` says which département it shows.
pub fn situation() -> String {
    let carte = carte();
    let mut svg = String::with_capacity(96 * 1024);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{}\">\
         <style>path{{fill:#dddde8;stroke:#fff;stroke-width:1}}path:target{{fill:#000091}}\
         .carte__encart{{stroke:#929292}}.carte__legende{{fill:#3a3a3a;font-family:sans-serif}}</style>",
        escape(&carte.view_box)
    );
    for forme in &carte.formes {
        if let Some(e) = &forme.encart {
            cadre(&mut svg, e, &forme.nom);
        }
    }
    for forme in &carte.formes {
        let _ = write!(
            svg,
            "<path id=\"d-{}\" d=\"{}\"/>",
            forme.code.to_lowercase(),
            forme.d
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One inset box drawn apart, for a phone: its name, and its shapes as an inline `<svg>`
/// whose links carry the départements' names.
#[derive(Debug, Serialize)]
pub struct EncartVue {
    pub nom: String,
    pub svg: String,
}

/// The inset boxes of the map (Paris and the petite couronne, then the five overseas
/// départements), each drawn apart at its own scale: on a phone the map is 350 px wide and
/// its insets' labels would be 5 px high; apart, the names are the page's text and the
/// shapes fill a tile. The map hides its own insets there (class `carte__dans-encart`).
pub fn encarts(zones: &[Zone]) -> Vec<EncartVue> {
    let carte = carte();
    let lien = |zone: &Zone, d: &str, transform: &str| {
        format!(
            "<a href=\"{}\" class=\"{}\"><title>{} ({})</title><path d=\"{d}\"{transform}/></a>",
            escape(zone.url),
            classe(zone),
            escape(zone.nom),
            escape(zone.code)
        )
    };
    // The box without its label band: the label is the tile's text.
    let cadre = |e: &Encart, contenu: String, nom: &str| EncartVue {
        nom: nom.to_string(),
        svg: format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" role=\"group\" \
             aria-label=\"{}\" class=\"carte carte--encart\">{contenu}</svg>",
            e.x,
            e.y + 15.0,
            e.largeur,
            e.hauteur - 15.0,
            escape(nom)
        ),
    };
    let mut out = Vec::new();
    if let Some(m) = loupe_transform(carte) {
        let transform = format!(" transform=\"{m}\" vector-effect=\"non-scaling-stroke\"");
        let liens: String = zones
            .iter()
            .filter(|z| AGRANDIS.contains(&z.code))
            .filter_map(|z| Some(lien(z, &carte.forme(z.code)?.d, &transform)))
            .collect();
        if !liens.is_empty() {
            out.push(cadre(&LOUPE, liens, LOUPE_TITRE));
        }
    }
    for forme in &carte.formes {
        let (Some(e), Some(zone)) = (&forme.encart, zones.iter().find(|z| z.code == forme.code))
        else {
            continue;
        };
        out.push(cadre(e, lien(zone, &forme.d, ""), &forme.nom));
    }
    out
}

/// The frame of an inset box and its label.
fn cadre(svg: &mut String, e: &Encart, nom: &str) {
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
        escape(nom)
    );
}

fn classe(zone: &Zone) -> &'static str {
    if zone.actif {
        "carte__dep carte__dep--actif"
    } else {
        "carte__dep"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::officiel;

    /// Every département of the official list, each with its own URL.
    fn toutes() -> Vec<(String, String, String)> {
        officiel::get()
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
        let mut boites: Vec<&Encart> = carte
            .formes
            .iter()
            .filter_map(|f| f.encart.as_ref())
            .collect();
        boites.push(&LOUPE);
        // No mainland shape crosses the Paris box.
        for f in carte.formes.iter().filter(|f| f.encart.is_none()) {
            let b = bbox(&f.d).unwrap();
            assert!(
                b.0 > LOUPE.x + LOUPE.largeur || b.1 > LOUPE.y + LOUPE.hauteur,
                "{} crosses the Paris box",
                f.code
            );
        }
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
        // The five overseas départements and the Paris box.
        assert_eq!(svg.matches("<rect class=\"carte__encart\"").count(), 6);
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
    fn paris_and_the_petite_couronne_are_linked_in_their_box() {
        assert_eq!(
            bbox("M311.7,141.4l2.9,0 .8,2.6-.3,1.2z"),
            Some((311.7, 141.4, 315.4, 145.2))
        );
        let officiel = toutes();
        let svg = france(&zones(&officiel), "Carte");
        assert_eq!(svg.matches("<a href=").count(), 101);
        let paris = svg.split("<a href=\"departements/75/\"").nth(1).unwrap();
        let paris = &paris[..paris.find("</a>").unwrap()];
        assert!(paris.contains("<title>Paris (75)</title>"));
        assert!(paris.contains(" transform=\"matrix("), "{paris}");
        // Drawn at map scale too, without a link, hidden from assistive technologies.
        let hidden = &svg[..svg.find("<a href=").unwrap()];
        assert!(hidden.contains(">Paris et petite couronne</text>"));
        assert_eq!(hidden.matches("<g class=\"carte__dep\"><path").count(), 4);
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
