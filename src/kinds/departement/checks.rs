//! The checks of a fiche territoriale: its identity against the official lists, the counts,
//! percentages and totals it states against those computed from its figures, its sources' dates.

use super::{FicheTerritoriale, SourceChiffres, len};
use crate::check::Checker;
use crate::officiel;
use crate::view::format;

impl FicheTerritoriale {
    /// Checks the record: identity against the official lists, computed values against stated ones.
    pub(super) fn verifier(&mut self, c: &mut Checker) {
        if self.code.is_none() {
            self.code = Some(c.source.stem.clone());
        }
        let code = self.code.clone().unwrap_or_default();
        let r = officiel::get();
        match r.departement(&code) {
            None => {
                let path = if c.source.root.lookup("code").is_some() {
                    "code"
                } else {
                    ""
                };
                c.error(
                    path,
                    format!("code de département inconnu `{code}`"),
                    "nommez le fichier du code INSEE du département (`48.yaml`, `2A.yaml`, `971.yaml`) ou indiquez `code:`"
                        .to_string(),
                );
            }
            Some(d) if d.zone == "com" => c.error(
                "code",
                format!(
                    "`{code}` ({}) est une collectivité d'outre-mer, pas un département",
                    d.nom
                ),
                "une fiche territoriale concerne un des 101 départements".to_string(),
            ),
            Some(d) => {
                let stem = &c.source.stem;
                if !stem.eq_ignore_ascii_case(&d.code) && c.source.root.lookup("code").is_some() {
                    c.warning(
                        "code",
                        format!(
                            "le fichier `{stem}.yaml` porte la fiche du département {} ({})",
                            d.code, d.nom
                        ),
                        format!(
                            "renommez le fichier `{}.yaml`, ou corrigez `code:` s'il s'agit d'un autre département",
                            d.code
                        ),
                    );
                }
                if let Some(nom) = &self.nom
                    && officiel::fold(nom) != officiel::fold(&d.nom)
                {
                    c.warning(
                        "nom",
                        format!(
                            "nom `{nom}` différent du nom officiel `{}` du département {code}",
                            d.nom
                        ),
                        format!("écrivez `nom: {}` ou retirez la ligne", d.nom),
                    );
                }
                if let Some(region) = &self.region
                    && *region != d.region
                {
                    let officielle = r
                        .region(&d.region)
                        .map_or(String::new(), |r| format!(" ({})", r.nom));
                    c.error(
                        "region",
                        format!("le département {code} n'est pas dans la région `{region}`"),
                        format!(
                            "sa région est `{}`{officielle} ; retirez la ligne, elle est connue",
                            d.region
                        ),
                    );
                }
            }
        }
        if let Some(d) = &self.delegue_territorial {
            c.email("delegue_territorial.email", &d.email);
        }
        self.check_counts(c);
        self.check_sources(c);
        self.check_signs(c);
    }

    /// Every figure of a fiche territoriale is a count, an amount or a share: never negative.
    fn check_signs(&self, c: &mut Checker) {
        fn walk(value: &serde_json::Value, path: &str, found: &mut Vec<(String, f64)>) {
            match value {
                serde_json::Value::Number(n) => {
                    if let Some(x) = n.as_f64().filter(|x| *x < 0.0) {
                        found.push((path.to_string(), x));
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        walk(item, &format!("{path}[{i}]"), found);
                    }
                }
                serde_json::Value::Object(fields) => {
                    for (key, item) in fields {
                        let here = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        walk(item, &here, found);
                    }
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        if let Ok(value) = serde_json::to_value(self) {
            walk(&value, "", &mut found);
        }
        for (path, x) in found {
            c.error(
                &path,
                format!("`{}` est négatif : les chiffres d'une fiche territoriale sont des nombres, des montants ou des parts", format::number(x)),
                "écrivez la valeur sans signe moins".to_string(),
            );
        }
    }

    fn check_counts(&self, c: &mut Checker) {
        let count = |c: &mut Checker,
                     path: &str,
                     stated: Option<u32>,
                     computed: Option<u32>,
                     what: &str| {
            if let (Some(s), Some(n)) = (stated, computed)
                && s != n
            {
                c.warning(
                    path,
                    format!("{what} : valeur indiquée {s}, valeur calculée {n}"),
                    format!("la fiche affiche la valeur calculée ({n}) ; corrigez la valeur indiquée ou la liste"),
                );
            }
        };
        if let Some(f) = &self.france_services {
            count(
                c,
                "france_services.nombre",
                f.nombre,
                len(&f.espaces),
                "nombre d'espaces France Services",
            );
        }
        if let Some(a) = &self.action_coeur_de_ville {
            count(
                c,
                "action_coeur_de_ville.nombre_communes",
                a.nombre_communes,
                len(&a.communes),
                "nombre de communes",
            );
        }
        if let Some(p) = &self.petites_villes_de_demain {
            count(
                c,
                "petites_villes_de_demain.nombre_villes",
                p.nombre_villes,
                len(&p.villes),
                "nombre de villes",
            );
        }
        if let Some(r) = &self.ruralite {
            count(
                c,
                "ruralite.nombre_contrats",
                r.nombre_contrats,
                len(&r.contrats_de_ruralite),
                "nombre de contrats de ruralité",
            );
            if let (Some(zrr), Some(total)) = (r.communes_zrr, r.communes_total)
                && zrr > total
            {
                c.error(
                    "ruralite.communes_zrr",
                    format!("{zrr} communes en ZRR sur {total} : plus que le total"),
                    "vérifiez les deux nombres".to_string(),
                );
            }
        }
        if let Some(f) = self
            .numerique
            .as_ref()
            .and_then(|n| n.fabriques_numeriques.as_ref())
        {
            count(
                c,
                "numerique.fabriques_numeriques.nombre",
                f.nombre,
                len(&f.laureats),
                "nombre de fabriques",
            );
        }
        if let Some(crte) = &self.crte {
            count(
                c,
                "crte.nombre",
                crte.nombre,
                len(&crte.contrats),
                "nombre de CRTE",
            );
        }
        if let Some(a) = &self.accompagnement_sur_mesure {
            count(
                c,
                "accompagnement_sur_mesure.nombre",
                a.nombre,
                a.projets.as_ref().map(|p| p.len() as u32),
                "nombre de projets accompagnés",
            );
        }
        self.check_ftth(c);
    }

    /// Percentages and totals of the FttH table against the zones' figures.
    fn check_ftth(&self, c: &mut Checker) {
        let Some(ftth) = self.ftth() else { return };
        let thd = self
            .numerique
            .as_ref()
            .and_then(|n| n.france_tres_haut_debit.as_ref())
            .expect("ftth() found it");
        let base = "numerique.france_tres_haut_debit";
        let pct = |c: &mut Checker,
                   path: &str,
                   stated: Option<f64>,
                   computed: Option<f64>,
                   how: String| {
            if let (Some(s), Some(v)) = (stated, computed)
                && (s - v).abs() > 0.5
            {
                c.warning(
                    path,
                    format!("pourcentage indiqué {}, pourcentage calculé {} ({how})", format::percent(s), format::percent(v.round())),
                    "la fiche affiche le pourcentage calculé ; corrigez le chiffre indiqué ou les effectifs".to_string(),
                );
            }
        };
        let zones = thd.zones.as_ref().expect("ftth() found them");
        for (i, (z, l)) in zones.iter().zip(&ftth.lignes).enumerate() {
            let here = format!("{base}.zones[{i}]");
            pct(
                c,
                &format!("{here}.part_locaux_a_deployer"),
                z.part_locaux_a_deployer,
                l.part_locaux_a_deployer,
                format!(
                    "{} / {}",
                    format::number(l.locaux_a_deployer),
                    format::number(ftth.total_locaux_a_deployer)
                ),
            );
            pct(
                c,
                &format!("{here}.part_raccordables"),
                z.part_raccordables,
                l.part_raccordables,
                format!(
                    "{} / {}",
                    format::number(l.locaux_raccordables),
                    format::number(l.locaux_a_deployer)
                ),
            );
            if let (Some(r), Some(d)) = (z.locaux_raccordables, z.locaux_a_deployer)
                && r > d
            {
                c.error(
                    &format!("{here}.locaux_raccordables"),
                    "plus de locaux raccordables que de locaux à déployer".to_string(),
                    "vérifiez les deux nombres de cette zone".to_string(),
                );
            }
        }
        let total =
            |c: &mut Checker, path: &str, stated: Option<f64>, computed: f64, what: &str| {
                if let Some(s) = stated
                    && (s - computed).abs() > 0.5
                {
                    c.warning(
                        path,
                        format!(
                            "{what} : total indiqué {}, somme des zones {}",
                            format::number(s),
                            format::number(computed)
                        ),
                        "la fiche affiche la somme des zones ; corrigez le total ou une zone"
                            .to_string(),
                    );
                }
            };
        total(
            c,
            &format!("{base}.total_locaux_a_deployer"),
            thd.total_locaux_a_deployer,
            ftth.total_locaux_a_deployer,
            "locaux à déployer",
        );
        total(
            c,
            &format!("{base}.total_locaux_raccordables"),
            thd.total_locaux_raccordables,
            ftth.total_locaux_raccordables,
            "locaux raccordables",
        );
        pct(
            c,
            &format!("{base}.part_raccordables_total"),
            thd.part_raccordables_total,
            ftth.part_raccordables_total,
            format!(
                "{} / {}",
                format::number(ftth.total_locaux_raccordables),
                format::number(ftth.total_locaux_a_deployer)
            ),
        );
    }

    /// Every `source.date` is an ISO date.
    fn check_sources(&self, c: &mut Checker) {
        let n = self.numerique.clone().unwrap_or_default();
        let sources: [(&str, Option<&SourceChiffres>); 10] = [
            (
                "france_services.source",
                self.france_services
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "action_coeur_de_ville.source",
                self.action_coeur_de_ville
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "petites_villes_de_demain.source",
                self.petites_villes_de_demain
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "territoires_d_industrie.source",
                self.territoires_d_industrie
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "ruralite.source",
                self.ruralite.as_ref().and_then(|x| x.source.as_ref()),
            ),
            (
                "montagne.source",
                self.montagne.as_ref().and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.france_mobile.source",
                n.france_mobile.as_ref().and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.france_tres_haut_debit.source",
                n.france_tres_haut_debit
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.conseillers_numeriques.source",
                n.conseillers_numeriques
                    .as_ref()
                    .and_then(|x| x.source.as_ref()),
            ),
            (
                "numerique.pass_numeriques.source",
                n.pass_numeriques.as_ref().and_then(|x| x.source.as_ref()),
            ),
        ];
        for (path, source) in sources {
            if let Some(s) = source {
                c.date(&format!("{path}.date"), &s.date);
            }
        }
    }
}
