//! New site (`territoires init`): the smallest content a publisher can build and publish at
//! once — `site.yaml` for its kind (a prefecture, a State agency, a collectivité), the four
//! legal pages the footer links to, and the themes it needs, from the copies embedded in the
//! binary. Nothing existing is ever overwritten.

use std::fs;
use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::error::OpError;
use crate::officiel;

/// The themes of this version of the tool.
static THEMES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

/// Who publishes the new site.
#[derive(Clone, Debug)]
pub enum Editeur {
    /// A prefecture, by its département's code: its bloc-marque, its domain.
    Prefecture { departement: String },
    /// A State service or agency (an ANCT directorate, a DDT(M), a DREAL…).
    Etat { nom: String },
    /// A collectivité: the neutral theme (the State's identity is not its to use).
    Collectivite { nom: String },
}

/// Writes a new site into `root`: `content/` and `themes/`. Returns the files written.
pub fn init(root: &Path, editeur: &Editeur) -> Result<Vec<String>, OpError> {
    let content = root.join("content");
    if content.exists() {
        return Err(OpError::new(format!(
            "`{}` existe déjà : territoires init ne remplace jamais un contenu (choisissez un dossier vide)",
            content.display()
        )));
    }
    let (nom, de, url, theme, kind, departement) = match editeur {
        Editeur::Prefecture { departement } => {
            let d = officiel::get().departement(departement).ok_or_else(|| {
                OpError::new(format!(
                    "code de département inconnu `{departement}` (code INSEE : `48`, `2A`, `971`…)"
                ))
            })?;
            (
                format!("Préfecture {}", d.de_nom()),
                d.de_nom(),
                format!("https://www.{}.gouv.fr/territoires/", slug(&d.nom)),
                "dsfr",
                "etat",
                Some(d.code.clone()),
            )
        }
        Editeur::Etat { nom } => (
            nom.clone(),
            format!("de {nom}"),
            "https://www.exemple.gouv.fr/territoires/".to_string(),
            "dsfr",
            "etat",
            None,
        ),
        Editeur::Collectivite { nom } => (
            nom.clone(),
            format!("de {nom}"),
            "https://www.exemple.fr/territoires/".to_string(),
            "neutre",
            "collectivite",
            None,
        ),
    };
    let mut site = format!(
        "# Le site : son titre, son adresse publique, son éditeur (voir le README de territoires).\n\
         # Les fiches vont dans content/crte/, content/departements/, content/ingenierie/ et\n\
         # content/cot/, un fichier YAML par fiche ; le dépôt de territoires en donne des exemples.\n\
         titre: Fiches territoriales {de}\n\
         description: Les contrats et fiches territoriales publiés par {nom}, avec leurs données ouvertes\n\
         # L'adresse à laquelle le site sera publié : à vérifier avant la première publication.\n\
         url_base: {url}\n\
         editeur:\n  nom: {nom}\n  type: {kind}\n"
    );
    if let Some(code) = &departement {
        site.push_str(&format!("  departement: \"{code}\"\n"));
    }
    site.push_str(&format!(
        "  # adresse: …\n  # email: …\n  # directeur_publication: …\n\
         theme: {theme}\n\
         # totale, partielle ou non, d'après l'audit RGAA du site (non tant qu'il n'a pas eu lieu).\n\
         conformite_accessibilite: non\n"
    ));
    let mut files = vec![("content/site.yaml".to_string(), site)];
    for (slug, texte) in pages(&nom) {
        files.push((format!("content/pages/{slug}.md"), texte));
    }
    let mut written = Vec::new();
    for (rel, text) in &files {
        write(root, rel, text.as_bytes())?;
        written.push(rel.clone());
    }
    // The neutral theme is a layer over dsfr: both are needed.
    let themes: &[&str] = if theme == "dsfr" {
        &["dsfr"]
    } else {
        &["dsfr", "neutre"]
    };
    for name in themes {
        let dir = THEMES
            .get_dir(name)
            .expect("the themes are embedded at compile time");
        for file in files_of(dir) {
            let rel = format!("themes/{}", file.path().display());
            write(root, &rel, file.contents())?;
            written.push(rel);
        }
    }
    Ok(written)
}

/// Every file under `dir`, the fonts that are not free excepted (Marianne and Spectral are
/// the publisher's to provide: they never travel with the tool).
fn files_of<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(files_of(sub));
    }
    out.retain(|f| {
        let name = f
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        !name.starts_with("marianne") && !name.starts_with("spectral")
    });
    out
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), OpError> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| OpError::io("créer", parent, e))?;
    }
    if path.exists() {
        return Err(OpError::new(format!(
            "`{}` existe déjà : territoires init ne remplace jamais un fichier",
            path.display()
        )));
    }
    fs::write(&path, bytes).map_err(|e| OpError::io("écrire", &path, e))
}

/// A prefecture's domain name: `Lozère` → `lozere`, `Côtes-d'Armor` → `cotes-darmor`.
fn slug(nom: &str) -> String {
    nom.split([' ', '-'])
        .map(officiel::fold)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The four legal pages the footer of a State site links to, to complete.
fn pages(nom: &str) -> [(&'static str, String); 4] {
    [
        (
            "mentions-legales",
            format!(
                "## Éditeur\n\n{nom}.\n\nDirecteur de la publication : à compléter.\n\n\
                 ## Hébergement\n\nÀ compléter : le nom et l'adresse de l'hébergeur.\n\n\
                 ## Licence des contenus et des données\n\n\
                 Sauf mention contraire, les contenus et les jeux de données de ce site sont publiés sous\n\
                 [Licence Ouverte 2.0](https://www.etalab.gouv.fr/licence-ouverte-open-licence/) : vous\n\
                 pouvez les réutiliser librement en citant la source et la date de mise à jour.\n"
            ),
        ),
        (
            "accessibilite",
            format!(
                "{nom} s'engage à rendre ce site accessible conformément à l'article 47 de la\n\
                 loi n° 2005-102 du 11 février 2005.\n\n\
                 ## État de conformité\n\n\
                 Ce site n'a pas encore fait l'objet d'un audit de conformité au RGAA.\n\n\
                 ## Retour d'information et contact\n\n\
                 Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à {nom} (adresse à\n\
                 compléter) pour obtenir le contenu sous une autre forme.\n\n\
                 ## Voies de recours\n\n\
                 Si vous n'avez pas obtenu de réponse satisfaisante, vous pouvez écrire au\n\
                 [Défenseur des droits](https://formulaire.defenseurdesdroits.fr/).\n"
            ),
        ),
        (
            "donnees-personnelles",
            format!(
                "Ce site ne dépose aucun cookie, n'utilise aucun outil de mesure d'audience et ne fait appel\n\
                 à aucun service extérieur : aucune donnée de navigation n'est collectée.\n\n\
                 Les fiches publient les adresses électroniques professionnelles des agents chargés des\n\
                 contrats. Pour exercer vos droits sur ces données, écrivez à {nom} (adresse à compléter).\n"
            ),
        ),
        (
            "gestion-des-cookies",
            "Ce site ne dépose aucun cookie et n'utilise aucun traceur : il n'y a rien à accepter ni à\n\
             refuser.\n"
                .to_string(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefecture_domains() {
        assert_eq!(slug("Lozère"), "lozere");
        assert_eq!(slug("Côtes-d'Armor"), "cotes-darmor");
        assert_eq!(slug("Pas-de-Calais"), "pas-de-calais");
    }
}
