// The site's search, without a server: reads the index `territoires build` wrote under
// recherche/ (index.json, then only the term shards and the documents' files a query needs) and
// shows the results of the query in the address (`?q=lozere&genre=CRTE`), grouped by part of
// the site. Words are folded and stemmed as src/render/recherche.rs does. Without JavaScript the
// page stays the list of every page.
(function () {
  'use strict';
  const form = document.getElementById('recherche-formulaire');
  if (!form) return;
  const racine = form.dataset.racine || '';
  const champ = form.elements.q;
  const statut = document.getElementById('recherche-statut');
  const resultats = document.getElementById('recherche-resultats');
  const liste = document.getElementById('recherche-liste');
  const selects = Array.from(form.querySelectorAll('select[data-filtre]'));
  const MAX = 50;

  const fichiers = new Map();
  function charger(chemin) {
    if (!fichiers.has(chemin)) {
      fichiers.set(chemin, fetch(racine + 'recherche/' + chemin).then((r) => (r.ok ? r.json() : null)));
    }
    return fichiers.get(chemin);
  }

  // The same folding as src/officiel.rs (`fold`), the same stem and common words as recherche.rs.
  const PLIS = { 'à': 'a', 'â': 'a', 'ä': 'a', 'á': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
    'î': 'i', 'ï': 'i', 'í': 'i', 'ô': 'o', 'ö': 'o', 'ó': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u',
    'ú': 'u', 'ç': 'c', 'œ': 'oe', 'æ': 'ae', 'ÿ': 'y' };
  const VIDES = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'et', 'en', 'au', 'aux', 'un', 'une',
    'pour', 'par', 'sur', 'dans']);
  const LETTRE = /[\p{L}\p{N}]/u;
  function plier(mot) {
    let out = '';
    for (const c of mot.toLowerCase()) out += PLIS[c] || (LETTRE.test(c) ? c : '');
    return out;
  }
  function racineDe(t) {
    if (/^[0-9]+$/.test(t)) return t;
    const n = Array.from(t).length;
    if (n > 4 && t.endsWith('aux')) return t.slice(0, -3) + 'al';
    if (n > 3 && (t.endsWith('s') || t.endsWith('x'))) return t.slice(0, -1);
    return t;
  }
  function termes(texte) {
    return texte.split(/[^\p{L}\p{N}]+/u).map(plier)
      .filter((t) => Array.from(t).length >= 2 && !VIDES.has(t)).map(racineDe);
  }
  function eclat(t) {
    const debut = Array.from(t).slice(0, 2).join('');
    return /^[a-z0-9]{2}$/.test(debut) ? debut : '_';
  }

  // The documents holding every word (the last word may be the start of one: `lozer`), and
  // how many of the words are in each one's title (the index marks those as `-id - 1`).
  async function trouver(mots, meta) {
    let ids = null;
    const titres = new Map();
    for (let i = 0; i < mots.length; i++) {
      const mot = mots[i];
      const nom = eclat(mot);
      const termesEclat = meta.eclats.includes(nom) ? (await charger('termes/' + nom + '.json')) || {} : {};
      const trouves = new Set();
      const dansTitre = new Set();
      for (const [terme, docs] of Object.entries(termesEclat)) {
        if (terme !== mot && !(i === mots.length - 1 && terme.startsWith(mot))) continue;
        for (const d of docs) {
          const id = d < 0 ? -d - 1 : d;
          trouves.add(id);
          if (d < 0) dansTitre.add(id);
        }
      }
      for (const id of dansTitre) titres.set(id, (titres.get(id) || 0) + 1);
      ids = ids === null ? trouves : new Set([...ids].filter((d) => trouves.has(d)));
      if (ids.size === 0) break;
    }
    return { ids, titres };
  }

  function element(nom, attributs, enfants) {
    const e = document.createElement(nom);
    for (const [k, v] of Object.entries(attributs || {})) e.setAttribute(k, v);
    for (const enfant of enfants || []) e.append(enfant);
    return e;
  }

  let demande = 0;
  async function chercher() {
    const numero = ++demande;
    const q = champ.value.trim();
    const meta = await charger('index.json');
    if (!meta || numero !== demande) return;
    const mots = termes(q);
    const trouve = mots.length ? await trouver(mots, meta) : { ids: null, titres: new Map() };
    let ids = trouve.ids;
    for (const s of selects) {
      if (!s.value) continue;
      const docs = new Set((meta.filtres[s.dataset.filtre] || {})[s.value] || []);
      ids = ids === null ? docs : new Set([...ids].filter((d) => docs.has(d)));
    }
    if (numero !== demande) return;
    if (ids === null) {
      resultats.replaceChildren();
      statut.textContent = '';
      liste.hidden = false;
      return;
    }
    // The documents with the most words of the query in their title first, then in site order.
    const rang = (d) => trouve.titres.get(d) || 0;
    const tries = [...ids].sort((a, b) => rang(b) - rang(a) || a - b);
    const montres = tries.slice(0, MAX);
    const morceaux = await Promise.all([...new Set(montres.map((d) => Math.floor(d / meta.morceau)))]
      .map(async (n) => [n, await charger('fiches/' + n + '.json')]));
    if (numero !== demande) return;
    const parMorceau = new Map(morceaux);
    const groupes = new Map();
    for (const d of montres) {
      const fiche = (parMorceau.get(Math.floor(d / meta.morceau)) || [])[d % meta.morceau];
      if (!fiche) continue;
      const genre = fiche[2] || 'Autres pages';
      if (!groupes.has(genre)) groupes.set(genre, []);
      groupes.get(genre).push(fiche);
    }
    const blocs = [];
    for (const [genre, fiches] of groupes) {
      const titre = element('h2', { class: 'fr-h4' }, [genre + ' (' + fiches.length + ')']);
      const items = fiches.map(([nom, chemin, , departement]) => element('li', {}, [
        element('a', { href: racine + chemin }, [nom]),
        ...(departement ? [' — ' + departement] : []),
      ]));
      blocs.push(titre, element('ul', {}, items));
    }
    resultats.replaceChildren(...blocs);
    liste.hidden = true;
    const n = tries.length;
    const quoi = q ? ' pour « ' + q + ' »' : '';
    statut.textContent = n === 0 ? 'Aucun résultat' + quoi + '.'
      : n + (n > 1 ? ' résultats' : ' résultat') + quoi + (n > MAX ? ' (les ' + MAX + ' premiers sont affichés : précisez la recherche ou filtrez)' : '') + '.';
  }

  function adresse() {
    const params = new URLSearchParams();
    if (champ.value.trim()) params.set('q', champ.value.trim());
    for (const s of selects) if (s.value) params.set(s.name, s.value);
    const texte = params.toString();
    history.replaceState(null, '', texte ? '?' + texte : location.pathname);
  }

  async function demarrer() {
    const meta = await charger('index.json');
    if (!meta) return;
    const params = new URLSearchParams(location.search);
    for (const s of selects) {
      const valeurs = Object.keys(meta.filtres[s.dataset.filtre] || {}).sort((a, b) => a.localeCompare(b, 'fr'));
      for (const v of valeurs) s.append(element('option', { value: v }, [v]));
      if (valeurs.length === 0) s.closest('div').hidden = true;
      s.value = params.get(s.name) || '';
    }
    document.getElementById('recherche-filtres').hidden = false;
    champ.value = params.get('q') || '';
    let attente;
    champ.addEventListener('input', () => {
      clearTimeout(attente);
      attente = setTimeout(() => { adresse(); chercher(); }, 150);
    });
    for (const s of selects) s.addEventListener('change', () => { adresse(); chercher(); });
    form.addEventListener('submit', (e) => { e.preventDefault(); adresse(); chercher(); });
    chercher();
  }
  demarrer();
})();
