//! The site's settings, `content/site.yaml` (validate stage): title, address, publisher,
//! theme, accessibility, the settings of the ingénierie catalogue, and the legal pages a State
//! site must have.

use serde::{Deserialize, Serialize};

use crate::check::Checker;

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Config {
    pub titre: Option<String>,
    pub description: Option<String>,
    /// Absolute address of the published site, ending with `/`.
    pub url_base: Option<String>,
    pub editeur: Option<Editeur>,
    /// Theme folder under `themes/`; `dsfr` by default.
    pub theme: Option<String>,
    /// RGAA conformity of the site, shown in the footer: `totale`, `partielle` or `non`.
    pub conformite_accessibilite: Option<Conformite>,
    /// Settings of the local ingénierie catalogue (département, single entry point).
    pub ingenierie: Option<IngenierieConfig>,
}

/// The settings of the ingénierie catalogue, under `ingenierie:`: what the catalogue says
/// besides its actors (seed 002: the CLCT meeting that presented it, the ANCT's local
/// priorities, the measures that finance ingénierie, the State services' offers by rubrique,
/// the Aides-territoires platform).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct IngenierieConfig {
    /// Code INSEE of the département whose catalogue this is.
    pub departement: Option<String>,
    /// The département's single entry point for ingénierie requests.
    pub adresse_unique: Option<String>,
    /// Markdown shown above the actors.
    pub introduction: Option<String>,
    /// The meeting where the offer was presented (the CLCT of 12 March 2024).
    pub reunion: Option<Reunion>,
    /// The ANCT's local priority issues.
    pub enjeux_prioritaires: Option<Enjeux>,
    /// The ways to finance ingénierie (« possibilités d'accompagnement en ingénierie »).
    pub possibilites: Option<Vec<Offre>>,
    /// The State services' offers, by rubrique (« L'accompagnement par les services de l'État »).
    pub services_etat: Option<Vec<RubriqueEtat>>,
    /// Resources for collectivités: Aides-territoires.
    pub ressources: Option<Vec<Ressource>>,
}

/// A meeting of an instance: `instance: Comité local de cohésion territoriale de la Manche`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Reunion {
    pub instance: Option<String>,
    pub sigle: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    pub objet: Option<String>,
    pub intervenants: Option<Vec<Intervenant>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Intervenant {
    pub nom: Option<String>,
    pub fonction: Option<String>,
    pub organisme: Option<String>,
}

/// A list of issues with where and when it was decided.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Enjeux {
    /// Where the list comes from: `atelier CLCT`.
    pub source: Option<String>,
    /// When: a year, a month (`2020-09`) or a date.
    pub date: Option<String>,
    pub liste: Option<Vec<String>>,
}

/// One rubrique of the State services' offers and its programmes or services.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct RubriqueEtat {
    pub rubrique: Option<String>,
    pub dispositifs: Option<Vec<String>>,
}

/// A resource for collectivités: a platform, a guide.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Ressource {
    pub nom: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    pub url: Option<String>,
    pub fonctionnalites: Option<Vec<String>>,
}

/// An offer: a measure, a programme, a lot of a market, a partnership. Shared by the catalogue
/// settings (`possibilites`) and the actors (`offres`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Offre {
    pub nom: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Since when it is offered: a month (`2022-07`) or a date.
    pub depuis: Option<String>,
    /// ISO date the convention was signed.
    pub date_convention: Option<String>,
    pub partenaires: Option<Vec<String>>,
    pub beneficiaires: Option<String>,
    pub financement: Option<Financement>,
    pub enveloppe: Option<Enveloppe>,
    pub exemples: Option<Vec<String>>,
}

/// How an offer is financed: an amount per beneficiary and a rate range.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Financement {
    /// Euros.
    pub montant: Option<f64>,
    /// Per what the amount is given: `EPCI lauréat`.
    pub par: Option<String>,
    /// Rates, in %.
    pub taux_min: Option<f64>,
    pub taux_max: Option<f64>,
    /// What the rate applies to, as the sentence goes on: `du coût TTC de la prestation`.
    pub assiette: Option<String>,
    /// `sous réserve du respect de l'enveloppe EPCI`.
    pub conditions: Option<String>,
}

/// The budget an offer draws on.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Enveloppe {
    #[serde(rename = "type")]
    pub kind: Option<TypeEnveloppe>,
    /// Euros.
    pub montant: Option<f64>,
    /// Per what: `département`.
    pub par: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TypeEnveloppe {
    Deconcentree,
    Nationale,
}

impl TypeEnveloppe {
    pub fn label(self) -> &'static str {
        match self {
            TypeEnveloppe::Deconcentree => "déconcentrée",
            TypeEnveloppe::Nationale => "nationale",
        }
    }
}

impl IngenierieConfig {
    /// Checks of the catalogue settings, reported under `ingenierie.`.
    pub fn check(&self, c: &mut Checker) {
        c.departement("ingenierie.departement", &self.departement);
        c.email("ingenierie.adresse_unique", &self.adresse_unique);
        if let Some(r) = &self.reunion {
            c.date("ingenierie.reunion.date", &r.date);
        }
        if let Some(e) = &self.enjeux_prioritaires {
            date_souple(c, "ingenierie.enjeux_prioritaires.date", &e.date);
        }
        for (i, o) in self.possibilites.iter().flatten().enumerate() {
            o.check(c, &format!("ingenierie.possibilites[{i}]"));
        }
        for (i, r) in self.ressources.iter().flatten().enumerate() {
            url(c, &format!("ingenierie.ressources[{i}].url"), &r.url);
        }
    }
}

impl Offre {
    /// Checks of an offer at `path` (`offres[0]`): its name, its dates, amounts and rates.
    pub fn check(&self, c: &mut Checker, path: &str) {
        c.required(
            &format!("{path}.nom"),
            self.nom.is_some(),
            "le nom de l'offre, par exemple `nom: Appui à la préfiguration de tiers-lieu`",
        );
        date_souple(c, &format!("{path}.depuis"), &self.depuis);
        c.date(&format!("{path}.date_convention"), &self.date_convention);
        if let Some(f) = &self.financement {
            let here = format!("{path}.financement");
            montant(c, &format!("{here}.montant"), f.montant);
            let min = taux(c, &format!("{here}.taux_min"), f.taux_min);
            let max = taux(c, &format!("{here}.taux_max"), f.taux_max);
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                c.error(
                    &format!("{here}.taux_min"),
                    format!(
                        "taux minimal de {} % supérieur au taux maximal de {} %",
                        crate::view::format::number(min),
                        crate::view::format::number(max)
                    ),
                    "écrivez le plus petit taux dans `taux_min`, le plus grand dans `taux_max`"
                        .to_string(),
                );
            }
        }
        if let Some(e) = &self.enveloppe {
            montant(c, &format!("{path}.enveloppe.montant"), e.montant);
        }
    }
}

/// A date known to the year, the month or the day (`2020`, `2022-07`, `2024-03-01`).
pub fn date_souple(c: &mut Checker, path: &str, value: &Option<String>) {
    let Some(s) = value.as_deref() else { return };
    if crate::view::format::LooseDate::parse(s).is_none() {
        c.error(
            path,
            format!("date invalide `{s}`"),
            crate::view::format::date_hint(s, "écrivez le mois au format AAAA-MM, par exemple `2022-07` pour juillet 2022, ou la date au format AAAA-MM-JJ"),
        );
    }
}

/// An amount in euros: never negative.
fn montant(c: &mut Checker, path: &str, value: Option<f64>) {
    if let Some(m) = value
        && !(m >= 0.0 && m.is_finite())
    {
        c.error(
            path,
            format!(
                "montant de {} € : un montant ne peut pas être négatif",
                crate::view::format::number(m)
            ),
            "écrivez le montant en euros, sans espace ni symbole, par exemple `85000`".to_string(),
        );
    }
}

/// A rate in %, from 0 to 100; returns it when it is one.
fn taux(c: &mut Checker, path: &str, value: Option<f64>) -> Option<f64> {
    let t = value?;
    if (0.0..=100.0).contains(&t) {
        return Some(t);
    }
    c.error(
        path,
        format!(
            "taux de {} % : hors de 0 à 100",
            crate::view::format::number(t)
        ),
        "écrivez le pourcentage, par exemple `50` pour 50 %".to_string(),
    );
    None
}

/// An address a page may link to: http(s) only.
pub fn url(c: &mut Checker, path: &str, value: &Option<String>) {
    let Some(u) = value.as_deref() else { return };
    if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
        c.error(
            path,
            format!("adresse web invalide `{u}`"),
            "écrivez l'adresse complète, commençant par https://".to_string(),
        );
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Editeur {
    pub nom: Option<String>,
    /// `etat` for a State service (préfecture, DDT(M), ANCT), `collectivite` otherwise.
    #[serde(rename = "type")]
    pub kind: Option<EditeurType>,
    /// Code INSEE of the publisher's département, if any.
    pub departement: Option<String>,
    pub adresse: Option<String>,
    pub email: Option<String>,
    /// Director of publication, for the mentions légales.
    pub directeur_publication: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EditeurType {
    Etat,
    Collectivite,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Conformite {
    Totale,
    Partielle,
    Non,
}

impl Conformite {
    pub fn label(self) -> &'static str {
        match self {
            Conformite::Totale => "totalement conforme",
            Conformite::Partielle => "partiellement conforme",
            Conformite::Non => "non conforme",
        }
    }
}

/// Why `url` cannot be the site's address, if it cannot. It lands in every page, in
/// `robots.txt`, the sitemap and the datasets' URL columns, so only a plain absolute http(s)
/// address passes: a host name, an optional port, a path of URL-safe characters.
fn url_base_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some("elle doit commencer par https://");
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = authority.split_once(':').unwrap_or((authority, "80"));
    let host_ok = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !host_ok || port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Some("nom de domaine invalide");
    }
    if path.contains(['?', '#']) {
        return Some("elle ne peut avoir ni paramètres (`?`) ni ancre (`#`)");
    }
    if !path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b))
    {
        return Some("son chemin a des caractères interdits dans une adresse");
    }
    None
}

/// The legal pages every State site links from its footer, with their slugs.
pub const LEGAL_PAGES: [(&str, &str); 4] = [
    ("accessibilite", "Accessibilité"),
    ("mentions-legales", "Mentions légales"),
    ("donnees-personnelles", "Données personnelles"),
    ("gestion-des-cookies", "Gestion des cookies"),
];

/// The names the site gives its own folders and files at its root, besides each kind's folder:
/// a page named so (`content/pages/donnees.md`) would take their place.
pub const RESERVED_PAGES: &[&str] = &[
    "index",
    "404",
    "donnees",
    "static",
    "schemas",
    "robots",
    "sitemap",
    "flux",
    "plan-du-site",
    "recherche",
];

impl Config {
    pub fn theme(&self) -> &str {
        self.theme.as_deref().unwrap_or("dsfr")
    }

    pub fn url_base(&self) -> &str {
        self.url_base.as_deref().unwrap_or("/")
    }

    pub fn check(&mut self, c: &mut Checker) {
        c.required(
            "titre",
            self.titre.is_some(),
            "donnez un titre au site, par exemple `titre: Contrats territoriaux de la Lozère`",
        );
        c.required("url_base", self.url_base.is_some(), "indiquez l'adresse publique du site, par exemple `url_base: https://www.lozere.gouv.fr/territoires/`");
        if let Some(url) = &mut self.url_base {
            if let Some(problem) = url_base_problem(url) {
                c.error(
                    "url_base",
                    format!("adresse invalide `{url}` : {problem}"),
                    "écrivez l'adresse complète du site, par exemple `https://www.lozere.gouv.fr/territoires/`".to_string(),
                );
            } else if !url.ends_with('/') {
                url.push('/');
            }
        }
        if let Some(i) = &self.ingenierie {
            i.check(c);
        }
        c.required(
            "editeur",
            self.editeur.is_some(),
            "décrivez l'éditeur du site : `editeur:` avec `nom` et `type` (etat ou collectivite)",
        );
        if let Some(e) = &self.editeur {
            c.required(
                "editeur.nom",
                e.nom.is_some(),
                "nom du service éditeur, par exemple `Préfecture de la Lozère`",
            );
            c.required(
                "editeur.type",
                e.kind.is_some(),
                "`type: etat` pour un service de l'État, `type: collectivite` sinon",
            );
            c.departement("editeur.departement", &e.departement);
            c.email("editeur.email", &e.email);
            if e.kind == Some(EditeurType::Collectivite) && self.theme() == "dsfr" {
                c.error(
                    "theme",
                    "le thème `dsfr` (Système de design de l'État) est réservé aux services de l'État",
                    "une collectivité utilise le thème `neutre` : écrivez `theme: neutre`".to_string(),
                );
            }
        }
    }
}

/// The site as every page and every PDF template sees it (`site`).
#[derive(Clone, Debug, Serialize)]
pub struct SiteVue {
    pub titre: String,
    pub description: String,
    /// Absolute address of the site, ending with `/`.
    pub url_base: String,
    pub langue: &'static str,
    pub editeur: EditeurVue,
    /// `partiellement conforme`.
    pub accessibilite: &'static str,
    pub licence: LicenceVue,
    pub dsfr_version: &'static str,
    /// What pages and PDFs print for a value that was not provided.
    pub non_renseigne: &'static str,
    /// The lines of the publisher's bloc-marque in the header and the footer (see
    /// [`Config::marque`]).
    pub marque: Vec<String>,
    /// « mis à jour le », when something is published.
    pub mis_a_jour: Option<DateVue>,
}

/// A date, as read (`29 novembre 2026`) and as machines read it (`2026-11-29`).
#[derive(Clone, Debug, Serialize)]
pub struct DateVue {
    pub texte: String,
    pub iso: String,
}

impl DateVue {
    /// The day of `secs` (seconds since 1970, UTC).
    pub fn from_unix(secs: i64) -> DateVue {
        let d = crate::view::format::date_from_unix(secs);
        DateVue {
            texte: d.french(),
            iso: d.iso(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct EditeurVue {
    pub nom: String,
    /// `etat` or `collectivite`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub departement: Option<DepartementEditeur>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepartementEditeur {
    pub code: String,
    pub nom: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct LicenceVue {
    pub nom: &'static str,
    pub url: &'static str,
}

impl Config {
    pub fn vue(&self) -> SiteVue {
        let editeur = self.editeur.clone().unwrap_or_default();
        SiteVue {
            titre: self.titre.clone().unwrap_or_default(),
            description: self.description.clone().unwrap_or_default(),
            url_base: self.url_base().to_string(),
            langue: "fr",
            editeur: EditeurVue {
                nom: editeur.nom.unwrap_or_default(),
                kind: if editeur.kind == Some(EditeurType::Collectivite) {
                    "collectivite"
                } else {
                    "etat"
                },
                departement: editeur
                    .departement
                    .as_deref()
                    .and_then(|c| crate::officiel::get().departement(c))
                    .map(|d| DepartementEditeur {
                        code: d.code.clone(),
                        nom: d.nom.clone(),
                    }),
            },
            accessibilite: self
                .conformite_accessibilite
                .unwrap_or(Conformite::Non)
                .label(),
            licence: LicenceVue {
                nom: "Licence Ouverte 2.0",
                url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
            dsfr_version: "1.15.3",
            non_renseigne: crate::view::NON_RENSEIGNE,
            marque: self.marque(None),
            mis_a_jour: None,
        }
    }

    /// The lines of the bloc-marque on a page or a fiche about `departement` (`None`: the
    /// whole site): a prefecture signs « Préfet / de la Lozère » what concerns its own
    /// département, and lets the République sign the rest, never another département's
    /// records under its name; any other State publisher signs « République / Française »;
    /// a collectivité has no bloc-marque (the State's identity is not its to use).
    pub fn marque(&self, departement: Option<&str>) -> Vec<String> {
        let editeur = self.editeur.clone().unwrap_or_default();
        if editeur.kind == Some(EditeurType::Collectivite) {
            return Vec::new();
        }
        let prefet = editeur
            .departement
            .as_deref()
            .and_then(|c| crate::officiel::get().departement(c))
            .filter(|d| departement.is_none_or(|r| r.eq_ignore_ascii_case(&d.code)));
        match prefet {
            Some(d) => vec!["Préfet".to_string(), d.de_nom()],
            None => vec!["République".to_string(), "Française".to_string()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::url_base_problem;

    #[test]
    fn only_a_plain_absolute_address_is_the_sites() {
        for ok in [
            "https://agence-cohesion-territoires.gouv.fr/territoires/",
            "http://localhost:8080/",
            "https://www.lozere.gouv.fr",
            "https://x.gouv.fr/a%20b/c_d~e/",
        ] {
            assert_eq!(url_base_problem(ok), None, "{ok}");
        }
        for (bad, problem) in [
            ("www.lozere.gouv.fr/", "elle doit commencer par https://"),
            ("javascript:alert(1)", "elle doit commencer par https://"),
            (
                "https://x.gouv.fr/\"><script>",
                "son chemin a des caractères interdits dans une adresse",
            ),
            (
                "https://x.gouv.fr/a b/",
                "son chemin a des caractères interdits dans une adresse",
            ),
            ("https:///chemin/", "nom de domaine invalide"),
            ("https://x.gouv.fr:port/", "nom de domaine invalide"),
            ("https://user@x.gouv.fr/", "nom de domaine invalide"),
            (
                "https://x.gouv.fr/?a=1",
                "elle ne peut avoir ni paramètres (`?`) ni ancre (`#`)",
            ),
        ] {
            assert_eq!(url_base_problem(bad), Some(problem), "{bad}");
        }
    }
}
