// Tables that scale: each column header of a table marked `data-triable` becomes a button that
// sorts the rows by that column, ascending then descending (aria-sort says which), comparing
// figures as numbers and text in French order; a table of more than 10 rows also gets a field
// that keeps the rows holding what is typed (accents and case ignored), and says how many are
// left. Without JavaScript the table keeps its order and all its rows.
(function () {
  'use strict';
  const nombre = (texte) => Number(texte.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
  const plier = (texte) => texte.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let n = 0;
  for (const table of document.querySelectorAll('table[data-triable]')) {
    n += 1;
    const corps = table.tBodies[0];
    const entetes = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
    entetes.forEach((th, colonne) => {
      const bouton = document.createElement('button');
      bouton.type = 'button';
      bouton.className = 'territoires-tri';
      bouton.append(...th.childNodes);
      th.append(bouton);
      bouton.addEventListener('click', () => {
        const croissant = th.getAttribute('aria-sort') !== 'ascending';
        entetes.forEach((autre) => autre.removeAttribute('aria-sort'));
        th.setAttribute('aria-sort', croissant ? 'ascending' : 'descending');
        const cle = (ligne) => (ligne.cells[colonne]?.dataset.tri ?? ligne.cells[colonne]?.textContent ?? '').trim();
        const lignes = Array.from(corps.rows);
        const chiffres = lignes.every((l) => cle(l) === '' || !Number.isNaN(nombre(cle(l))));
        lignes.sort((a, b) => {
          const [x, y] = [cle(a), cle(b)];
          const ordre = chiffres ? nombre(x || '0') - nombre(y || '0') : x.localeCompare(y, 'fr', { sensitivity: 'base' });
          return croissant ? ordre : -ordre;
        });
        corps.append(...lignes);
      });
    });
    if (corps.rows.length <= 10) continue;
    const id = 'tableau-filtre-' + n;
    const bloc = document.createElement('div');
    bloc.className = 'territoires-filtre-tableau';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = 'Filtrer les lignes du tableau';
    const champ = document.createElement('input');
    champ.type = 'search';
    champ.id = id;
    champ.className = 'fr-input';
    const statut = document.createElement('p');
    statut.setAttribute('role', 'status');
    bloc.append(label, champ, statut);
    table.closest('.fr-table, .tableau, .territoires-table')?.before(bloc) ?? table.before(bloc);
    const textes = new Map(Array.from(corps.rows).map((r) => [r, plier(r.textContent)]));
    champ.addEventListener('input', () => {
      const cherche = plier(champ.value.trim());
      let gardees = 0;
      for (const [ligne, texte] of textes) {
        ligne.hidden = cherche !== '' && !texte.includes(cherche);
        if (!ligne.hidden) gardees += 1;
      }
      statut.textContent = cherche === '' ? '' : gardees + (gardees > 1 ? ' lignes' : ' ligne') + ' sur ' + textes.size;
    });
  }
})();
