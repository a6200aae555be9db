//! The view of a COT plan, for its page and its PDF: the audits with the computed target
//! scores and star levels, the référentiel tables with their bar charts (drawn as SVG for the
//! page; the PDF draws its own from the same figures), the orientations with their numbered
//! actions, and the calendar.

use serde::Serialize;

use super::*;
use crate::officiel;
use crate::view::markdown::{self, Inline};
use crate::view::{Liens, graphique};

impl Cot {
    /// The plan as its page and its PDF show it; links relative to the site root.
    pub fn vue(&self, id: &str) -> Vue {
        let col = self.collectivite.clone().unwrap_or_default();
        let pres = self.presentation.clone().unwrap_or_default();
        let obj = self.objectifs_regionaux.clone().unwrap_or_default();
        let periode = self.periode.clone().unwrap_or_default();
        let periode_label = match (periode.debut, periode.fin) {
            (Some(d), Some(f)) => format!("{d}-{f}"),
            (Some(d), None) => format!("à partir de {d}"),
            (None, Some(f)) => format!("jusqu'en {f}"),
            (None, None) => NON_RENSEIGNE.into(),
        };
        let inlines = |l: &Option<Vec<String>>| -> Vec<Inline> {
            l.iter().flatten().map(|t| markdown::inline(t)).collect()
        };
        let departement = col
            .departement
            .as_deref()
            .and_then(|c| officiel::get().departement(c))
            .map(|d| DepartementVue {
                code: d.code.clone(),
                nom: d.nom.clone(),
                // Every département but the overseas collectivités has a page.
                page: (d.zone != "com").then(|| format!("departements/{}/", d.code.to_lowercase())),
            });

        let mut audits = Vec::new();
        let mut tables = Vec::new();
        for (key, nom, r) in self.referentiels() {
            let s = r.scores();
            let audit = r.audit.clone().unwrap_or_default();
            let prochain = s
                .score_vise
                .zip(s.etoiles_visees_permises)
                .and_then(|(v, n)| {
                    let seuil = *SEUILS_ETOILES.get(usize::from(n))?;
                    Some(format!(
                        "Le score visé permet au plus {} ; la {} demande {}, soit {} de plus.",
                        etoiles_label(n),
                        ordinal(n + 1),
                        format::percent(seuil),
                        points(seuil - v).trim_start_matches('+')
                    ))
                });
            audits.push(AuditVue {
                code: key,
                referentiel: nom,
                titre: format!("Audit {nom}"),
                score: s
                    .score
                    .map_or_else(|| NON_RENSEIGNE.into(), format::percent),
                score_valeur: s.score,
                etoiles: s.etoiles,
                etoiles_label: s
                    .etoiles
                    .map_or_else(|| NON_RENSEIGNE.into(), etoiles_label),
                etoiles_permises: s.etoiles_permises,
                recommandations: inlines(&audit.recommandations),
                points_de_vigilance: inlines(&audit.points_de_vigilance),
                progression: s.progression.map_or_else(|| NON_RENSEIGNE.into(), points),
                progression_valeur: s.progression,
                score_vise: s
                    .score_vise
                    .map_or_else(|| NON_RENSEIGNE.into(), format::percent),
                score_vise_valeur: s.score_vise,
                calcul: match (s.score, s.progression, s.score_vise) {
                    (Some(a), Some(p), Some(_)) => Some(format!(
                        "{} {} {}",
                        format::percent(a),
                        if p < 0.0 { "−" } else { "+" },
                        points(p.abs()).trim_start_matches('+'),
                    )),
                    _ => None,
                },
                etoiles_visees_permises: s.etoiles_visees_permises,
                prochain_seuil: prochain,
            });
            let axes: Vec<AxeVue> = r
                .axes
                .iter()
                .flatten()
                .map(|a| AxeVue {
                    ligne: LigneVue::new(
                        &a.code,
                        &a.libelle,
                        a.points_restants,
                        a.realise,
                        a.programme,
                    ),
                    lignes: a
                        .lignes
                        .iter()
                        .flatten()
                        .map(|l| {
                            LigneVue::new(
                                &l.code,
                                &l.libelle,
                                l.points_restants,
                                l.realise,
                                l.programme,
                            )
                        })
                        .collect(),
                })
                .collect();
            if axes.is_empty() {
                continue;
            }
            let graphique = Graphique::new(key, nom, &axes);
            tables.push(TableVue {
                code: key,
                referentiel: nom,
                titre: format!("Référentiel {nom}"),
                colonne: if key == "eci" {
                    "Axes et orientations"
                } else {
                    "Axes et sous-axes"
                },
                axes,
                graphique,
            });
        }

        let mut groupes: Vec<GroupeVue> = Vec::new();
        for (i, o) in self.orientations.iter().flatten().enumerate() {
            let numero = i as u32 + 1;
            let vue = OrientationVue {
                numero,
                titre: o.titre.clone().unwrap_or_else(|| NON_RENSEIGNE.into()),
                objectifs_obligatoires: o.objectifs_obligatoires == Some(Reponse::Oui),
                actions: o
                    .actions
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(|(j, t)| ActionVue {
                        numero: format!("{numero}.{}", j + 1),
                        texte: markdown::inline(t),
                    })
                    .collect(),
            };
            match groupes.last_mut() {
                Some(g) if g.titre == o.groupe => g.orientations.push(vue),
                _ => groupes.push(GroupeVue {
                    titre: o.groupe.clone(),
                    orientations: vec![vue],
                }),
            }
        }

        let dates = self.dates();
        let phases: Vec<PhaseVue> = self
            .calendrier
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| {
                let (d, f) = dates[i];
                let show =
                    |x: Option<LooseDate>| x.map_or_else(|| NON_RENSEIGNE.into(), |x| x.french());
                let numero = i as u32 + 1;
                PhaseVue {
                    numero,
                    nom: format!("Phase {numero}"),
                    debut: show(d),
                    fin: show(f),
                    debut_iso: d.map(|x| x.iso()),
                    fin_iso: f.map(|x| x.iso()),
                    dates: match (d, f) {
                        (Some(d), Some(f)) => format!("{} – {}", d.french(), f.french()),
                        (Some(d), None) => format!("à partir de {}", d.french()),
                        (None, Some(f)) => format!("jusqu'en {}", f.french()),
                        (None, None) => NON_RENSEIGNE.into(),
                    },
                    en_cours: self.phase_en_cours == Some(numero),
                    etapes: p
                        .etapes
                        .iter()
                        .flatten()
                        .map(|e| EtapeVue {
                            titre: e.titre.clone().unwrap_or_else(|| NON_RENSEIGNE.into()),
                            actions: inlines(&e.actions),
                            versement: e.versement.map(format::euros),
                        })
                        .collect(),
                    jalon: p.jalon.clone(),
                }
            })
            .collect();
        let n_obl = obj.obligatoires.as_ref().map_or(0, Vec::len);
        let n_ret = obj.retenus.as_ref().map_or(0, Vec::len);

        Vue {
            id: id.to_string(),
            titre: self.intitule(),
            sous_titre: self.sous_titre.clone(),
            titre_complet: self.titre_complet(),
            collectivite: CollectiviteVue {
                nom: col.nom.clone().unwrap_or_else(|| NON_RENSEIGNE.into()),
                sigle: col.sigle.clone(),
                siren: col.siren.clone(),
                departement,
            },
            periode: periode_label,
            phase_en_cours: self.phase_en_cours.map(|n| format!("Phase {n}")),
            presentation: PresentationVue {
                accroche: pres.accroche.clone(),
                points: inlines(&pres.en_trois_points),
                objectif: pres.objectif.as_deref().map(markdown::inline),
            },
            audits,
            referentiels: tables,
            objectifs_regionaux: ObjectifsVue {
                titre_obligatoires: format!(
                    "{} obligatoire{}",
                    crate::diagnostics::plural(n_obl, "objectif", "objectifs"),
                    if n_obl > 1 { "s" } else { "" }
                ),
                obligatoires: inlines(&obj.obligatoires),
                titre_retenus: format!(
                    "{} (au choix)",
                    crate::diagnostics::plural(n_ret, "objectif retenu", "objectifs retenus")
                ),
                retenus: inlines(&obj.retenus),
                note: obj.note.clone(),
            },
            orientations: groupes,
            calendrier: phases,
            liens: Liens::de(Cot::INFO.dossier, id),
        }
    }
}

// ——— The view given to the page and PDF templates ———

#[derive(Clone, Debug, Serialize)]
pub struct Vue {
    pub id: String,
    pub titre: String,
    pub sous_titre: Option<String>,
    /// `Contrat d'objectif territorial — CCPAL`.
    pub titre_complet: String,
    pub collectivite: CollectiviteVue,
    /// `2022-2026`.
    pub periode: String,
    /// `Phase 2`.
    pub phase_en_cours: Option<String>,
    pub presentation: PresentationVue,
    pub audits: Vec<AuditVue>,
    pub referentiels: Vec<TableVue>,
    pub objectifs_regionaux: ObjectifsVue,
    pub orientations: Vec<GroupeVue>,
    pub calendrier: Vec<PhaseVue>,
    /// Relative to the site root.
    pub liens: Liens,
}

#[derive(Clone, Debug, Serialize)]
pub struct CollectiviteVue {
    pub nom: String,
    pub sigle: Option<String>,
    pub siren: Option<String>,
    pub departement: Option<DepartementVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DepartementVue {
    pub code: String,
    pub nom: String,
    /// Its page, relative to the site root.
    pub page: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PresentationVue {
    pub accroche: Option<String>,
    pub points: Vec<Inline>,
    pub objectif: Option<Inline>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuditVue {
    pub code: &'static str,
    pub referentiel: &'static str,
    pub titre: String,
    /// `23,3 %`.
    pub score: String,
    pub score_valeur: Option<f64>,
    pub etoiles: Option<u8>,
    /// `1 étoile`.
    pub etoiles_label: String,
    /// The most stars the score allows.
    pub etoiles_permises: Option<u8>,
    pub recommandations: Vec<Inline>,
    pub points_de_vigilance: Vec<Inline>,
    /// `+11 points`.
    pub progression: String,
    pub progression_valeur: Option<f64>,
    /// Computed: `34,3 %`.
    pub score_vise: String,
    pub score_vise_valeur: Option<f64>,
    /// How the target is computed: `23,3 % + 11 points`.
    pub calcul: Option<String>,
    pub etoiles_visees_permises: Option<u8>,
    /// « Le score visé permet au plus 1 étoile ; la 2e demande 35 %, soit 0,7 point de plus. »
    pub prochain_seuil: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TableVue {
    pub code: &'static str,
    pub referentiel: &'static str,
    /// `Référentiel Économie circulaire`: from the référentiel, never from the record.
    pub titre: String,
    /// Header of the first column.
    pub colonne: &'static str,
    pub axes: Vec<AxeVue>,
    pub graphique: Graphique,
}

#[derive(Clone, Debug, Serialize)]
pub struct AxeVue {
    #[serde(flatten)]
    pub ligne: LigneVue,
    pub lignes: Vec<LigneVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LigneVue {
    pub code: Option<String>,
    pub libelle: String,
    /// `58,7`.
    pub points_restants: String,
    /// `27 %`.
    pub realise: String,
    pub programme: String,
    pub realise_valeur: Option<f64>,
    pub programme_valeur: Option<f64>,
}

impl LigneVue {
    fn new(
        code: &Option<String>,
        libelle: &Option<String>,
        restants: Option<f64>,
        realise: Option<f64>,
        programme: Option<f64>,
    ) -> Self {
        let nr = || NON_RENSEIGNE.to_string();
        LigneVue {
            code: code.clone(),
            libelle: libelle.clone().unwrap_or_else(nr),
            points_restants: restants.map_or_else(nr, format::number),
            realise: realise.map_or_else(nr, format::percent),
            programme: programme.map_or_else(nr, format::percent),
            realise_valeur: realise,
            programme_valeur: programme,
        }
    }
}

/// A bar chart of % réalisé and % programmé per axis: its title, its text alternative, and
/// the inline SVG drawn by [`graphique`].
#[derive(Clone, Debug, Serialize)]
pub struct Graphique {
    /// `graphique-cae`: ids of the chart's title and description in the page.
    pub id: String,
    pub titre: String,
    /// The text alternative: every bar's value in a sentence per axis.
    pub description: String,
    /// The chart drawn by the build, for the page (the PDF draws its own from the figures).
    pub svg: String,
    /// The same chart laid out for a phone, its labels at their size.
    pub svg_etroit: String,
}

impl Graphique {
    fn new(key: &str, nom: &str, axes: &[AxeVue]) -> Self {
        let id = format!("graphique-{key}");
        let titre = format!("{nom} : % réalisé et % programmé par axe");
        let description = axes
            .iter()
            .map(|a| {
                format!(
                    "{} : {} réalisé, {} programmé.",
                    a.ligne.libelle, a.ligne.realise, a.ligne.programme
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        let bars: Vec<graphique::Barres> = axes
            .iter()
            .map(|a| graphique::Barres {
                libelle: &a.ligne.libelle,
                valeurs: [a.ligne.realise_valeur, a.ligne.programme_valeur],
            })
            .collect();
        let series = ["réalisé", "programmé"];
        let svg = graphique::barres(graphique::LARGE, &id, &titre, &description, &series, &bars);
        // Its own ids: both charts are in the page, one shown at a time.
        let svg_etroit = graphique::barres(
            graphique::ETROIT,
            &format!("{id}-etroit"),
            &titre,
            &description,
            &series,
            &bars,
        );
        Graphique {
            id,
            titre,
            description,
            svg,
            svg_etroit,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ObjectifsVue {
    /// `3 objectifs obligatoires`, counted from the list.
    pub titre_obligatoires: String,
    pub obligatoires: Vec<Inline>,
    /// `2 objectifs retenus (au choix)`.
    pub titre_retenus: String,
    pub retenus: Vec<Inline>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupeVue {
    pub titre: Option<String>,
    pub orientations: Vec<OrientationVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OrientationVue {
    pub numero: u32,
    pub titre: String,
    pub objectifs_obligatoires: bool,
    pub actions: Vec<ActionVue>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionVue {
    /// `2.3`.
    pub numero: String,
    pub texte: Inline,
}

#[derive(Clone, Debug, Serialize)]
pub struct PhaseVue {
    pub numero: u32,
    pub nom: String,
    /// `octobre 2022`.
    pub debut: String,
    pub fin: String,
    /// `2022-10`, for `<time datetime>`.
    pub debut_iso: Option<String>,
    pub fin_iso: Option<String>,
    /// `octobre 2022 – mars 2024`.
    pub dates: String,
    pub en_cours: bool,
    pub etapes: Vec<EtapeVue>,
    pub jalon: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EtapeVue {
    pub titre: String,
    pub actions: Vec<Inline>,
    /// `75 000 €`.
    pub versement: Option<String>,
}
