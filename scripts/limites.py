#!/usr/bin/env python3
"""Benchmark fixture: the bundled example plus one record with every field at its limit.

    python3 scripts/limites.py DIR crte|ing|cot|dep [SCALE]

writes the example site into DIR (content/ and themes/) with one more record of the kind (the
fiche territoriale 48 replaced for `dep`) whose texts and lists are as long as
`src/source/limites.rs` accepts: what a build costs at worst for one record (BENCHMARKS.md).
SCALE multiplies the lists' lengths, to write records beyond the limits (`ing 66.7`: 2 000
contacts). Needs PyYAML (installed with frictionless by scripts/test.sh)."""
import sys, os, shutil, yaml
d, kind = sys.argv[1], sys.argv[2]
scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
for x in ("content", "themes"):
    shutil.copytree(f"{REPO}/{x}", f"{d}/{x}")
# The limits of src/source/limites.rs: a list of texts holds 30 000 characters in all.
CAPS = {"nom": 200, "nom_ligne": 200, "nom_liste": 195, "sigle": 50, "element": 295, "phrase": 500,
        "texte": 5000, "texte_court": 5000, "texte_long": 10000, "lignes_signataires": 150,
        "elements_liste": 100, "public": 20, "contacts": 30, "adresse_lignes": 6, "exemples": 50,
        "partenaires": 20, "offres": 20, "points": 50, "phrases": 50, "axes": 12, "lignes_axe": 20,
        "orientations": 30, "actions": 20, "phases": 8, "etapes": 5, "edito": 4, "fonctions": 5,
        "communes": 150, "lignes_tableau": 200, "zones": 20}
class NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data): return True
def dump(p, o):
    with open(p, "w") as f: yaml.dump(o, f, Dumper=NoAlias, allow_unicode=True, width=100, sort_keys=False)
W = "Communauté de communes du Pays de la Haute-Vallée et des Trois Rivières "
def t(n, i=0):
    s = f"{i} " + W * (n // len(W) + 1)
    return s[:n].rstrip(" ") + "é"[: n - len(s[:n].rstrip(" "))] if False else s[:n - 1].rstrip() + "x"
def md(n):  # markdown text of n chars in paragraphs of ~400
    out, i = [], 0
    while sum(len(p) + 2 for p in out) < n:
        out.append("**Gras** " + t(390, i)); i += 1
    s = "\n\n".join(out)
    return s[:n].rstrip()
def L(c): return max(1, int(CAPS[c] * scale))
C = CAPS
if kind == "crte":
    r = yaml.safe_load(open(f"{REPO}/content/crte/lozere-terres-de-vie.yaml"))
    r["nom"] = t(C["nom"])
    ig = r["informations_generales"]; ig["nom_structure_porteuse"] = t(C["nom"])
    row = lambda i: {"nom": t(C["nom_ligne"], i), "nature": "CC", "siren": "200006930"}
    r["signataires"] = [row(i) for i in range(L("lignes_signataires"))]
    r["structures_supra"] = [row(i) for i in range(L("lignes_signataires"))]
    r["gouvernance_evaluation"]["composition_copil"] = [row(i) for i in range(L("lignes_signataires"))]
    items = lambda: [t(C["element"], i) for i in range(L("elements_liste"))]
    st = r["strategie"]; st["documents_strategiques"] = items(); st["contrats"] = items(); st["orientations_strategiques"] = items()
    g = r["gouvernance_evaluation"]; g["instances_partenariat"] = items(); g["partenaires_socio_economiques"] = items(); g["demarches_co_construction"] = items()
    f = r["ingenierie_financement"]; f["ingenierie_locale"] = items(); f["ingenierie_externe"] = items()
    out = f"{d}/content/crte/hostile.yaml"
elif kind == "ing":
    r = yaml.safe_load(open(f"{REPO}/content/ingenierie/idm-departement-manche.yaml"))
    r["nom"] = t(C["nom"]); r["sigle"] = t(C["sigle"])
    r["presentation"] = md(C["texte_long"]); r["modalites"] = md(C["texte_long"])
    r["interventions"] = {k: t(C["texte_court"], 1) for k in ("amont", "projet", "reglementaire", "financiere", "fonciere", "administrative", "concertation")}
    r["public"] = [t(C["element"], i) for i in range(L("public"))]
    r["territoire"] = t(C["element"]); r["cout"]["texte"] = t(C["texte_court"]); r["saisine"]["texte"] = t(C["texte_court"])
    r["contacts"] = [{"nom": t(C["nom_ligne"], i), "adresse": [t(C["nom_ligne"], j) for j in range(C["adresse_lignes"])],
                      "telephone": "02 33 06 39 00", "email": f"contact{i}@manche.gouv.fr", "site_web": "https://www.manche.gouv.fr/" + "x" * 60}
                     for i in range(L("contacts"))]
    o = r["offres"][0]
    o["description"] = md(C["texte"]); o["exemples"] = [t(C["element"], i) for i in range(L("exemples"))]
    o["partenaires"] = [t(C["nom_ligne"], i) for i in range(L("partenaires"))]
    o["beneficiaires"] = t(C["element"])
    r["offres"] = [dict(o, nom=t(C["nom"], i)) for i in range(L("offres"))]
    out = f"{d}/content/ingenierie/hostile.yaml"
elif kind == "cot":
    r = yaml.safe_load(open(f"{REPO}/content/cot/ccpal.yaml"))
    r["titre"] = t(C["nom"]); r["sous_titre"] = t(C["nom"]); r["collectivite"]["nom"] = t(C["nom"]); r["collectivite"]["sigle"] = t(C["sigle"])
    p = r["presentation"]; p["accroche"] = t(C["phrase"]); p["en_trois_points"] = [t(C["phrase"], i) for i in range(C["points"])]; p["objectif"] = t(C["texte_court"])
    ob = r["objectifs_regionaux"]; ob["obligatoires"] = [t(C["phrase"], i) for i in range(L("phrases"))]; ob["retenus"] = [t(C["phrase"], i) for i in range(L("phrases"))]; ob["note"] = t(C["texte_court"])
    for ref in ("cae", "eci"):
        a = r[ref]["audit"]; a["recommandations"] = [t(C["phrase"], i) for i in range(L("phrases"))]; a["points_de_vigilance"] = [t(C["phrase"], i) for i in range(L("phrases"))]
        ax0 = r[ref]["axes"][0]; l0 = ax0["lignes"][0]
        r[ref]["axes"] = [dict(ax0, libelle=t(C["element"], i), lignes=[dict(l0, libelle=t(C["element"], j)) for j in range(L("lignes_axe"))]) for i in range(L("axes"))]
        for ax in r[ref]["axes"]:
            ax.pop("code", None)
            for l in ax["lignes"]: l.pop("code", None)
    o0 = r["orientations"][0]
    r["orientations"] = [dict(o0, numero=i + 1, titre=t(C["nom"], i), groupe=t(C["nom_ligne"], i % 3), actions=[t(C["phrase"], j) for j in range(L("actions"))]) for i in range(L("orientations"))]
    ph0 = r["calendrier"][0]; e0 = ph0["etapes"][0]
    r["calendrier"] = [dict(ph0, phase=i + 1, jalon=t(C["element"], i), etapes=[dict(e0, titre=t(C["nom_ligne"], j), actions=[t(C["element"], k) for k in range(L("actions"))]) for j in range(L("etapes"))]) for i in range(L("phases"))]
    out = f"{d}/content/cot/hostile.yaml"
elif kind == "dep":
    r = yaml.safe_load(open(f"{REPO}/content/departements/48.yaml"))
    for e in r["edito"]:
        e["nom"] = t(C["nom_ligne"]); e["fonctions"] = [t(C["element"], i) for i in range(C["fonctions"])]; e["texte"] = md(C["texte"]); e["intertitre"] = t(C["nom_ligne"])
    r["edito"] = (r["edito"] * 2)[: C["edito"]]
    names = lambda: [t(C["nom_liste"], i) for i in range(L("communes"))]
    r["france_services"]["espaces"] = names(); r["france_services"]["nombre"] = L("communes")
    r["action_coeur_de_ville"]["communes"] = names(); r["action_coeur_de_ville"]["nombre_communes"] = L("communes")
    r["petites_villes_de_demain"]["villes"] = names(); r["petites_villes_de_demain"]["nombre_villes"] = L("communes")
    r["ruralite"]["contrats_de_ruralite"] = names(); r["ruralite"]["nombre_contrats"] = L("communes")
    r["crte"]["contrats"] = names(); r["crte"]["nombre"] = L("communes"); r["crte"]["texte"] = md(C["texte"])
    r["numerique"]["fabriques_numeriques"]["laureats"] = names(); r["numerique"]["fabriques_numeriques"]["nombre"] = L("communes")
    r["numerique"]["france_tres_haut_debit"]["initiatives"] = [t(C["element"], i) for i in range(L("elements_liste"))]
    r["numerique"]["france_tres_haut_debit"]["texte"] = md(C["texte"])
    for k in ("hubs_territoriaux", "pass_numeriques"): r["numerique"][k]["texte"] = md(C["texte"])
    r["accompagnement_sur_mesure"]["texte"] = md(C["texte"])
    r["accompagnement_sur_mesure"]["projets"] = [{"porteur": t(C["nom_ligne"], i), "nature_projet": t(C["element"], i), "nom_projet": t(C["nom_ligne"], i), "nature_accompagnement": t(C["element"], i)} for i in range(L("lignes_tableau"))]
    r["accompagnement_sur_mesure"]["nombre"] = L("lignes_tableau")
    z0 = r["numerique"]["france_tres_haut_debit"]["zones"][0]
    r["numerique"]["france_tres_haut_debit"]["zones"] = [dict(z0, zone=f"Zone {i}") for i in range(C["zones"])]
    r["territoires_d_industrie"]["nature"] = t(C["phrase"]); r["montagne"]["texte"] = md(C["texte"])
    out = f"{d}/content/departements/48.yaml"
dump(out, r)
print(out, os.path.getsize(out), "bytes")
