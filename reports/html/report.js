/*
 * report.js - the page of cleave's HTML report (docs/report.md).  Reads the
 * JSON of the script element "cleave-data" (written by reports/report_html.c, which
 * describes its tables) and draws the overview, the service map (Graphviz
 * SVG, clickable, pan and zoom), the dependency matrix (a canvas drawing
 * only what is in view), the list of components, search, and a panel per
 * service, interface, function, file, global or group.
 *
 * Rules: every name from the data reaches the page as text (textContent,
 * createTextNode), never as markup; the only markup inserted is the SVG
 * that Graphviz wrote, parsed as XML.  Nothing is drawn before it is
 * looked at: panels on demand, long lists virtual (rows drawn as they
 * scroll into view).  The page loads nothing.
 */
'use strict';
(function () {
  const started = performance.now();
  const D = JSON.parse(document.getElementById('cleave-data').textContent);
  const parsed = performance.now();
  const EV = ['direct', 'field', 'type'];
  const ENTRY = ['', 'API', 'callback', 'trigger'];
  const ROW = 22;
  const app = document.getElementById('app');
  const nfmt = new Intl.NumberFormat('en-US');

  /* ---- small helpers ---------------------------------------------------- */

  /* el('td', {class: 'num'}, 'text', child...): attributes set as such,
   * strings added as text nodes. */
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'onclick') e.addEventListener('click', v);
        else if (k === 'text') e.textContent = v;
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const k of kids) add(e, k);
    return e;
  }
  function add(e, k) {
    if (k === undefined || k === null || k === false) return;
    if (Array.isArray(k)) { for (const x of k) add(e, x); return; }
    e.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
  function num(n) { return typeof n === 'number' ? nfmt.format(n) : String(n); }
  function plural(n, w) { return num(n) + ' ' + w + (n === 1 ? '' : 's'); }
  /* An interface's calls per second under the traffic model; '' in a plan without one. */
  function ifRate(x) { return x.doc && typeof x.doc.calls_per_second === 'number' ? x.doc.calls_per_second : ''; }
  const fileName = (i) => (i >= 0 && i < D.files.length ? D.files[i] : '?');

  /* Functions, globals, services as objects, on demand. */
  const F = {
    name: (f) => D.fn[f][0], file: (f) => fileName(D.fn[f][1]), line: (f) => D.fn[f][2],
    loc: (f) => D.fn[f][3], svc: (f) => D.fn[f][4], entry: (f) => D.fn[f][5],
    id: (f) => D.fn[f][6] || D.fn[f][0],
  };
  const G = {
    name: (g) => D.gl[g][0], file: (g) => fileName(D.gl[g][1]), line: (g) => D.gl[g][2],
    kind: (g) => D.gl[g][3], id: (g) => D.gl[g][4] || D.gl[g][0],
  };
  const S = (s) => D.sv[s];

  function link(text, target, title) {
    return el('a', {class: 'link', href: '#', title: title,
      onclick: (ev) => { ev.preventDefault(); go({panel: target}); }}, text);
  }
  function svcLink(s) { return s >= 0 ? link(S(s).name, 's' + s) : el('span', {class: 'muted'}, '(none)'); }
  function fnLink(f) { return link(F.name(f), 'f' + f, F.id(f)); }
  function glLink(g) { return link(G.id(g), 'g' + g); }
  function fileLink(i) { return link(fileName(i), 'F' + i); }
  function kindBadge(kind) { return el('span', {class: 'badge ' + kind}, kind); }
  function at(file, line, col) { return fileName(file) + ':' + line + ':' + col; }

  /* A list of n rows of ROW pixels, drawing only those in view. */
  function vlist(n, draw, height, cls) {
    const box = el('div', {class: 'vlist' + (cls ? ' ' + cls : '')});
    box.style.height = Math.min(height || 440, Math.max(n, 1) * ROW + 2) + 'px';
    const spacer = el('div');
    spacer.style.height = n * ROW + 'px';
    box.appendChild(spacer);
    let shown = new Map();
    function paint() {
      const first = Math.max(0, Math.floor(box.scrollTop / ROW) - 5);
      const last = Math.min(n, Math.ceil((box.scrollTop + box.clientHeight) / ROW) + 5);
      const keep = new Map();
      for (let i = first; i < last; i++) {
        let r = shown.get(i);
        if (!r) {
          r = el('div', {class: 'row'});
          r.style.top = i * ROW + 'px';
          draw(r, i);
          box.appendChild(r);
        }
        keep.set(i, r);
      }
      for (const [i, r] of shown) if (!keep.has(i)) r.remove();
      shown = keep;
    }
    box.addEventListener('scroll', () => requestAnimationFrame(paint));
    requestAnimationFrame(paint);
    setTimeout(paint, 0);
    return box;
  }

  /* A table of rows (arrays of cells) showing `step` rows and a button for more. */
  function table(head, rows, opts) {
    opts = opts || {};
    const t = el('table');
    const tr = el('tr');
    head.forEach((h, k) => tr.appendChild(el('th', {class: opts.num && opts.num[k] ? 'num' : null}, h)));
    t.appendChild(el('thead', null, tr));
    const body = el('tbody');
    t.appendChild(body);
    const step = opts.step || 200;
    let shown = 0;
    const wrap = el('div', null, t);
    const more = el('button', {class: 'more'});
    function fill() {
      const end = Math.min(rows.length, shown + step);
      for (let i = shown; i < end; i++) {
        const r = el('tr', opts.under ? {class: 'over'} : null), cells = opts.under ? rows[i].slice(0, -1) : rows[i];
        cells.forEach((c, k) => r.appendChild(el('td', {class: opts.num && opts.num[k] ? 'num' : null}, c)));
        body.appendChild(r);
        if (opts.under) /* the last cell on a line of its own, under the row */
          body.appendChild(el('tr', {class: 'under'}, el('td', {colspan: cells.length}, rows[i][rows[i].length - 1])));
      }
      shown = end;
      if (shown < rows.length) more.textContent = 'show ' + num(Math.min(step, rows.length - shown)) + ' more of ' + num(rows.length - shown);
      else more.remove();
    }
    more.addEventListener('click', fill);
    wrap.appendChild(more);
    fill();
    return wrap;
  }

  /* Any JSON value as text: objects and arrays laid out, strings as they are. */
  function jsonBlock(v) { return el('pre', {class: 'json'}, JSON.stringify(v, null, 1)); }

  /* A key -> value table of an object, nested objects flattened with dots. */
  function kvTable(obj, skip) {
    const rows = [];
    (function walk(o, prefix) {
      for (const k of Object.keys(o)) {
        if (skip && skip.includes(prefix + k)) continue;
        const v = o[k];
        if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, prefix + k + '.');
        else rows.push([prefix + k, Array.isArray(v) ? v.map(x => typeof x === 'object' ? JSON.stringify(x) : String(x)).join(', ')
                                                       : v === null ? '—' : String(v)]);
      }
    })(obj || {}, '');
    return table(['figure', 'value'], rows, {step: 100});
  }

  /* ---- derived indexes, built when first needed ----------------------------- */

  let byIface = null; /* "from,to" -> interface index */
  function iface(a, b) {
    if (!byIface) {
      byIface = new Map();
      D.if.forEach((x, i) => byIface.set(x.from + ',' + x.to, i));
    }
    const i = byIface.get(a + ',' + b);
    return i === undefined ? -1 : i;
  }

  let fnCalls = null; /* function -> [[interface, call index]] crossing a boundary */
  function crossings(f) {
    if (!fnCalls) {
      fnCalls = new Map();
      D.if.forEach((x, i) => x.calls.forEach((c, k) => {
        for (const g of [c[0], c[1]]) {
          if (!fnCalls.has(g)) fnCalls.set(g, []);
          fnCalls.get(g).push([i, k]);
        }
      }));
    }
    return fnCalls.get(f) || [];
  }

  let fileFns = null; /* file -> functions */
  function functionsOf(file) {
    if (!fileFns) {
      fileFns = new Map();
      D.fn.forEach((r, f) => { if (!fileFns.has(r[1])) fileFns.set(r[1], []); fileFns.get(r[1]).push(f); });
    }
    return fileFns.get(file) || [];
  }

  let stateGroups = null; /* the service view's state cylinders: shared globals by the same users */
  function stateGroup(k) {
    if (!stateGroups) {
      stateGroups = [];
      const seen = new Map();
      D.sh.forEach((x, i) => {
        const key = x[1].join(',');
        if (!seen.has(key)) { seen.set(key, stateGroups.length); stateGroups.push([]); }
        stateGroups[seen.get(key)].push(i);
      });
    }
    return stateGroups[k] || [];
  }

  function owners() { /* global -> owning service */
    if (!owners.map) {
      owners.map = new Map();
      D.sv.forEach((s, i) => s.owned.forEach(g => owners.map.set(g, i)));
    }
    return owners.map;
  }

  /* ---- routing ---------------------------------------------------------------- */

  const state = {tab: 'overview', panel: null, group: null, q: ''};
  function go(change) {
    Object.assign(state, change);
    const p = new URLSearchParams();
    p.set('tab', state.tab);
    if (state.panel) p.set('panel', state.panel);
    if (state.group !== null && state.group !== undefined) p.set('group', state.group);
    const h = '#' + p.toString();
    if (location.hash !== h) history.replaceState(null, '', h);
    render(change);
  }
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    state.tab = p.get('tab') || 'overview';
    state.panel = p.get('panel');
    state.group = p.has('group') ? Number(p.get('group')) : null;
  }

  /* ---- the frame ------------------------------------------------------------ */

  const TABS = [['overview', 'Overview'], ['map', 'Map'], ['matrix', 'Matrix'],
                ['components', 'Components'], ['search', 'Search']];
  const nav = el('nav');
  const search = el('input', {type: 'search', placeholder: 'Search functions, files, globals, services', id: 'search'});
  const header = el('header', {class: 'top'},
    el('h1', null, 'cleave · ', el('span', {id: 'project'}, D.project)), nav, search);
  const view = el('div', {id: 'view'});
  const panel = el('div', {id: 'panel', class: 'closed'});
  clear(app);
  app.appendChild(header);
  app.appendChild(el('div', {class: 'layout'}, view, panel));
  const tip = el('div', {class: 'tip'});
  tip.style.display = 'none';
  document.body.appendChild(tip);
  for (const [id, label] of TABS)
    nav.appendChild(el('button', {'data-tab': id, onclick: () => go({tab: id})}, label));
  let searchTimer = 0;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = search.value; go({tab: 'search'}); }, 120);
  });
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') { state.q = search.value; go({tab: 'search'}); }
  });

  let drawnTab = null, drawnGroup = null;
  function render(change) {
    for (const b of nav.children) b.classList.toggle('on', b.dataset.tab === state.tab);
    const tabChanged = drawnTab !== state.tab || drawnGroup !== state.group || state.tab === 'search' && change && 'tab' in change;
    if (tabChanged) {
      drawnTab = state.tab;
      drawnGroup = state.group;
      clear(view);
      const draw = {overview: drawOverview, map: drawMap, matrix: drawMatrix, components: drawComponents,
                    search: drawSearch}[state.tab] || drawOverview;
      draw(view);
    }
    if (!change || 'panel' in change) drawPanel();
  }

  /* ---- overview --------------------------------------------------------------- */

  function drawOverview(v) {
    const plan = D.plan || {};
    const m = plan.metrics || {};
    const kinds = {};
    D.sv.forEach(s => { kinds[s.kind] = (kinds[s.kind] || 0) + 1; });
    v.appendChild(el('h2', null, 'Plan of ', D.project));
    const cards = el('div', {class: 'cards'});
    for (const k of Object.keys(kinds).sort()) cards.appendChild(el('div', {class: 'card'}, el('b', null, num(kinds[k])), el('span', null, k + (kinds[k] === 1 ? '' : 's'))));
    cards.appendChild(el('div', {class: 'card'}, el('b', null, num(D.fn.length)), el('span', null, 'functions')));
    if (m.cross_service_sites !== undefined)
      cards.appendChild(el('div', {class: 'card'}, el('b', null, num(m.cross_service_sites)), el('span', null, 'cross-service call sites')));
    if (m.known_calls && m.known_calls.cross_service_sites !== undefined)
      cards.appendChild(el('div', {class: 'card'}, el('b', null, num(m.known_calls.cross_service_sites)), el('span', null, 'without may-calls')));
    cards.appendChild(el('div', {class: 'card'}, el('b', null, num(D.sh.length)), el('span', null, 'shared globals')));
    if (m.cycle_services !== undefined)
      cards.appendChild(el('div', {class: 'card'}, el('b', null, num(m.cycle_services)), el('span', null, 'services on cycles')));
    v.appendChild(cards);

    v.appendChild(el('h2', null, 'Components'));
    const order = D.sv.map((s, i) => i).sort((a, b) => S(b).loc - S(a).loc || (S(a).name < S(b).name ? -1 : 1));
    v.appendChild(table(['name', 'kind', 'functions', 'lines', 'entry', 'sites in', 'sites out', 'becomes', 'conf.', 'service/mo', 'function/mo'],
      order.map(s => {
        const x = S(s), fit = (x.doc && x.doc.fitness) || {}, cost = fit.cost || {};
        return [svcLink(s), kindBadge(x.kind), num(x.fns.length), num(x.loc), num(x.entries.length), num(x.sites_in), num(x.sites_out),
                fit.recommendation || '—', fit.confidence !== undefined ? fit.confidence.toFixed(2) : '—',
                cost.service_month !== undefined ? cost.service_month.toFixed(2) : '—',
                cost.function_month !== undefined ? cost.function_month.toFixed(2) : '—'];
      }), {num: [0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1], step: 100}));

    v.appendChild(el('h2', null, 'Metrics'));
    v.appendChild(kvTable(m));
    v.appendChild(el('h2', null, 'Coverage'));
    const gi = D.graph || {};
    const input = plan.input || {};
    v.appendChild(el('p', null, plural(gi.units || 0, 'unit') + ': ' + num(gi.ok || 0) + ' parsed cleanly, ' + num(gi.partial || 0) +
      ' partly, ' + num(gi.failed || 0) + ' failed' + (input.coverage !== undefined ? ' (coverage ' + input.coverage + ')' : '') +
      '; ' + plural(gi.functions || 0, 'function') + ', ' + num(gi.external || 0) + ' external; ' + plural(gi.calls || 0, 'call edge') +
      '; indirect call sites ' + num(gi.indirect_sites || 0) + ', ' + num(gi.indirect_resolved || 0) + ' resolved' +
      (gi.compile_db ? '; compile database ' + gi.compile_db : '; no compile database: include paths were guessed')));
    if (plan.coverage && typeof plan.coverage === 'object') v.appendChild(kvTable(plan.coverage));
    if (gi.stand_ins && gi.stand_ins.length) {
      v.appendChild(el('h3', null, 'Stand-in headers'));
      v.appendChild(table(['header', 'made from', 'switches'], gi.stand_ins.map(x => [x[0], x[1] || '(empty)', num(x[2])]), {num: [0, 0, 1]}));
    }
    if (gi.problems && gi.problems.length) {
      v.appendChild(el('h3', null, 'Units with errors'));
      v.appendChild(table(['unit', 'status', 'first error'], gi.problems.map(x => [x[0], x[1] === 1 ? 'partial' : 'failed', x[2]])));
    }
    if (gi.warnings && gi.warnings.length) {
      v.appendChild(el('h3', null, 'Warnings'));
      v.appendChild(el('ul', null, gi.warnings.map(w => el('li', null, w))));
    }
    v.appendChild(el('h2', null, 'Fitness'));
    v.appendChild(table(['component', 'becomes', 'conf.', 'state', 'cold loc', 'remote sites', 'depth', 'why'],
      order.map(s => {
        const fit = (S(s).doc && S(s).doc.fitness) || {};
        const st = fit.state || {};
        return [svcLink(s), fit.recommendation || '—', fit.confidence !== undefined ? fit.confidence.toFixed(2) : '—',
                num((st.external_store || []).length + (st.resources || []).length),
                fit.cold_start ? num(fit.cold_start.loc) : '—', fit.chattiness ? num(fit.chattiness.cross_sites) : '—',
                fit.trace_depth !== undefined ? num(fit.trace_depth) : '—', (fit.reasons || [])[0] || ''];
      }), {num: [0, 0, 1, 1, 1, 1, 1, 0], step: 100}));
    if (plan.cost_model) {
      v.appendChild(el('h3', null, 'Cost model'));
      v.appendChild(kvTable(plan.cost_model));
    }
    v.appendChild(el('h2', null, 'Notes'));
    const notes = plan.notes || [];
    v.appendChild(notes.length ? el('ul', null, notes.map(n => el('li', null, typeof n === 'string' ? n : JSON.stringify(n))))
                               : el('p', {class: 'muted'}, 'none'));
    const known = ['schema', 'options', 'input', 'metrics', 'cost_model', 'notes', 'coverage'];
    const other = Object.keys(plan).filter(k => !known.includes(k));
    if (other.length) {
      v.appendChild(el('h2', null, 'More in the plan'));
      for (const k of other) v.appendChild(el('details', null, el('summary', null, k), jsonBlock(plan[k])));
    }
    v.appendChild(el('p', {class: 'muted'}, 'Plan options: ' + JSON.stringify(plan.options || {}) + ' · ' + (plan.schema || '')));
  }

  /* ---- the map -------------------------------------------------------------------- */

  function parseSvg(text) {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    if (!svg || svg.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
    return document.importNode(svg, true);
  }

  /* Pan (drag) and zoom (wheel, buttons) by moving the SVG's viewBox. */
  function panZoom(box, svg) {
    const vb0 = (svg.getAttribute('viewBox') || '0 0 100 100').split(/[\s,]+/).map(Number);
    let vb = vb0.slice();
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    const apply = () => svg.setAttribute('viewBox', vb.join(' '));
    function zoom(f, cx, cy) {
      const r = box.getBoundingClientRect();
      const px = cx === undefined ? 0.5 : (cx - r.left) / r.width, py = cy === undefined ? 0.5 : (cy - r.top) / r.height;
      const w = vb[2] * f, h = vb[3] * f;
      vb = [vb[0] + (vb[2] - w) * px, vb[1] + (vb[3] - h) * py, w, h];
      apply();
    }
    box.addEventListener('wheel', (ev) => { ev.preventDefault(); zoom(ev.deltaY > 0 ? 1.2 : 1 / 1.2, ev.clientX, ev.clientY); }, {passive: false});
    let drag = null;
    box.addEventListener('pointerdown', (ev) => { drag = {x: ev.clientX, y: ev.clientY, vb: vb.slice(), moved: false}; });
    box.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      drag.moved = true;
      box.classList.add('drag');
      const r = box.getBoundingClientRect();
      const s = Math.max(vb[2] / r.width, vb[3] / r.height);
      vb = [drag.vb[0] - dx * s, drag.vb[1] - dy * s, vb[2], vb[3]];
      apply();
    });
    const end = () => { if (drag && drag.moved) box.dataset.dragged = '1'; drag = null; box.classList.remove('drag'); };
    box.addEventListener('pointerup', end);
    box.addEventListener('pointerleave', end);
    return {zoomIn: () => zoom(1 / 1.3), zoomOut: () => zoom(1.3), fit: () => { vb = vb0.slice(); apply(); }};
  }

  function drawMap(v) {
    const map = D.map;
    if (!map) {
      v.appendChild(el('p', {class: 'note'}, 'No map in this report: it was written without rendering (--no-render). `cleave report PLAN` draws one.'));
      return;
    }
    const bar = el('div', {class: 'mapbar'});
    v.appendChild(bar);
    let svgText = map.svg, title = 'Service map';
    if (map.kind === 'groups') {
      const g = state.group;
      if (g !== null && g >= 0 && g < map.groups.length) {
        svgText = map.groups[g];
        title = 'Group ' + D.groups[g];
        bar.appendChild(el('button', {onclick: () => go({group: null})}, '← all groups'));
      } else {
        title = 'Groups of components by folder: click a group to expand it';
      }
    }
    bar.appendChild(el('b', null, title));
    const box = el('div', {class: 'mapbox', id: 'map'});
    const svg = parseSvg(svgText);
    if (!svg) { v.appendChild(el('p', {class: 'note'}, 'The map could not be read.')); return; }
    box.appendChild(svg);
    v.appendChild(box);
    const pz = panZoom(box, svg);
    bar.appendChild(el('button', {onclick: pz.zoomIn, title: 'zoom in'}, '+'));
    bar.appendChild(el('button', {onclick: pz.zoomOut, title: 'zoom out'}, '−'));
    bar.appendChild(el('button', {onclick: pz.fit, title: 'fit the map'}, 'fit'));
    bar.appendChild(el('span', {class: 'muted'}, 'drag to pan, wheel to zoom; click a node or an arrow'));
    box.addEventListener('click', (ev) => {
      if (box.dataset.dragged) { delete box.dataset.dragged; return; }
      const g = ev.target.closest('g.node, g.edge');
      if (!g || !g.id) return;
      const id = g.id;
      for (const s of box.querySelectorAll('.selected')) s.classList.remove('selected');
      g.classList.add('selected');
      if (id[0] === 'G') go({group: Number(id.slice(1))});
      else if (id[0] === 'g') go({panel: 'c' + id.slice(1)}); /* a state cylinder */
      else if (/^[siplE]/.test(id)) go({panel: id});
    });
  }

  /* ---- the matrix ---------------------------------------------------------------- */

  let matrixCells = null; /* [[row, column, sites, interface]] in the matrix order */
  function cells() {
    if (!matrixCells) {
      const pos = new Map();
      D.order.forEach((s, i) => pos.set(s, i));
      matrixCells = [];
      D.if.forEach((x, i) => {
        if (pos.has(x.from) && pos.has(x.to)) matrixCells.push([pos.get(x.from), pos.get(x.to), x.sites, i]);
      });
    }
    return matrixCells;
  }

  function drawMatrix(v) {
    const order = D.order, n = order.length;
    v.appendChild(el('p', {class: 'muted'}, 'Rows call columns; a cell counts the call sites. Services are ordered by their dependency ' +
      'layers (callers first), so a layered plan fills the upper triangle; a cell below the diagonal calls back up, and red cells ' +
      'are calls between services on one dependency cycle. Libraries are linked in and not listed.'));
    v.appendChild(el('div', {class: 'legend'},
      el('span', null, el('span', {class: 'swatch', style: 'background:#1f5fa8'}), 'calls down (upper triangle)'),
      el('span', null, el('span', {class: 'swatch', style: 'background:#c0392b'}), 'inside a dependency cycle'),
      el('span', null, el('span', {class: 'swatch', style: 'background:#e67e22'}), 'calls back up (below the diagonal)')));
    if (!n) { v.appendChild(el('p', {class: 'note'}, 'No services.')); return; }
    const cs = Math.max(4, Math.min(26, Math.floor(900 / n)));
    const names = order.map(s => S(s).name);
    const label = cs >= 10 ? Math.min(220, 12 + 7 * Math.max(...names.map(x => x.length))) : 0;
    const box = el('div', {class: 'matrix', id: 'matrix', 'data-cs': cs, 'data-label': label});
    const spacer = el('div');
    spacer.style.width = label + n * cs + 'px';
    spacer.style.height = label + n * cs + 'px';
    const canvas = el('canvas');
    box.appendChild(canvas);
    box.appendChild(spacer);
    spacer.style.marginTop = '0';
    v.appendChild(box);
    const all = cells();
    const max = all.reduce((a, c) => Math.max(a, c[2]), 1);
    const grid = new Map();
    for (const c of all) grid.set(c[0] * n + c[1], c);
    canvas.dataset.cells = String(all.length);
    function paint() {
      const w = box.clientWidth, h = box.clientHeight, dpr = window.devicePixelRatio || 1;
      canvas.width = w * dpr; canvas.height = h * dpr;
      canvas.style.width = w + 'px'; canvas.style.height = h + 'px';
      canvas.style.marginBottom = -h + 'px';
      const x0 = box.scrollLeft, y0 = box.scrollTop;
      const ctx = canvas.getContext('2d');
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const c0 = Math.max(0, Math.floor((x0 - label) / cs)), c1 = Math.min(n, Math.ceil((x0 + w - label) / cs));
      const r0 = Math.max(0, Math.floor((y0 - label) / cs)), r1 = Math.min(n, Math.ceil((y0 + h - label) / cs));
      ctx.fillStyle = '#fafbfc';
      ctx.fillRect(label - x0, label - y0, n * cs, n * cs);
      ctx.strokeStyle = '#d0d7de';
      ctx.beginPath();
      for (let i = Math.max(r0, c0); i < Math.min(r1, c1); i++) ctx.rect(label + i * cs - x0, label + i * cs - y0, cs, cs);
      ctx.stroke();
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) {
        const cell = grid.get(r * n + c);
        if (!cell) continue;
        const a = order[r], b = order[c];
        const cyc = D.cyc[a] >= 0 && D.cyc[a] === D.cyc[b];
        const t = 0.25 + 0.75 * Math.log(1 + cell[2]) / Math.log(1 + max);
        ctx.globalAlpha = t;
        ctx.fillStyle = cyc ? '#c0392b' : r > c ? '#e67e22' : '#1f5fa8';
        ctx.fillRect(label + c * cs - x0 + 0.5, label + r * cs - y0 + 0.5, cs - 1, cs - 1);
        ctx.globalAlpha = 1;
        if (cs >= 22) {
          ctx.fillStyle = '#fff';
          ctx.font = '10px system-ui, sans-serif';
          ctx.textAlign = 'center';
          ctx.fillText(cell[2] > 999 ? Math.round(cell[2] / 1000) + 'k' : String(cell[2]), label + c * cs - x0 + cs / 2, label + r * cs - y0 + cs / 2 + 3);
        }
      }
      if (label) {
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, w, label - y0 > 0 ? label - y0 : 0);
        ctx.fillStyle = '#1f2328';
        ctx.font = '12px system-ui, sans-serif';
        ctx.textAlign = 'right';
        for (let r = r0; r < r1; r++) ctx.fillText(names[r], label - 6 - x0, label + r * cs - y0 + cs / 2 + 4);
        ctx.save();
        for (let c = c0; c < c1; c++) {
          ctx.save();
          ctx.translate(label + c * cs - x0 + cs / 2 + 4, label - 6 - y0);
          ctx.rotate(-Math.PI / 2);
          ctx.textAlign = 'left';
          ctx.fillText(names[c], 0, 0);
          ctx.restore();
        }
        ctx.restore();
      }
    }
    function cellAt(ev) {
      const r = box.getBoundingClientRect();
      const x = ev.clientX - r.left + box.scrollLeft - label, y = ev.clientY - r.top + box.scrollTop - label;
      if (x < 0 || y < 0) return null;
      const c = Math.floor(x / cs), row = Math.floor(y / cs);
      return row < n && c < n ? grid.get(row * n + c) || null : null;
    }
    box.addEventListener('scroll', () => requestAnimationFrame(paint));
    window.addEventListener('resize', () => requestAnimationFrame(paint));
    box.addEventListener('mousemove', (ev) => {
      const c = cellAt(ev);
      if (!c) { tip.style.display = 'none'; return; }
      const x = D.if[c[3]];
      tip.textContent = S(x.from).name + ' → ' + S(x.to).name + ': ' + plural(x.sites, 'call site') +
        ' (direct ' + x.by[0] + ', field ' + x.by[1] + ', type ' + x.by[2] + ')' + (ifRate(x) !== '' ? ', ' + num(ifRate(x)) + ' calls/s' : '');
      tip.style.display = 'block';
      tip.style.left = ev.clientX + 14 + 'px';
      tip.style.top = ev.clientY + 14 + 'px';
    });
    box.addEventListener('mouseleave', () => { tip.style.display = 'none'; });
    box.addEventListener('click', (ev) => { const c = cellAt(ev); if (c) go({panel: 'i' + c[3]}); });
    requestAnimationFrame(paint);
    setTimeout(paint, 0);
  }

  /* ---- components and search ------------------------------------------------------ */

  function drawComponents(v) {
    v.appendChild(el('h2', null, plural(D.sv.length, 'component')));
    v.appendChild(vlist(D.sv.length, (r, i) => {
      const s = S(i);
      add(r, [svcLink(i), ' ', kindBadge(s.kind), el('span', {class: 'muted'}, ' ' + plural(s.fns.length, 'function') + ', ' + num(s.loc) + ' lines' +
        (D.groups ? ' · ' + D.groups[s.group] : ''))]);
    }, 640));
  }

  let index = null; /* [[lowercase text, kind, index]] */
  function searchIndex() {
    if (!index) {
      index = [];
      D.sv.forEach((s, i) => index.push([s.name.toLowerCase(), 's', i]));
      D.fn.forEach((r, f) => index.push([(r[6] || r[0]).toLowerCase(), 'f', f]));
      D.files.forEach((x, i) => index.push([x.toLowerCase(), 'F', i]));
      D.gl.forEach((r, g) => index.push([(r[4] || r[0]).toLowerCase(), 'g', g]));
    }
    return index;
  }
  const KIND = {s: 'service', f: 'function', F: 'file', g: 'global'};

  function results(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    const exact = [], starts = [], inside = [];
    for (const e of searchIndex()) {
      const t = e[0];
      const name = e[1] === 'f' ? D.fn[e[2]][0].toLowerCase() : e[1] === 'g' ? D.gl[e[2]][0].toLowerCase() : t;
      if (name === q || t === q) exact.push(e);
      else if (name.startsWith(q)) starts.push(e);
      else if (t.includes(q)) inside.push(e);
    }
    return exact.concat(starts, inside);
  }

  function drawSearch(v) {
    const q = state.q || search.value;
    if (search.value !== q) search.value = q;
    const found = results(q);
    v.appendChild(el('h2', null, q ? num(found.length) + (found.length === 1 ? ' match' : ' matches') + ' for “' + q + '”' : 'Search'));
    if (!q) { v.appendChild(el('p', {class: 'muted'}, 'Type a function, file, global or service name in the box above.')); return; }
    v.appendChild(vlist(found.length, (r, i) => {
      const e = found[i], k = e[1], x = e[2];
      let what, more = '';
      if (k === 's') { what = link(S(x).name, 's' + x); more = S(x).kind; }
      else if (k === 'f') { what = link(F.id(x), 'f' + x); more = F.svc(x) >= 0 ? 'in ' + S(F.svc(x)).name : ''; }
      else if (k === 'F') { what = link(fileName(x), 'F' + x); }
      else { what = link(G.id(x), 'g' + x); }
      r.setAttribute('data-kind', KIND[k]);
      add(r, [el('span', {class: 'badge'}, KIND[k]), ' ', what, ' ', el('span', {class: 'muted'}, more)]);
    }, 640));
  }

  /* ---- panels ----------------------------------------------------------------------- */

  function drawPanel() {
    clear(panel);
    const id = state.panel;
    if (!id) { panel.className = 'closed'; return; }
    panel.className = '';
    panel.appendChild(el('button', {class: 'close', title: 'close', onclick: () => go({panel: null})}, '×'));
    const k = id[0], n = Number(id.slice(1));
    const draw = {s: svcPanel, i: ifacePanel, f: fnPanel, F: filePanel, g: globalPanel}[k];
    try {
      if (k === 'c') statePanel(n);
      else if (k === 'p') pairPanel(id.slice(1));
      else if (k === 'E') groupLinkPanel(id.slice(1));
      else if (k === 'l') svcPanel(Number(id.slice(1).split('-')[1]));
      else if (draw && n >= 0) draw(n);
    } catch (e) {
      panel.appendChild(el('p', {class: 'note'}, 'Nothing to show for ' + id));
    }
  }

  function section(title, body) {
    panel.appendChild(el('h3', null, title));
    add(panel, body);
  }

  function fnList(fs, draw) {
    return vlist(fs.length, (r, i) => { const f = fs[i]; add(r, draw ? draw(f) : [fnLink(f), el('span', {class: 'muted'}, ' ' + F.file(f) + ':' + F.line(f))]); }, 260);
  }

  // [reason, detail, component named by the placement or 0] of function f, or 0
  function why(f) {
    const w = D.why && D.why[f];
    return w ? [D.whytext[w[0]], D.whytext[w[1]], w[2]] : 0;
  }

  function whyText(f) {
    if (!D.why) return el('div', {class: 'why'}, el('span', {class: 'note'}, 'no placement recorded in this plan: made by an older cleave'));
    const w = why(f);
    if (!w) return el('div', {class: 'why'}, el('span', {class: 'note'}, 'no placement recorded for this function'));
    return el('div', {class: 'why', id: 'why'}, el('span', {class: 'code'}, w[0] || '?'), w[1] ? ': ' + w[1] : '',
              w[2] && F.svc(f) >= 0 && w[2] !== S(F.svc(f)).name ? ' (placement names ' + w[2] + ')' : '');
  }

  function svcPanel(s) {
    const x = S(s), doc = x.doc || {}, fit = doc.fitness || {};
    /* a serverless function owns no file when it shares its file with
     * others (plan.json lists a file under the component owning it): say
     * which files its functions are in */
    const owns = x.files.length > 0;
    const files = owns ? x.files : [...new Set(x.fns.map(f => D.fn[f][1]))].sort((a, b) => a - b);
    panel.appendChild(el('h2', {id: 'panel-title'}, x.name, kindBadge(x.kind), D.cyc[s] >= 0 ? el('span', {class: 'badge cycle'}, 'on a cycle') : null));
    panel.appendChild(el('p', {class: 'muted'}, plural(x.fns.length, 'function') + ', ' + num(x.loc) + ' lines, ' + plural(files.length, 'file') + (owns ? '' : ' (owned by others)') +
      '; call sites in ' + num(x.sites_in) + ', out ' + num(x.sites_out) + ', inside ' + num(x.internal) + (D.groups ? '; group ' + D.groups[x.group] : '')));
    if (fit.recommendation) {
      const cost = fit.cost || {};
      section('Becomes', [el('p', null, el('b', null, fit.recommendation), fit.confidence !== undefined ? ' (confidence ' + fit.confidence.toFixed(2) + ')' : '',
        cost.service_month !== undefined ? ' · service ' + cost.service_month.toFixed(2) + '/mo, function ' + cost.function_month.toFixed(2) +
          '/mo, break-even ' + num(cost.break_even_rate) + '/h' : '', cost.invocations_per_hour !== undefined ? ' · its rate ' + num(cost.invocations_per_hour) + '/h' : ''),
        el('ul', null, (fit.reasons || []).map(r => el('li', null, r))),
        el('details', null, el('summary', null, 'all fitness figures'), kvTable(fit, ['reasons']))]);
    }
    const by = (k) => x.entries.filter(f => F.entry(f) === k);
    const api = by(1), cb = by(2), trig = by(3);
    section('Entry points (' + num(x.entries.length) + ')', [
      el('p', {class: 'muted'}, 'API: other services call it directly; callbacks: reached only through stored pointers; triggers: nothing outside calls them.'),
      api.length ? [el('b', null, 'API (' + num(api.length) + ')'), fnList(api)] : null,
      cb.length ? [el('b', null, 'Callbacks (' + num(cb.length) + ')'), fnList(cb)] : null,
      trig.length ? [el('b', null, 'Triggers (' + num(trig.length) + ')'), fnList(trig)] : null]);
    const outs = [], ins = [];
    D.if.forEach((y, i) => { if (y.from === s) outs.push(i); if (y.to === s) ins.push(i); });
    const ifRows = (list, peer) => table(['', 'sites', 'direct', 'field', 'type', 'calls/s'], list.map(i => {
      const y = D.if[i];
      return [link((peer === 'to' ? '→ ' : '← ') + S(y[peer]).name, 'i' + i), num(y.sites), num(y.by[0]), num(y.by[1]), num(y.by[2]), num(ifRate(y))];
    }), {num: [0, 1, 1, 1, 1, 1], step: 50});
    section('Interfaces out (' + outs.length + ')', outs.length ? ifRows(outs, 'to') : el('p', {class: 'muted'}, 'none'));
    section('Interfaces in (' + ins.length + ')', ins.length ? ifRows(ins, 'from') : el('p', {class: 'muted'}, 'none'));
    section('State owned (' + x.owned.length + ')', x.owned.length ? el('ul', {class: 'plain'}, x.owned.slice(0, 200).map(g => el('li', null, glLink(g)))) : el('p', {class: 'muted'}, 'none'));
    const shared = D.sh.filter(y => y[1].includes(s));
    section('State shared (' + shared.length + ')', shared.length ? table(['global', 'with', 'written by'], shared.map(y => [glLink(y[0]),
      y[1].filter(t => t !== s).map(t => S(t).name).join(', '), y[2].map(t => S(t).name).join(', ') || 'nobody'])) : el('p', {class: 'muted'}, 'none'));
    section((owns ? 'Files (' : 'Files its functions are in, owned by other components (') + files.length + ')',
      el('ul', {class: 'plain'}, files.slice(0, 300).map(i => el('li', null, fileLink(i)))));
    const det = el('details', null, el('summary', null, 'Functions (' + num(x.fns.length) + ')'));
    det.addEventListener('toggle', () => { if (det.open && det.children.length < 2) det.appendChild(fnList(x.fns, f => [fnLink(f), el('span', {class: 'muted'},
      ' ' + F.file(f) + ':' + F.line(f) + (why(f) ? ' · ' + why(f)[0] : ''))])); });
    panel.appendChild(det);
  }

  /* The sites of call c, as text that wraps between sites and after a
   * path's slashes (inside a part only when it alone is wider than the
   * panel). */
  function siteNodes(c) {
    const s = c[5], out = [];
    for (let k = 0, n = 0; k + 2 < s.length && n < 12; k += 3, n++) {
      if (n) out.push(', ');
      at(s[k], s[k + 1], s[k + 2]).split('/').forEach((part, j) => {
        if (j) out.push('/', el('wbr'));
        out.push(part);
      });
    }
    if (s.length / 3 > 12) out.push(', and ' + (s.length / 3 - 12) + ' more');
    return out;
  }

  function ifacePanel(i) {
    const x = D.if[i];
    panel.appendChild(el('h2', {id: 'panel-title'}, svcLink(x.from), ' → ', svcLink(x.to)));
    panel.appendChild(el('p', null, plural(x.sites, 'call site') + ' in ' + plural(x.calls.length, 'caller–callee pair') + ': direct ' + x.by[0] + ', field ' +
      x.by[1] + ', type ' + x.by[2] + (x.loop ? '; deepest loop ' + x.loop : '') + (x.by[0] + x.by[1] === 0 ? ' — a may-interface: only a pointer\'s type says it can happen' : '') +
      (ifRate(x) !== '' ? '; ' + num(ifRate(x)) + ' calls/s under the traffic model' : '')));
    section('API (' + x.api.length + ')', el('ul', {class: 'plain'}, x.api.slice(0, 200).map(f => el('li', null, fnLink(f)))));
    section('Calls and their sites', table(['caller', 'callee', 'evidence'], x.calls.map(c => [fnLink(c[0]), fnLink(c[1]),
      el('span', {class: 'ev-' + EV[c[2]]}, EV[c[2]]), el('span', {class: 'sites mono'}, siteNodes(c))]), {step: 100, under: true}));
  }

  function fnPanel(f) {
    panel.appendChild(el('h2', {id: 'panel-title'}, F.name(f), F.entry(f) ? el('span', {class: 'badge ' + ENTRY[F.entry(f)].toLowerCase()}, ENTRY[F.entry(f)]) : null));
    panel.appendChild(el('p', {class: 'mono'}, F.file(f) + ':' + F.line(f) + ' · ' + plural(F.loc(f), 'line') + (F.id(f) !== F.name(f) ? ' · id ' + F.id(f) : '')));
    panel.appendChild(el('p', null, 'in ', svcLink(F.svc(f)), F.svc(f) >= 0 ? kindBadge(S(F.svc(f)).kind) : null));
    section('Why here', whyText(f));
    const list = crossings(f);
    const ins = list.filter(([i, k]) => D.if[i].calls[k][1] === f), outs = list.filter(([i, k]) => D.if[i].calls[k][0] === f);
    const rows = (l, inward) => table([inward ? 'caller' : 'callee', 'component', 'evidence'], l.map(([i, k]) => {
      const c = D.if[i].calls[k];
      return [fnLink(inward ? c[0] : c[1]), svcLink(inward ? D.if[i].from : D.if[i].to), el('span', {class: 'ev-' + EV[c[2]]}, EV[c[2]]),
              el('span', {class: 'sites mono'}, siteNodes(c))];
    }), {step: 50, under: true});
    section('Called from other components (' + ins.length + ')', ins.length ? rows(ins, true) : el('p', {class: 'muted'}, 'none'));
    section('Calls into other components (' + outs.length + ')', outs.length ? rows(outs, false) : el('p', {class: 'muted'}, 'none'));
  }

  function filePanel(i) {
    const fs = functionsOf(i);
    panel.appendChild(el('h2', {id: 'panel-title'}, fileName(i)));
    const holders = D.sv.map((s, k) => k).filter(k => S(k).files.includes(i));
    panel.appendChild(el('p', null, plural(fs.length, 'function'), holders.length ? ['; the plan gives the file to ', holders.map(svcLink)] : ''));
    if (fs.length) panel.appendChild(fnList(fs, f => [fnLink(f), ' ', el('span', {class: 'muted'}, 'in ' + (F.svc(f) >= 0 ? S(F.svc(f)).name : '(none)') +
      (why(f) ? ' · ' + why(f)[0] + (why(f)[1] ? ': ' + why(f)[1] : '') : ''))]));
  }

  function globalPanel(g) {
    panel.appendChild(el('h2', {id: 'panel-title'}, G.id(g)));
    panel.appendChild(el('p', {class: 'mono'}, G.kind(g) + ' · ' + G.file(g) + ':' + G.line(g)));
    const own = owners().get(g);
    if (own !== undefined) panel.appendChild(el('p', null, 'owned by ', svcLink(own)));
    const sh = D.sh.find(y => y[0] === g);
    if (sh) {
      panel.appendChild(el('p', null, 'shared by ', sh[1].map((s, k) => [k ? ', ' : '', svcLink(s)])));
      panel.appendChild(el('p', null, 'written by ', sh[2].length ? sh[2].map((s, k) => [k ? ', ' : '', svcLink(s)]) : 'nobody'));
    }
    if (own === undefined && !sh) panel.appendChild(el('p', {class: 'muted'}, 'Neither owned nor shared by a component of the plan.'));
  }

  function sharedTable(list) {
    return table(['global', 'used by', 'written by'], list.map(k => {
      const y = D.sh[k];
      return [glLink(y[0]), y[1].map(s => S(s).name).join(', '), y[2].map(s => S(s).name).join(', ') || 'nobody'];
    }));
  }

  function statePanel(k) {
    const list = stateGroup(k);
    panel.appendChild(el('h2', {id: 'panel-title'}, 'Shared state (' + list.length + ')'));
    panel.appendChild(sharedTable(list));
  }

  function pairPanel(ab) {
    const [a, b] = ab.split('-').map(Number);
    const list = [];
    D.sh.forEach((y, k) => { if (y[1].includes(a) && y[1].includes(b)) list.push(k); });
    panel.appendChild(el('h2', {id: 'panel-title'}, 'State shared by ', svcLink(a), ' and ', svcLink(b)));
    panel.appendChild(sharedTable(list));
  }

  /* "s3-G2": the interfaces between a service (or group) and another. */
  function groupLinkPanel(ends) {
    const [a, b] = ends.split('-');
    const member = (key, s) => key[0] === 's' ? s === Number(key.slice(1)) : S(s).group === Number(key.slice(1));
    const name = (key) => key[0] === 's' ? svcLink(Number(key.slice(1))) : el('span', null, 'group ' + D.groups[Number(key.slice(1))]);
    const list = [];
    D.if.forEach((x, i) => { if (member(a, x.from) && member(b, x.to)) list.push(i); });
    panel.appendChild(el('h2', {id: 'panel-title'}, name(a), ' → ', name(b)));
    panel.appendChild(table(['interface', 'sites', 'calls/s'], list.map(i => [link(S(D.if[i].from).name + ' → ' + S(D.if[i].to).name, 'i' + i), num(D.if[i].sites),
      num(ifRate(D.if[i]))]), {num: [0, 1, 1]}));
  }

  /* ---- what tests and scripts read ----------------------------------------------------- */

  window.cleaveReport = {
    /* the matrix as drawn: service names in order, and [row, column, sites] cells */
    matrix: () => ({order: D.order.map(s => S(s).name), cells: cells().map(c => [c[0], c[1], c[2]])}),
    open: (panelId) => go({panel: panelId}),
    /* how many components each group of the grouped map holds */
    groupSizes: () => (D.groups || []).map((_, g) => D.sv.filter(s => s.group === g).length),
    /* where the cell (row, column) of the matrix is on the screen, if drawn */
    matrixCell: (row, col) => {
      const box = document.getElementById('matrix');
      if (!box || !box.dataset.cs) return null;
      const cs = Number(box.dataset.cs), label = Number(box.dataset.label), r = box.getBoundingClientRect();
      return {x: r.left + label + col * cs + cs / 2 - box.scrollLeft, y: r.top + label + row * cs + cs / 2 - box.scrollTop};
    },
  };

  readHash();
  if (!D.map && state.tab === 'map') state.tab = 'overview';
  render();
  window.addEventListener('hashchange', () => { readHash(); render({panel: state.panel}); });
  /* when the page was drawn, and how long the script took to read the data */
  window.cleaveReport.startMs = Math.round(started);
  window.cleaveReport.parseMs = Math.round(parsed - started);
  window.cleaveReport.readyMs = Math.round(performance.now());
})();
