//! Import (`territoires import crte FICHIER`): the ANCT's national CRTE perimeter file
//! (data.gouv.fr, « Contrat de relance et de transition écologique »: one row per signing
//! group, CSV or XLSX) turned into one record per CRTE in `content/crte/`: its name, its lead
//! département and its signatories with their SIREN and nature.
//!
//! Rows of one CRTE are grouped by `id_crte` (an inter-département CRTE comes once per
//! département, its groups repeated: each signatory is kept once). A record that already exists
//! keeps everything it holds — a person may have completed it — and only gains lines for what
//! the file knows and it lacks; importing the same file again therefore changes nothing.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Severity};
use crate::error::OpError;
use crate::officiel;

/// The columns the national file must have.
const COLONNES: [&str; 6] = [
    "id_crte",
    "lib_crte",
    "dep_chef_file",
    "siren_groupement",
    "lib_groupement",
    "nature_juridique",
];

/// What an import did.
#[derive(Debug, Default)]
pub struct Bilan {
    pub lignes: usize,
    pub crees: Vec<String>,
    /// Existing records the file completed (a signatory, a field they did not have).
    pub completes: Vec<String>,
    pub inchanges: Vec<String>,
    /// Facts of the file worth a look (an EPCI renamed since the file's vintage).
    pub avertissements: Vec<Diagnostic>,
}

/// A signing group or a supra body: (nom, SIREN, nature).
type Membre = (String, String, String);

/// One CRTE as the file describes it.
struct Crte {
    id: String,
    nom: String,
    departement: String,
    /// The other départements of an inter-département CRTE, in the file's order.
    associes: Vec<String>,
    /// (nom, SIREN, nature), each group once, in the file's order.
    signataires: Vec<Membre>,
    /// The bodies the groups belong to, each once.
    supra: Vec<Membre>,
}

/// Imports `fichier` into `root/content/crte/`.
pub fn crte(root: &Path, fichier: &Path) -> Result<Bilan, OpError> {
    let shown = fichier.display().to_string();
    let rows = lire(fichier)?;
    let Some((entete, lignes)) = rows.split_first() else {
        return Err(OpError::new(format!("`{shown}` est vide")));
    };
    let index: HashMap<&str, usize> = entete
        .iter()
        .enumerate()
        .map(|(i, c)| (c.trim(), i))
        .collect();
    let manquantes: Vec<&str> = COLONNES
        .iter()
        .copied()
        .filter(|c| !index.contains_key(c))
        .collect();
    if !manquantes.is_empty() {
        return Err(OpError::new(format!(
            "`{shown}` n'est pas le fichier national des CRTE : colonnes absentes : {}",
            manquantes.join(", ")
        )));
    }
    let cell = |row: &[String], col: &str| -> String {
        index
            .get(col)
            .and_then(|&i| row.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };

    let mut bilan = Bilan {
        lignes: lignes.len(),
        ..Bilan::default()
    };
    let mut ordre: Vec<String> = Vec::new();
    let mut crtes: HashMap<String, Crte> = HashMap::new();
    for (n, row) in lignes.iter().enumerate() {
        let id_crte = cell(row, "id_crte");
        if id_crte.is_empty() {
            continue;
        }
        let crte = crtes.entry(id_crte.clone()).or_insert_with(|| {
            ordre.push(id_crte.clone());
            Crte {
                id: identifiant(&id_crte),
                nom: cell(row, "lib_crte"),
                departement: code_departement(&cell(row, "dep_chef_file")),
                associes: Vec::new(),
                signataires: Vec::new(),
                supra: Vec::new(),
            }
        });
        // An inter-département CRTE comes once per département: each row names its own.
        let ici = departement_nomme(&cell(row, "lib_dep"))
            .unwrap_or_else(|| code_departement(&cell(row, "dep_chef_file")));
        if ici != crte.departement && !ici.is_empty() && !crte.associes.contains(&ici) {
            crte.associes.push(ici);
        }
        // Several supra bodies are joined with ` ; ` in one cell.
        let eclate = |col: &str| -> Vec<String> {
            cell(row, col)
                .split(';')
                .map(|s| s.trim().to_string())
                .collect()
        };
        let (sirens, noms, natures) = (
            eclate("siren_grp_supra"),
            eclate("lib_grp_supra"),
            eclate("nat_jur_grp_supra"),
        );
        for (i, nom) in noms.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
            let siren = sirens.get(i).cloned().unwrap_or_default();
            if !crte
                .supra
                .iter()
                .any(|(n, s, _)| n == nom || (!siren.is_empty() && *s == siren))
            {
                let nature = nature(natures.get(i).map_or("", String::as_str));
                crte.supra.push((nom.clone(), siren, nature));
            }
        }
        let siren = cell(row, "siren_groupement");
        let nom = cell(row, "lib_groupement");
        if nom.is_empty()
            || crte
                .signataires
                .iter()
                .any(|(_, s, _)| *s == siren && !siren.is_empty())
        {
            continue;
        }
        let nature = nature(&cell(row, "nature_juridique"));
        if let Some(epci) = officiel::get().epci(&siren)
            && officiel::fold(&epci.nom) != officiel::fold(&nom)
        {
            let mut d = Diagnostic::file_level(
                Severity::Warning,
                &shown,
                format!(
                    "ligne {} : l'EPCI {siren} s'appelle aujourd'hui `{}` (le fichier écrit `{nom}`)",
                    n + 2,
                    epci.nom
                ),
            )
            .with_hint("le nom du fichier est gardé dans la fiche : corrigez-le si le fichier est plus ancien que le renommage");
            d.field = format!("{}.signataires", crte.id);
            bilan.avertissements.push(d);
        }
        crte.signataires.push((nom, siren, nature));
    }

    let dossier = root.join("content/crte");
    fs::create_dir_all(&dossier).map_err(|e| OpError::io("créer", &dossier, e))?;
    for id_crte in ordre {
        let crte = &crtes[&id_crte];
        let path = dossier.join(format!("{}.yaml", crte.id));
        if path.exists() {
            let text = fs::read_to_string(&path).map_err(|e| OpError::io("lire", &path, e))?;
            match completer(&text, crte) {
                Some(complete) if complete != text => {
                    fs::write(&path, complete).map_err(|e| OpError::io("écrire", &path, e))?;
                    bilan.completes.push(crte.id.clone());
                }
                _ => bilan.inchanges.push(crte.id.clone()),
            }
            continue;
        }
        fs::write(&path, yaml(crte, &id_crte)).map_err(|e| OpError::io("écrire", &path, e))?;
        bilan.crees.push(crte.id.clone());
    }
    Ok(bilan)
}

/// The file's rows, header first: a CSV (`;` or `,`, UTF-8 with or without BOM) or the first
/// sheet of an XLSX workbook.
fn lire(fichier: &Path) -> Result<Vec<Vec<String>>, OpError> {
    let xlsx = fichier
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        use calamine::{Reader, Xlsx, open_workbook};
        let error = |e: String| OpError::new(format!("`{}` : {e}", fichier.display()));
        let mut book: Xlsx<_> =
            open_workbook(fichier).map_err(|e: calamine::XlsxError| error(e.to_string()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| error("le classeur n'a pas de feuille".into()))?
            .map_err(|e| error(e.to_string()))?;
        return Ok(range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect());
    }
    let bytes = fs::read(fichier).map_err(|e| OpError::io("lire", fichier, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        OpError::new(format!(
            "`{}` n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et recommencez",
            fichier.display()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| OpError::new(format!("`{}` : {e}", fichier.display())))
        })
        .collect()
}

/// A record id from the file's: `CRTE-48-01` → `crte-48-01`.
fn identifiant(id_crte: &str) -> String {
    let folded: Vec<String> = id_crte
        .split(|c: char| !c.is_alphanumeric())
        .map(officiel::fold)
        .filter(|p| !p.is_empty())
        .collect();
    let id = folded.join("-");
    if id.starts_with("crte") {
        id
    } else {
        format!("crte-{id}")
    }
}

/// The code of the département the file names (`Lozère` → `48`), if it is one.
fn departement_nomme(nom: &str) -> Option<String> {
    let nom = officiel::fold(nom);
    if nom.is_empty() {
        return None;
    }
    officiel::get()
        .departements()
        .find(|d| officiel::fold(&d.nom) == nom)
        .map(|d| d.code.clone())
}

/// `1` → `01`; `2A`, `971` as they are.
fn code_departement(code: &str) -> String {
    if code.len() == 1 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{code}")
    } else {
        code.to_uppercase()
    }
}

/// The file's legal nature as the vocabulary's code (`natures_signataires`).
fn nature(code: &str) -> String {
    match code.trim().to_uppercase().as_str() {
        "CC" => "CC",
        "CA" => "CA",
        "CU" => "CU",
        "METRO" | "MET" | "MET69" => "METRO",
        "POLEM" | "PM" => "POLEM",
        "PETR" => "PETR",
        "COM" => "commune",
        "SM" | "SMF" | "SMO" | "SIVOM" | "SIVU" => "syndicat_mixte",
        "PNR" => "pnr",
        "DEP" => "departement",
        "REG" => "region",
        _ => "autre",
    }
    .to_string()
}

/// An existing record completed with what the file knows and it lacks: a field it does not
/// have, a signatory (or supra body, or département) not in its list. Nothing it holds is
/// changed — a person may have filled it — and its comments and key order stay: lines are only
/// added, at the end of the file or after the last item of a list. `None` when the file cannot
/// be read as YAML (`check` will say why) or a list is written on one line.
fn completer(text: &str, crte: &Crte) -> Option<String> {
    use crate::source::yaml::{NodeKind, parse};
    let root = parse("", text).ok()?;
    let NodeKind::Map(entries) = &root.kind else {
        return None;
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let q = quote;
    let item = lignes_membre;
    // Insertions (after line index, lines), applied from the bottom so indexes hold.
    let mut inserts: Vec<(usize, Vec<String>)> = Vec::new();
    let mut a_la_fin: Vec<String> = Vec::new();
    let entry = |name: &str| entries.iter().position(|(k, _)| k.name == name);
    let fin_de = |i: usize| -> usize {
        // The last content line of entry `i`: before the next key, comments and blanks aside.
        let next = entries
            .get(i + 1)
            .map_or(lines.len(), |(k, _)| k.pos.line - 1);
        (0..next)
            .rev()
            .find(|&l| {
                let s = lines[l].trim();
                !s.is_empty() && !s.starts_with('#')
            })
            .unwrap_or(next.saturating_sub(1))
    };
    for (cle, valeur) in [("nom", &crte.nom), ("departement", &crte.departement)] {
        if entry(cle).is_none() && !valeur.is_empty() {
            a_la_fin.push(format!("{cle}: {}", q(valeur)));
        }
    }
    let listes: [(&str, &Vec<Membre>); 2] = [
        ("signataires", &crte.signataires),
        ("structures_supra", &crte.supra),
    ];
    for (cle, membres) in listes {
        if membres.is_empty() {
            continue;
        }
        match entry(cle) {
            None => {
                a_la_fin.push(format!("{cle}:"));
                for m in membres {
                    a_la_fin.extend(item("  ", m));
                }
            }
            Some(i) => {
                let NodeKind::Seq(items) = &entries[i].1.kind else {
                    continue;
                };
                let Some(first) = items.first() else { continue };
                let line = &lines[first.pos.line - 1];
                if !line.trim_start().starts_with('-') {
                    return None;
                }
                let indent: String = line.chars().take_while(|c| *c == ' ').collect();
                let present = |m: &Membre| {
                    items.iter().any(|it| {
                        let champ = |k: &str| match it.lookup(k).map(|n| &n.kind) {
                            Some(NodeKind::Scalar(s)) => officiel::fold(s),
                            _ => String::new(),
                        };
                        (!m.1.is_empty() && champ("siren") == m.1)
                            || champ("nom") == officiel::fold(&m.0)
                    })
                };
                let nouveaux: Vec<String> = membres
                    .iter()
                    .filter(|m| !present(m))
                    .flat_map(|m| item(&indent, m))
                    .collect();
                if !nouveaux.is_empty() {
                    inserts.push((fin_de(i), nouveaux));
                }
            }
        }
    }
    if !crte.associes.is_empty() {
        match entry("departements_associes") {
            None => {
                a_la_fin.push("departements_associes:".into());
                a_la_fin.extend(crte.associes.iter().map(|c| format!("  - {}", q(c))));
            }
            Some(i) => {
                if let NodeKind::Seq(items) = &entries[i].1.kind {
                    let ecrits: Vec<String> = items
                        .iter()
                        .filter_map(|n| match &n.kind {
                            NodeKind::Scalar(s) => Some(s.to_uppercase()),
                            _ => None,
                        })
                        .collect();
                    let indent: String = items.first().map_or("  ".into(), |n| {
                        lines[n.pos.line - 1]
                            .chars()
                            .take_while(|c| *c == ' ')
                            .collect()
                    });
                    let nouveaux: Vec<String> = crte
                        .associes
                        .iter()
                        .filter(|c| !ecrits.contains(c))
                        .map(|c| format!("{indent}- {}", q(c)))
                        .collect();
                    if !nouveaux.is_empty() && !items.is_empty() {
                        inserts.push((fin_de(i), nouveaux));
                    }
                }
            }
        }
    }
    if inserts.is_empty() && a_la_fin.is_empty() {
        return Some(text.to_string());
    }
    inserts.sort_by_key(|(after, _)| std::cmp::Reverse(*after));
    for (after, new) in inserts {
        lines.splice(after + 1..after + 1, new);
    }
    lines.extend(a_la_fin);
    let mut out = lines.join("\n");
    out.push('\n');
    Some(out)
}

/// A YAML double-quoted scalar: every value the import writes, so none is read as a number,
/// a date or a boolean.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The lines of one signatory or supra body, as an item of a list indented by `indent`.
fn lignes_membre(indent: &str, (nom, siren, nature): &Membre) -> Vec<String> {
    let mut out = vec![format!("{indent}- nom: {}", quote(nom))];
    if !siren.is_empty() {
        out.push(format!("{indent}  siren: {}", quote(siren)));
    }
    out.push(format!("{indent}  nature: {}", quote(nature)));
    out
}

/// The record written for `crte`: what the national file says of it, every value quoted.
fn yaml(crte: &Crte, id_crte: &str) -> String {
    let mut lines = vec![
        format!(
            "# CRTE {id_crte} : créé par `territoires import crte` depuis le fichier national des CRTE ;"
        ),
        "# une nouvelle importation ne touche plus à ce fichier : complétez-le librement."
            .to_string(),
        format!("nom: {}", quote(&crte.nom)),
        format!("departement: {}", quote(&crte.departement)),
        "signataires:".to_string(),
    ];
    lines.extend(crte.signataires.iter().flat_map(|m| lignes_membre("  ", m)));
    if !crte.associes.is_empty() {
        lines.push("departements_associes:".into());
        lines.extend(crte.associes.iter().map(|c| format!("  - {}", quote(c))));
    }
    if !crte.supra.is_empty() {
        lines.push("structures_supra:".into());
        lines.extend(crte.supra.iter().flat_map(|m| lignes_membre("  ", m)));
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_codes() {
        assert_eq!(identifiant("CRTE-48-01"), "crte-48-01");
        assert_eq!(identifiant("2021-048-Lozère"), "crte-2021-048-lozere");
        assert_eq!(code_departement("1"), "01");
        assert_eq!(code_departement("2a"), "2A");
        assert_eq!(nature("com"), "commune");
    }
}
