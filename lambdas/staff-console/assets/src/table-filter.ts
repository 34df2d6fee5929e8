/**
 * A filter box above a long table: rows whose text does not contain what is typed are hidden,
 * and a live region says how many are shown. Added by the script, so a page without it never
 * shows a box that does nothing.
 */
export function enhanceTableFilters(root: Document): void {
  root.querySelectorAll<HTMLTableElement>('table[data-module="app-table-filter"]').forEach((table, index) => {
    const rows = [...table.tBodies].flatMap((body) => [...body.rows]);
    if (rows.length < 2) return;
    const id = `table-filter-${index + 1}`;
    const group = root.createElement('div');
    group.className = 'govuk-form-group app-table-filter';
    const label = root.createElement('label');
    label.className = 'govuk-label';
    label.htmlFor = id;
    label.textContent = table.dataset.filterLabel ?? 'Filter these rows';
    const input = root.createElement('input');
    input.className = 'govuk-input govuk-input--width-20';
    input.id = id;
    input.type = 'search';
    input.autocomplete = 'off';
    const status = root.createElement('p');
    status.className = 'govuk-body-s';
    status.setAttribute('aria-live', 'polite');
    group.append(label, input, status);
    table.before(group);
    input.addEventListener('input', () => {
      const needle = input.value.trim().toLowerCase();
      let shown = 0;
      for (const row of rows) {
        const match = needle === '' || (row.textContent ?? '').toLowerCase().includes(needle);
        row.hidden = !match;
        if (match) shown += 1;
      }
      status.textContent = needle === '' ? '' : `${shown} of ${rows.length} rows shown`;
    });
  });
}
