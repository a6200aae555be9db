// catalogue.js: live filters of the local ingénierie catalogue (ingenierie/index.html).
//
// Progressive enhancement. The page lists every actor and carries a GET form (#catalogue-filtres:
// search field `q`, checkboxes `categorie`, `type`, `domaine`). This script filters the cards of
// #catalogue-liste as the form changes (a card that does not match gets the `hidden` attribute),
// says "N acteurs sur M correspondent" in the #catalogue-statut live region, and keeps the filters
// in the query string (history.replaceState) so a filtered view can be bookmarked or shared; the
// query string is read back on load. Reset clears the filters and the query string.
//
// Matching: all search words must appear in the card's data-texte (name, sigle, presentation,
// domains, lowercased without accents by the template; compared the same way here); within a
// group of checkboxes one checked box is enough (data-categorie, data-types, data-domaines are
// space-separated codes); groups combine with "and".
//
// The same file is in each theme's static/ folder. No inline code: the pages' CSP is
// `script-src 'self'`.
(function () {
  'use strict';

  var form = document.getElementById('catalogue-filtres');
  var liste = document.getElementById('catalogue-liste');
  var statut = document.getElementById('catalogue-statut');
  if (!form || !liste || !statut || !window.URLSearchParams || !window.history || !history.replaceState) return;

  // The URL parameter of each group of checkboxes and the card attribute it is matched against.
  var GROUPES = [
    { nom: 'categorie', attribut: 'categorie' },
    { nom: 'type', attribut: 'types' },
    { nom: 'domaine', attribut: 'domaines' },
  ];
  var RECHERCHE = 'q';
  var DELAI_ANNONCE = 600; // ms of typing pause before the count is announced

  function normaliser(texte) {
    return String(texte)
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae')
      .replace(/[\u2018\u2019\u02bc`]/g, "'")
      .replace(/\s+/g, ' ')
      .trim();
  }

  function codes(valeur) {
    return (valeur || '').split(/\s+/).filter(Boolean);
  }

  var cartes = Array.prototype.slice.call(liste.querySelectorAll('[data-acteur]')).map(function (el) {
    return {
      el: el,
      texte: normaliser(el.getAttribute('data-texte') || el.textContent),
      categorie: codes(el.getAttribute('data-categorie')),
      types: codes(el.getAttribute('data-types')),
      domaines: codes(el.getAttribute('data-domaines')),
    };
  });
  var total = cartes.length;
  var champRecherche = form.elements[RECHERCHE];

  function cases(nom) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + nom + '"]'));
  }

  // The filters as the form holds them now.
  function lireFormulaire() {
    var etat = { q: champRecherche ? champRecherche.value : '' };
    GROUPES.forEach(function (g) {
      etat[g.nom] = cases(g.nom).filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
    });
    return etat;
  }

  // Puts the filters of a query string into the form (unknown values are ignored).
  function ecrireFormulaire(params) {
    if (champRecherche) champRecherche.value = params.get(RECHERCHE) || '';
    GROUPES.forEach(function (g) {
      var voulues = params.getAll(g.nom);
      cases(g.nom).forEach(function (c) { c.checked = voulues.indexOf(c.value) !== -1; });
    });
  }

  function correspond(carte, etat, mots) {
    for (var i = 0; i < GROUPES.length; i++) {
      var g = GROUPES[i];
      var cochees = etat[g.nom];
      if (cochees.length && !cochees.some(function (code) { return carte[g.attribut].indexOf(code) !== -1; })) return false;
    }
    return mots.every(function (mot) { return carte.texte.indexOf(mot) !== -1; });
  }

  function message(n) {
    if (n === 0) return 'Aucun acteur sur ' + total + ' ne correspond';
    if (n === 1) return '1 acteur sur ' + total + ' correspond';
    return n + ' acteurs sur ' + total + ' correspondent';
  }

  var minuterie = null;
  function annoncer(texte, differe) {
    if (minuterie) { clearTimeout(minuterie); minuterie = null; }
    if (!differe) { statut.textContent = texte; return; }
    minuterie = setTimeout(function () { minuterie = null; statut.textContent = texte; }, DELAI_ANNONCE);
  }

  // The query string of a state, in the form's order: q, categorie, type, domaine.
  function chaine(etat) {
    var params = new URLSearchParams();
    var q = etat.q.trim();
    if (q) params.append(RECHERCHE, q);
    GROUPES.forEach(function (g) { etat[g.nom].forEach(function (v) { params.append(g.nom, v); }); });
    var s = params.toString();
    return s ? '?' + s : '';
  }

  function appliquer(differerAnnonce) {
    var etat = lireFormulaire();
    var mots = normaliser(etat.q).split(' ').filter(Boolean);
    var visibles = 0;
    cartes.forEach(function (carte) {
      var garde = correspond(carte, etat, mots);
      carte.el.hidden = !garde;
      if (garde) visibles++;
    });
    annoncer(message(visibles), differerAnnonce);
    var url = location.pathname + chaine(etat) + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, '', url);
  }

  // Typing filters at once and announces the count after a pause; a checkbox does both at once.
  form.addEventListener('input', function (e) {
    if (e.target === champRecherche) appliquer(true);
  });
  form.addEventListener('change', function (e) {
    if (e.target !== champRecherche) appliquer(false);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    appliquer(false);
  });
  form.addEventListener('reset', function (e) {
    e.preventDefault();
    if (champRecherche) champRecherche.value = '';
    GROUPES.forEach(function (g) { cases(g.nom).forEach(function (c) { c.checked = false; }); });
    appliquer(false);
  });

  // Restore the filters of the URL (a shared or reloaded filtered view), then filter.
  ecrireFormulaire(new URLSearchParams(location.search));
  appliquer(false);
}());
