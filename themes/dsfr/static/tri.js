// Sortable tables: each column header of a table marked `data-triable` becomes a button that
// sorts the rows by that column, ascending then descending (aria-sort says which), comparing
// figures as numbers and text in French order. Without JavaScript the table keeps its order.
(function () {
  'use strict';
  const nombre = (texte) => Number(texte.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
  for (const table of document.querySelectorAll('table[data-triable]')) {
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
  }
})();
