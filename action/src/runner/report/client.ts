/**
 * The item report's page script (inlined; hashed into the page's Content-Security-Policy). Plain ES2020 in a string:
 * it runs in the browser, not in Node. It parses the JSON blob once, filters with a loop over the selected
 * benchmark's items (20,000 items filter in a few ms) and renders 100 rows at a time with DOM text nodes only: data
 * is never parsed as HTML. Keys of the data: see types.ts. `document.body.dataset.ready` is set after each render
 * (tests and bench/report.ts wait for it).
 */
export const CLIENT_JS = String.raw`
'use strict';
(function () {
  performance.mark('report-script');
  var data = JSON.parse(document.getElementById('report-data').textContent);
  performance.mark('report-parsed');
  var PAGE = 100;
  var CORRECT = 1, UNPARSED = 2, ERROR = 4, TRUNCATED = 8;
  var HOW = { boxed: 'boxed answer', 'answer-tag': '<answer> tag', trigger: 'trigger phrase ("the answer is …")', letter: 'option letter',
    'option-text': 'option text', 'yes-no': 'yes/no verdict', refusal: 'refusal (nothing read)', empty: 'empty response', none: 'no answer found',
    mmmu: 'MMMU official parser', error: 'request failed', 'no response': 'no response recorded', recorded: 'as recorded in predictions.jsonl' };
  var OUTCOMES = [['all', 'all outcomes'], ['correct', 'correct'], ['wrong', 'wrong (incl. unparsed and errors)'], ['unparsed', 'unparsed'],
    ['error', 'error'], ['truncated', 'truncated'], ['regressed', 'correct → wrong'], ['improved', 'wrong → correct']];
  var state = { b: 0, view: data.baseline ? 'changes' : 'items', outcome: 'all', groups: [], q: '' };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) { for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]); return parent; }
  function bench() { return data.benchmarks[state.b]; }
  function isRegressed(it) { return it.b === 1 && !(it.f & CORRECT); }
  function isImproved(it) { return it.b === 2 && (it.f & CORRECT) !== 0; }
  function howLabel(h) {
    var parts = String(h).split(':');
    return (HOW[parts[0]] || parts[0]) + (parts[1] === 'ambiguous' ? ' — several answers found, none picked' : '');
  }

  function matches(it, outcome) {
    switch (outcome) {
      case 'correct': return (it.f & CORRECT) !== 0;
      case 'wrong': return (it.f & CORRECT) === 0;
      case 'unparsed': return (it.f & UNPARSED) !== 0;
      case 'error': return (it.f & ERROR) !== 0;
      case 'truncated': return (it.f & TRUNCATED) !== 0;
      case 'regressed': return isRegressed(it);
      case 'improved': return isImproved(it);
      default: return true;
    }
  }
  function filtered(outcome) {
    var b = bench(), q = state.q.trim().toLowerCase(), out = [];
    for (var i = 0; i < b.items.length; i++) {
      var it = b.items[i], ok = matches(it, outcome);
      for (var g = 0; ok && g < state.groups.length; g++) if (state.groups[g] >= 0 && it.v[g] !== state.groups[g]) ok = false;
      if (ok && q && it.id.toLowerCase().indexOf(q) < 0) ok = false;
      if (ok) out.push(it);
    }
    return out;
  }

  function badges(it) {
    var h = el('header');
    add(h, el('h3', null, it.id));
    var k = it.f & ERROR ? 'error' : it.f & CORRECT ? 'correct' : 'wrong';
    add(h, el('span', 'badge b-' + k, k));
    if (it.f & UNPARSED) add(h, el('span', 'badge b-unparsed', 'unparsed'));
    if (it.f & TRUNCATED) add(h, el('span', 'badge b-truncated', 'truncated'));
    if (isRegressed(it)) add(h, el('span', 'badge b-regressed', 'correct → wrong'));
    if (isImproved(it)) add(h, el('span', 'badge b-improved', 'wrong → correct'));
    var b = bench(), groups = [];
    for (var g = 0; g < b.groups.length; g++) groups.push(b.groups[g].key + '=' + b.groups[g].values[it.v[g]]);
    add(h, el('span', 'grp', groups.join(' · ')));
    return h;
  }
  function thumbs(it) {
    if (!it.t.length && !it.tm) return null;
    var d = el('div', 'thumbs');
    for (var i = 0; i < it.t.length; i++) {
      var img = el('img');
      img.src = data.thumbs[it.t[i]];
      img.alt = 'image ' + (i + 1) + ' of item ' + it.id;
      img.loading = 'lazy';
      img.decoding = 'async';
      d.appendChild(img);
    }
    if (it.tm) add(d, el('span', 'muted', '+' + it.tm + ' image(s) not shown'));
    return d;
  }
  function options(it) {
    if (!it.o) return null;
    var ol = el('ol', 'opts'), letters = Object.keys(it.o);
    for (var i = 0; i < letters.length; i++) {
      var letter = letters[i], li = el('li', null, letter + '. ' + it.o[letter]);
      if (letter === it.g) { li.classList.add('gold'); li.appendChild(document.createTextNode('  ✓ gold')); }
      if (letter === it.x) { li.classList.add('picked'); li.appendChild(document.createTextNode('  ← extracted')); }
      ol.appendChild(li);
    }
    return ol;
  }
  function facts(it) {
    var dl = el('dl');
    var pair = function (k, v) { add(dl, el('dt', null, k), el('dd', null, v)); };
    pair('Gold', it.g);
    pair('Extracted', it.x === null ? '— (unparsed)' : it.x);
    pair('How', howLabel(it.h));
    if (it.j !== undefined) pair('Judge', it.j === null ? 'no verdict' : it.j ? 'equivalent' : 'not equivalent');
    if (it.e) pair('Error', it.e);
    if (it.b) pair('Baseline', it.b === 1 ? 'correct' : 'wrong');
    if (it.bx !== undefined) pair('Baseline extracted', it.bx === null ? '— (unparsed or none)' : it.bx);
    return dl;
  }
  function collapsed(title, text, cls) {
    var d = el('details', cls), s = el('summary', null, title);
    add(d, s, el('pre', null, text));
    return d;
  }
  function row(it) {
    var a = el('article', 'item');
    a.setAttribute('data-id', it.id);
    add(a, badges(it));
    var body = add(el('div', 'body'), thumbs(it));
    var text = add(el('div', 'text'), el('p', 'q', it.q), options(it), facts(it));
    if (it.r !== null) add(text, collapsed('Response (' + (it.r.length + it.rc) + ' characters)', it.r, 'response'));
    else add(text, el('p', 'muted', it.rx ? 'Response left out to keep this file small (text budget); predictions.jsonl has it.' : 'No response recorded.'));
    if (it.rs) add(text, collapsed('Reasoning field', it.rs, 'reasoning'));
    if (it.br !== undefined) add(text, it.br === null ? el('p', 'muted', 'Baseline response not found in its predictions.jsonl.') : collapsed('Baseline response', it.br, 'base-response'));
    add(body, text);
    add(a, body);
    return a;
  }

  function pagedList(parent, items, emptyText) {
    if (!items.length) { add(parent, el('p', 'muted', emptyText)); return; }
    var box = el('div', 'rows'), more = el('button', 'more');
    more.type = 'button';
    var shown = 0;
    var next = function () {
      var frag = document.createDocumentFragment(), end = Math.min(items.length, shown + PAGE);
      for (; shown < end; shown++) frag.appendChild(row(items[shown]));
      box.appendChild(frag);
      more.textContent = 'Show ' + Math.min(PAGE, items.length - shown) + ' more (' + (items.length - shown) + ' left)';
      more.hidden = shown >= items.length;
    };
    more.addEventListener('click', next);
    add(parent, box, more);
    next();
  }

  function render() {
    var list = $('list'), b = bench();
    list.textContent = '';
    document.body.dataset.ready = '';
    if (state.view === 'changes') {
      if (b.pairing.status !== 'paired') {
        add(list, el('p', 'muted', 'No changes view for ' + b.id + ': ' + b.pairing.note + '.'));
        $('count').textContent = '';
      } else {
        var reg = filtered('regressed'), imp = filtered('improved');
        $('count').textContent = reg.length + ' item(s) went from correct to wrong, ' + imp.length + ' from wrong to correct (' + b.items.length + ' evaluated).';
        add(list, el('h2', null, 'Correct → wrong (' + reg.length + ')'));
        pagedList(list, reg, 'None.');
        add(list, el('h2', null, 'Wrong → correct (' + imp.length + ')'));
        pagedList(list, imp, 'None.');
      }
    } else {
      var items = filtered(state.outcome);
      $('count').textContent = 'Showing ' + Math.min(PAGE, items.length) + ' of ' + items.length + ' matching item(s); ' + b.items.length + ' evaluated' +
        (b.notEvaluated ? ', ' + b.notEvaluated + ' scored item(s) not evaluated in this run' : '') + '.';
      pagedList(list, items, 'No item matches these filters.');
    }
    document.body.dataset.ready = '1';
  }

  function select(id, label, choices, value, onChange) {
    var wrap = el('span'), l = el('label', null, label), s = el('select');
    s.id = id;
    l.htmlFor = id;
    for (var i = 0; i < choices.length; i++) {
      var o = el('option', null, choices[i][1]);
      o.value = String(choices[i][0]);
      s.appendChild(o);
    }
    s.value = String(value);
    s.addEventListener('change', function () { onChange(s.value); render(); });
    return add(wrap, l, document.createTextNode(' '), s);
  }

  function buildFilters() {
    var f = $('filters'), b = bench();
    f.textContent = '';
    state.groups = b.groups.map(function () { return -1; });
    if (state.view === 'items') add(f, select('outcome', 'Outcome', OUTCOMES, state.outcome, function (v) { state.outcome = v; }));
    b.groups.forEach(function (g, gi) {
      var counts = g.values.map(function () { return 0; });
      b.items.forEach(function (it) { counts[it.v[gi]]++; });
      var choices = [[-1, 'all']].concat(g.values.map(function (v, vi) { return [vi, v + ' (' + counts[vi] + ')']; }));
      add(f, select('group-' + gi, g.key, choices, -1, function (v) { state.groups[gi] = Number(v); }));
    });
    var wrap = el('span'), l = el('label', null, 'Item id'), q = el('input');
    q.id = 'search'; q.type = 'search'; q.placeholder = 'search by id'; q.value = state.q;
    l.htmlFor = 'search';
    q.addEventListener('input', function () { state.q = q.value; render(); });
    add(f, add(wrap, l, document.createTextNode(' '), q));
    f.addEventListener('submit', function (e) { e.preventDefault(); });
  }

  function buildViews() {
    var v = $('views');
    v.textContent = '';
    var views = data.baseline ? [['changes', 'Changes vs baseline'], ['items', 'All items']] : [['items', 'All items']];
    views.forEach(function (x) {
      var btn = el('button', null, x[1]);
      btn.type = 'button'; btn.id = 'view-' + x[0];
      btn.setAttribute('role', 'tab');
      btn.setAttribute('aria-selected', String(state.view === x[0]));
      btn.addEventListener('click', function () { state.view = x[0]; buildViews(); buildFilters(); render(); });
      v.appendChild(btn);
    });
  }

  function overview() {
    var o = $('overview');
    var t = el('table'), head = el('tr');
    var cols = ['Benchmark', 'Evaluated', 'Correct', 'Unparsed', 'Errors', 'Truncated'].concat(data.baseline ? ['Correct → wrong', 'Wrong → correct'] : []);
    cols.forEach(function (c) { var th = el('th', null, c); th.scope = 'col'; head.appendChild(th); });
    t.appendChild(head);
    data.benchmarks.forEach(function (b) {
      var c = [0, 0, 0, 0, 0, 0];
      b.items.forEach(function (it) {
        if (it.f & CORRECT) c[0]++; if (it.f & UNPARSED) c[1]++; if (it.f & ERROR) c[2]++; if (it.f & TRUNCATED) c[3]++;
        if (isRegressed(it)) c[4]++; if (isImproved(it)) c[5]++;
      });
      var tr = el('tr'), th = el('th', null, b.id);
      th.scope = 'row';
      add(tr, th, el('td', null, b.items.length), el('td', null, c[0]), el('td', null, c[1]), el('td', null, c[2]), el('td', null, c[3]));
      if (data.baseline) {
        if (b.pairing.status === 'paired') add(tr, el('td', null, c[4]), el('td', null, c[5]));
        else { var td = el('td', 'muted', 'not paired: ' + b.pairing.note); td.colSpan = 2; tr.appendChild(td); }
      }
      t.appendChild(tr);
    });
    add(o, t);
  }

  function init() {
    var meta = [data.model + (data.checkpoint && data.checkpoint !== data.model ? ' @ ' + data.checkpoint : ''),
      data.commit ? 'commit ' + data.commit.slice(0, 12) : null, 'generated ' + data.generatedAt, 'medvlm-bench ' + data.toolVersion];
    if (data.baseline) meta.push('baseline: ' + data.baseline);
    $('meta').textContent = meta.filter(Boolean).join(' · ');
    $('notice').textContent = 'This page holds questions and model responses: keep it where the data may be. It loads nothing from the network.';
    $('notes').textContent = data.notes.join(' · ');
    var bs = $('bench');
    data.benchmarks.forEach(function (b, i) {
      var o = el('option', null, b.id + ' — ' + b.title + ' (' + b.items.length + ')');
      o.value = String(i);
      bs.appendChild(o);
    });
    bs.addEventListener('change', function () { state.b = Number(bs.value); buildFilters(); render(); });
    overview();
    buildViews();
    if (!data.benchmarks.length) { $('count').textContent = 'No benchmark items in this report.'; document.body.dataset.ready = '1'; return; }
    buildFilters();
    render();
    performance.mark('report-ready');
  }
  init();
})();
`;
