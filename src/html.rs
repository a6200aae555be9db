//! Render stage: the website. Builds one view per page from the catalogue and renders it with
//! the theme's minijinja templates (strict undefined, HTML escaping for every template).
//!
//! minijinja rather than tera: it reports template errors with file and line, its strict mode
//! catches a misspelt variable, its escaping can be forced for every file name (tera and
//! minijinja's defaults key it on the `.html` extension), and it has far fewer dependencies.

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::catalog::Catalog;
use crate::datasets::Jeu;
use crate::fiche::{Fiche, NON_RENSEIGNE};
use crate::output::Output;
use crate::site::{Conformite, LEGAL_PAGES};
use crate::{OpError, carte, format, markdown, referentiel};

/// Escapes `& < > " '`: enough for HTML and SVG text and double-quoted attribute values. Used
/// by the templates' formatter and by the SVG the build draws (map, charts).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The theme's templates, loaded and compiled once.
pub struct Theme {
    pub dir: PathBuf,
    env: Environment<'static>,
}

impl Theme {
    pub fn load(dir: &Path) -> Result<Theme, OpError> {
        let templates = dir.join("templates");
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Every template escapes, whatever its extension (.xml, .txt included).
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        // The default HTML escape also writes `/` as `&#x2f;`: valid, but it garbles every
        // address in the pages' source. Escaping `& < > " '` is what HTML needs.
        env.set_formatter(|out, state, value| {
            if *state.auto_escape() == AutoEscape::Html
                && !value.is_safe()
                && !value.is_undefined()
                && !value.is_none()
            {
                out.write_str(&escape(&value.to_string())).map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
                })
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        let entries = std::fs::read_dir(&templates)
            .map_err(|e| OpError::io("lire le dossier de gabarits", &templates, e))?;
        let mut names: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        for path in names {
            let name = path
                .file_name()
                .expect("files have names")
                .to_string_lossy()
                .into_owned();
            let source =
                std::fs::read_to_string(&path).map_err(|e| OpError::io("lire", &path, e))?;
            env.add_template_owned(name, source)
                .map_err(|e| template_error(&templates, &e))?;
        }
        Ok(Theme {
            dir: dir.to_path_buf(),
            env,
        })
    }

    fn render(&self, name: &str, ctx: &Value) -> Result<String, OpError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&self.dir.join("templates"), &e))?;
        template
            .render(minijinja::value::Serde(ctx))
            .map_err(|e| template_error(&self.dir.join("templates"), &e))
    }
}

/// `gabarit themes/dsfr/templates/crte.html, ligne 12 : undefined value (fiche.titr)`.
fn template_error(dir: &Path, e: &minijinja::Error) -> OpError {
    let mut msg = format!("gabarit {}", dir.join(e.name().unwrap_or("?")).display());
    if let Some(line) = e.line() {
        msg.push_str(&format!(", ligne {line}"));
    }
    msg.push_str(&format!(" : {}", e.kind()));
    if let Some(detail) = e.detail() {
        msg.push_str(&format!(" ({detail})"));
    }
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        msg.push_str(&format!(" ; {inner}"));
        source = inner.source();
    }
    OpError::new(msg)
}

#[derive(Serialize)]
struct Lien {
    titre: String,
    url: String,
}

#[derive(Serialize)]
struct NavItem {
    titre: &'static str,
    url: String,
    actif: bool,
}

/// One page to render: its folder path (`crte/x/`, `` for the home), template and data.
struct PageSpec {
    chemin: String,
    template: &'static str,
    titre: String,
    description: String,
    /// Ancestors as (title, path from the root).
    ancetres: Vec<(String, String)>,
    /// The nav entry this page belongs to.
    rubrique: &'static str,
    data: Map<String, Value>,
}

/// `../../` for `crte/x/`.
fn racine(chemin: &str) -> String {
    "../".repeat(chemin.matches('/').count())
}

/// Renders every page of the site and writes them; returns the paths for the sitemap.
pub fn render(
    catalog: &Catalog,
    theme: &Theme,
    jeux: &[Jeu],
    out: &Output,
) -> Result<Vec<String>, OpError> {
    let site = site_view(catalog);
    let mut pages = Vec::new();

    let summaries = |racine: &str| -> Vec<Value> {
        catalog
        .crte
        .iter()
        .map(|e| {
            let r = &e.record;
            let ig = r.informations_generales.clone().unwrap_or_default();
            json!({
                "id": e.id,
                "titre": r.titre(),
                "url": format!("{racine}crte/{}/", e.id),
                "departement": r.departement_label().unwrap_or_else(|| NON_RENSEIGNE.into()),
                "structure_porteuse": ig.nom_structure_porteuse.unwrap_or_else(|| NON_RENSEIGNE.into()),
                "date_signature": ig.date_signature.as_deref().and_then(format::Date::parse_iso).map_or_else(|| NON_RENSEIGNE.into(), |d| d.french()),
                "nb_signataires": r.signataires.as_ref().map_or(0, Vec::len),
                "investissement": r.montants().depenses_investissement.map_or_else(|| NON_RENSEIGNE.into(), format::euros_compact),
            })
        })
        .collect()
    };
    let mut departements: Vec<&str> = catalog
        .crte
        .iter()
        .filter_map(|e| e.record.departement.as_deref())
        .collect();
    departements.sort_unstable();
    departements.dedup();

    let liste_departements = |racine: &str| departements_list(catalog, racine);
    let zones = liste_departements("");
    let zone_refs: Vec<carte::Zone> = zones
        .iter()
        .map(|d| carte::Zone {
            code: d["code"].as_str().unwrap_or_default(),
            nom: d["nom"].as_str().unwrap_or_default(),
            url: d["url"].as_str().unwrap_or_default(),
            actif: d["fiche"].as_bool().unwrap_or(false)
                || d["nb_crte"].as_u64().unwrap_or(0) > 0
                || d["nb_cot"].as_u64().unwrap_or(0) > 0,
        })
        .collect();
    let carte = carte::france(
        &zone_refs,
        "Carte des départements : chaque département mène à sa page",
    );

    pages.push(PageSpec {
        chemin: String::new(),
        template: "index.html",
        titre: "Accueil".into(),
        description: site["description"].as_str().unwrap_or_default().to_string(),
        ancetres: vec![],
        rubrique: "",
        data: obj(json!({
            "crtes": summaries(""),
            "stats": {
                "nb_crte": catalog.crte.len(),
                "nb_departements": departements.len(),
                "nb_fiches_territoriales": catalog.departements.len(),
                "nb_acteurs": catalog.ingenierie.len(),
                "nb_cot": catalog.cot.len(),
            },
            "carte": carte,
            "carte_credit": carte::ATTRIBUTION,
            "departements": zones,
        })),
    });
    pages.push(PageSpec {
        chemin: "crte/".into(),
        template: "crte_list.html",
        titre: "Contrats de relance et de transition écologique".into(),
        description: format!(
            "Les {} CRTE publiés, avec leurs fiches et leurs données.",
            catalog.crte.len()
        ),
        ancetres: vec![("Accueil".into(), String::new())],
        rubrique: "crte/",
        data: obj(json!({ "crtes": summaries("../") })),
    });
    for e in &catalog.crte {
        let chemin = format!("crte/{}/", e.id);
        let fiche = e.record.fiche(&e.id, crate::fiche::Liens::default());
        pages.push(PageSpec {
            titre: fiche.titre.clone(),
            description: format!("Fiche du {} : {}.", fiche.titre, fiche.sous_titre),
            chemin,
            template: "crte.html",
            ancetres: vec![
                ("Accueil".into(), String::new()),
                ("CRTE".into(), "crte/".into()),
            ],
            rubrique: "crte/",
            data: obj(json!({ "fiche": fiche_value(fiche, &e.id) })),
        });
    }
    pages.push(PageSpec {
        chemin: "departements/".into(),
        template: "departements.html",
        titre: "Départements".into(),
        description: format!(
            "Les 101 départements, leurs fiches territoriales ({}) et leurs CRTE.",
            crate::diagnostics::plural(catalog.departements.len(), "publiée", "publiées")
        ),
        ancetres: vec![("Accueil".into(), String::new())],
        rubrique: "departements/",
        data: obj(json!({ "departements": liste_departements("../") })),
    });
    for d in referentiel::get()
        .departements()
        .filter(|d| d.zone != "com")
    {
        let id = d.code.to_lowercase();
        let fiche = departement_view(catalog, d, "../../");
        pages.push(PageSpec {
            chemin: format!("departements/{id}/"),
            template: "departement.html",
            titre: format!("{} ({})", d.nom, d.code),
            description: format!(
                "{} : {}.",
                fiche["titre"].as_str().unwrap_or_default(),
                fiche["sous_titre"].as_str().unwrap_or_default()
            ),
            ancetres: vec![
                ("Accueil".into(), String::new()),
                ("Départements".into(), "departements/".into()),
            ],
            rubrique: "departements/",
            data: obj(json!({ "fiche": fiche })),
        });
    }
    if !catalog.ingenierie.is_empty() {
        let acteurs: Vec<(String, &crate::ingenierie::Acteur)> = catalog
            .ingenierie
            .iter()
            .map(|e| (e.id.clone(), &e.record))
            .collect();
        let data = crate::ingenierie::catalogue_view(catalog.site.ingenierie.as_ref(), &acteurs);
        let titre = data["catalogue"]["titre"]
            .as_str()
            .unwrap_or("Ingénierie locale")
            .to_string();
        pages.push(PageSpec {
            chemin: "ingenierie/".into(),
            template: "ingenierie.html",
            description: format!("{titre} : les {} acteurs qui accompagnent les collectivités, par type d'ingénierie et domaine.", acteurs.len()),
            titre: titre.clone(),
            ancetres: vec![("Accueil".into(), String::new())],
            rubrique: "ingenierie/",
            data: obj(data),
        });
        for e in &catalog.ingenierie {
            let acteur = e.record.view(&e.id);
            pages.push(PageSpec {
                chemin: format!("ingenierie/{}/", e.id),
                template: "acteur.html",
                titre: e.record.titre(),
                description: format!(
                    "Fiche acteur de l'ingénierie locale : {}.",
                    e.record.titre()
                ),
                ancetres: vec![
                    ("Accueil".into(), String::new()),
                    ("Ingénierie locale".into(), "ingenierie/".into()),
                ],
                rubrique: "ingenierie/",
                data: obj(json!({ "acteur": acteur })),
            });
        }
    }
    if !catalog.cot.is_empty() {
        let plans: Vec<crate::cot::Vue> = catalog
            .cot
            .iter()
            .map(|e| e.record.view(&e.id, false))
            .collect();
        pages.push(PageSpec {
            chemin: "cot/".into(),
            template: "cot_list.html",
            titre: "Contrats d'objectif territorial".into(),
            description: format!(
                "{} : scores des référentiels Climat-Air-Énergie et Économie circulaire, objectifs et plans d'actions.",
                crate::diagnostics::plural(plans.len(), "contrat d'objectif territorial", "contrats d'objectif territorial")
            ),
            ancetres: vec![("Accueil".into(), String::new())],
            rubrique: "cot/",
            data: obj(json!({ "plans": plans })),
        });
        for e in &catalog.cot {
            let plan = e.record.view(&e.id, true);
            pages.push(PageSpec {
                chemin: format!("cot/{}/", e.id),
                template: "cot.html",
                titre: plan.titre_complet.clone(),
                description: format!(
                    "{} de la collectivité {} : audits, objectifs, orientations et calendrier.",
                    plan.titre, plan.collectivite.nom
                ),
                ancetres: vec![
                    ("Accueil".into(), String::new()),
                    ("COT".into(), "cot/".into()),
                ],
                rubrique: "cot/",
                data: obj(json!({ "plan": plan })),
            });
        }
    }
    pages.push(PageSpec {
        chemin: "donnees/".into(),
        template: "donnees.html",
        titre: "Données ouvertes".into(),
        description: "Les jeux de données du site, sous Licence Ouverte 2.0.".into(),
        ancetres: vec![("Accueil".into(), String::new())],
        rubrique: "donnees/",
        data: obj(json!({ "jeux": jeux })),
    });
    for p in &catalog.pages {
        let titre = LEGAL_PAGES
            .iter()
            .find(|(s, _)| *s == p.slug)
            .map_or_else(|| title_of(&p.text, &p.slug), |(_, t)| t.to_string());
        pages.push(PageSpec {
            chemin: format!("{}/", p.slug),
            template: "page.html",
            description: format!("{titre} — {}", site["titre"].as_str().unwrap_or_default()),
            titre,
            ancetres: vec![("Accueil".into(), String::new())],
            rubrique: "",
            data: obj(json!({ "contenu_html": markdown::to_html(&p.text) })),
        });
    }

    pages.par_iter().try_for_each(|p| {
        let html = theme.render(p.template, &context(&site, p, &racine(&p.chemin)))?;
        out.write(&format!("{}index.html", p.chemin), html.as_bytes())
    })?;

    // The 404 page is served for any missing address, at any depth: its links start from the
    // site's own absolute path.
    let base_path = base_path(catalog.site.url_base());
    let not_found = PageSpec {
        chemin: String::new(),
        template: "404.html",
        titre: "Page non trouvée".into(),
        description: "Cette page n'existe pas.".into(),
        ancetres: vec![],
        rubrique: "",
        data: Map::new(),
    };
    out.write(
        "404.html",
        theme
            .render("404.html", &context(&site, &not_found, &base_path))?
            .as_bytes(),
    )?;

    let base = catalog.site.url_base();
    let urls: Vec<Value> = pages
        .iter()
        .map(|p| json!({ "loc": format!("{base}{}", p.chemin), "lastmod": Value::Null }))
        .collect();
    out.write(
        "sitemap.xml",
        theme
            .render("sitemap.xml", &json!({ "urls": urls }))?
            .as_bytes(),
    )?;
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    out.write("robots.txt", robots.as_bytes())?;
    Ok(pages.into_iter().map(|p| p.chemin).collect())
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("json! of an object"),
    }
}

/// The CRTE of the site in département `code`, as its fiche links them.
fn crte_of<'a>(catalog: &'a Catalog, code: &str) -> Vec<crate::departement::CrteLien<'a>> {
    catalog
        .crte
        .iter()
        .filter(|e| e.record.departement.as_deref() == Some(code))
        .map(|e| crate::departement::CrteLien {
            nom: e.record.nom_usuel().unwrap_or_else(|| e.id.clone()),
            id: &e.id,
        })
        .collect()
}

/// The COT plans of the collectivités of département `code`.
fn cot_of<'a>(
    catalog: &'a Catalog,
    code: &'a str,
) -> impl Iterator<Item = &'a crate::catalog::Entry<crate::cot::Cot>> {
    catalog.cot.iter().filter(move |e| {
        e.record
            .collectivite
            .as_ref()
            .and_then(|c| c.departement.as_deref())
            == Some(code)
    })
}

/// One row per département of the official list, for the list page, the map and its text
/// alternative.
fn departements_list(catalog: &Catalog, racine: &str) -> Vec<Value> {
    let r = referentiel::get();
    r.departements()
        .filter(|d| d.zone != "com")
        .map(|d| {
            let fiche = catalog
                .departements
                .iter()
                .find(|e| e.id == d.code.to_lowercase());
            let programmes = fiche
                .map(|f| f.record.programmes().join(", "))
                .filter(|p| !p.is_empty());
            json!({
                "code": d.code,
                "nom": d.nom,
                "region": r.region(&d.region).map_or(String::new(), |x| x.nom.clone()),
                // Sort key of the région in French order (« Île-de-France » among the I).
                "region_tri": r.region(&d.region).map_or(String::new(), |x| referentiel::fold(&x.nom)),
                "url": format!("{racine}departements/{}/", d.code.to_lowercase()),
                "fiche": fiche.is_some(),
                "nb_crte": crte_of(catalog, &d.code).len(),
                "nb_cot": cot_of(catalog, &d.code).count(),
                "programmes": programmes.unwrap_or_else(|| NON_RENSEIGNE.into()),
            })
        })
        .collect()
}

/// The view of a département page (see the contract in `ARCHITECTURE.md`), links relative to `racine`.
pub fn departement_view(catalog: &Catalog, d: &referentiel::Departement, racine: &str) -> Value {
    let id = d.code.to_lowercase();
    let region = referentiel::get()
        .region(&d.region)
        .map_or(String::new(), |r| r.nom.clone());
    let crte = crte_of(catalog, &d.code);
    let crte_url = |crte_id: &str| format!("{racine}crte/{crte_id}/");
    let entry = catalog.departements.iter().find(|e| e.id == id);
    let (publiee, edito, groupes, liens) = match entry {
        Some(e) => (
            true,
            serde_json::to_value(e.record.edito()).expect("views serialise"),
            serde_json::to_value(e.record.groupes(&crte, &crte_url)).expect("views serialise"),
            json!({
                "page": "./",
                "pdf": format!("{racine}departements/{id}.pdf"),
                "json": format!("{racine}donnees/departements/{id}.json"),
                "csv": format!("{racine}donnees/departements/{id}.csv"),
            }),
        ),
        None => {
            let empty = crate::departement::Departement::default();
            let groupes: Vec<crate::fiche::Groupe> = empty
                .crte_bloc(&crte, &crte_url)
                .map(|b| crate::fiche::Groupe {
                    id: "accompagnement-sur-mesure".into(),
                    titre: "Contrats de relance et de transition écologique".into(),
                    sections: vec![b],
                })
                .into_iter()
                .collect();
            (
                false,
                json!([]),
                serde_json::to_value(groupes).expect("views serialise"),
                json!({ "page": "./", "pdf": null, "json": null, "csv": null }),
            )
        }
    };
    // The COT plans of collectivités of the département.
    let cot: Vec<Value> = cot_of(catalog, &d.code)
        .map(|e| {
            json!({
                "titre": e.record.titre_complet(),
                "collectivite": e.record.collectivite.as_ref().and_then(|c| c.nom.clone()),
                "url": format!("{racine}cot/{}/", e.id),
            })
        })
        .collect();
    let sous_titre = if publiee {
        format!("Fiche territoriale — {region}")
    } else {
        format!("Aucune fiche territoriale publiée — {region}")
    };
    json!({
        "id": id,
        "code": d.code,
        "titre": d.nom,
        "sous_titre": sous_titre,
        "region": region,
        "publiee": publiee,
        "liens": liens,
        "edito": edito,
        "groupes": groupes,
        "cot": cot,
    })
}

/// The fiche with its links, for the page at `crte/<id>/`.
fn fiche_value(mut fiche: Fiche, id: &str) -> Value {
    fiche.liens.pdf = format!("../{id}.pdf");
    fiche.liens.json = format!("../../donnees/crte/{id}.json");
    fiche.liens.csv = format!("../../donnees/crte/{id}.csv");
    fiche.liens.page = "./".into();
    serde_json::to_value(fiche).expect("views serialise")
}

/// The path part of the base URL: `/territoires/` for `https://x.gouv.fr/territoires/`.
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// A markdown page's title: its first `# ` heading, else its file name.
fn title_of(text: &str, slug: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map_or_else(|| slug.replace('-', " "), |t| t.trim().to_string())
}

fn site_view(catalog: &Catalog) -> Value {
    let s = &catalog.site;
    let editeur = s.editeur.clone().unwrap_or_default();
    let departement = editeur
        .departement
        .as_deref()
        .and_then(|c| referentiel::get().departement(c))
        .map(|d| json!({ "code": d.code, "nom": d.nom }));
    json!({
        "titre": s.titre.clone().unwrap_or_default(),
        "description": s.description.clone().unwrap_or_default(),
        "url_base": s.url_base(),
        "langue": "fr",
        "editeur": {
            "nom": editeur.nom.unwrap_or_default(),
            "type": if editeur.kind == Some(crate::site::EditeurType::Collectivite) { "collectivite" } else { "etat" },
            "departement": departement,
        },
        "accessibilite": s.conformite_accessibilite.unwrap_or(Conformite::Non).label(),
        "licence": { "nom": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" },
        "dsfr_version": "1.15.3",
        "ingenierie": !catalog.ingenierie.is_empty(),
        "cot": !catalog.cot.is_empty(),
    })
}

fn context(site: &Value, p: &PageSpec, racine: &str) -> Value {
    let link = |path: &str| {
        if path.is_empty() && racine.is_empty() {
            "./".to_string()
        } else {
            format!("{racine}{path}")
        }
    };
    let ingenierie = site["ingenierie"].as_bool().unwrap_or(false);
    let cot = site["cot"].as_bool().unwrap_or(false);
    let nav: Vec<NavItem> = [
        ("Accueil", ""),
        ("Départements", "departements/"),
        ("CRTE", "crte/"),
        ("Ingénierie locale", "ingenierie/"),
        ("COT", "cot/"),
        ("Données", "donnees/"),
    ]
    .into_iter()
    .filter(|(_, path)| match *path {
        "ingenierie/" => ingenierie,
        "cot/" => cot,
        _ => true,
    })
    .map(|(titre, path)| NavItem {
        titre,
        url: link(path),
        actif: if path.is_empty() {
            p.chemin.is_empty() && p.template == "index.html"
        } else {
            p.rubrique == path
        },
    })
    .collect();
    let accessibilite = site["accessibilite"].as_str().unwrap_or_default();
    let pied: Vec<Lien> = LEGAL_PAGES
        .iter()
        .map(|(slug, titre)| Lien {
            titre: if *slug == "accessibilite" {
                format!("{titre} : {accessibilite}")
            } else {
                titre.to_string()
            },
            url: link(&format!("{slug}/")),
        })
        .collect();
    let fil: Vec<Lien> = p
        .ancetres
        .iter()
        .map(|(titre, path)| Lien {
            titre: titre.clone(),
            url: link(path),
        })
        .collect();
    let mut ctx = p.data.clone();
    ctx.insert("site".into(), site.clone());
    ctx.insert("racine".into(), racine.into());
    ctx.insert(
        "page".into(),
        json!({
            "titre": p.titre,
            "description": p.description,
            "chemin": p.chemin,
            "canonical": format!("{}{}", site["url_base"].as_str().unwrap_or_default(), p.chemin),
            "fil_ariane": fil,
            "contenu_html": p.data.get("contenu_html").cloned().unwrap_or(Value::Null),
        }),
    );
    ctx.insert(
        "nav".into(),
        serde_json::to_value(nav).expect("views serialise"),
    );
    ctx.insert(
        "pied".into(),
        serde_json::to_value(pied).expect("views serialise"),
    );
    Value::Object(ctx)
}

/// Copies the theme's static files, and the publisher's fonts when provided. Without the
/// publisher's Marianne files the DSFR's `@font-face` rules are removed, so pages fall back to
/// the system fonts instead of requesting files that do not exist.
pub fn copy_static(theme: &Theme, catalog: &Catalog, out: &Output) -> Result<(), OpError> {
    let fonts: Vec<&(String, PathBuf)> = catalog
        .static_files
        .iter()
        .filter(|(rel, _)| rel.starts_with("fonts/") && rel.ends_with(".woff2"))
        .collect();
    let static_dir = theme.dir.join("static");
    for entry in walkdir::WalkDir::new(&static_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            OpError::new(format!(
                "impossible de parcourir `{}` : {e}",
                static_dir.display()
            ))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::load::display(&static_dir, entry.path());
        let target = format!("static/{rel}");
        if rel.ends_with("dsfr.min.css") && fonts.is_empty() {
            let css = std::fs::read_to_string(entry.path())
                .map_err(|e| OpError::io("lire", entry.path(), e))?;
            out.write(&target, strip_font_faces(&css).as_bytes())?;
        } else {
            out.copy(&target, entry.path())?;
        }
    }
    for e in &catalog.ingenierie {
        if let Some((bytes, ext)) = &e.record.logo_fichier {
            out.write(&format!("ingenierie/{}/logo.{ext}", e.id), bytes)?;
        }
    }
    for (rel, path) in &catalog.static_files {
        let target = match rel.strip_prefix("fonts/") {
            // Next to the DSFR's css, whose `@font-face` rules point to `fonts/…`.
            Some(font) if theme.dir.join("static/dsfr").is_dir() => {
                format!("static/dsfr/fonts/{font}")
            }
            _ => format!("static/{rel}"),
        };
        out.copy(&target, path)?;
    }
    Ok(())
}

/// Removes every `@font-face{…}` block from a stylesheet.
fn strip_font_faces(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("@font-face") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_roots_and_base_paths() {
        assert_eq!(racine(""), "");
        assert_eq!(racine("crte/"), "../");
        assert_eq!(racine("crte/lozere/"), "../../");
        assert_eq!(
            base_path("https://www.lozere.gouv.fr/territoires/"),
            "/territoires/"
        );
        assert_eq!(base_path("https://territoires.example.gouv.fr/"), "/");
    }

    #[test]
    fn font_faces_are_stripped() {
        let css =
            "a{b:c}@font-face{font-family:Marianne;src:url(fonts/M.woff2)}d{e:f}@font-face{x:y}";
        assert_eq!(strip_font_faces(css), "a{b:c}d{e:f}");
    }
}
