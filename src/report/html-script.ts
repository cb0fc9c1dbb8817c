// The report's only script. It reads its data from the JSON block and builds every node from data with
// textContent, never innerHTML. It is a fixed string: the page's CSP allows exactly its sha256.

export const SCRIPT = `(function () {
'use strict';
var dataNode = document.getElementById('reldiff-data');
var data = JSON.parse((dataNode && dataNode.textContent) || '{}');
var commits = data.commits || [];
var rows = data.rows || [];

function el(tag, text, cls) {
  var node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

var detail = document.getElementById('tl-detail');
var bars = Array.prototype.slice.call(document.querySelectorAll('.tl-commit'));
var pinned = -1;

function show(i) {
  var c = commits[i];
  if (!c || !detail) return;
  bars.forEach(function (b, j) { b.classList.toggle('active', j === i); });
  while (detail.firstChild) detail.removeChild(detail.firstChild);
  var head = el('p');
  head.appendChild(el('code', c.short));
  head.appendChild(document.createTextNode(' '));
  head.appendChild(el('strong', c.subject));
  detail.appendChild(head);
  detail.appendChild(el('p', c.author + ' · ' + c.date, 'muted'));
  var facts = ['risk ' + Number(c.risk).toFixed(2) + ' (' + c.level + ')'];
  if (c.lockfile) facts.push('changes a lockfile');
  if (c.testFirst) facts.push('bisect: test first #' + c.testFirst);
  detail.appendChild(el('p', facts.join(' · ')));
  if (!c.items.length) { detail.appendChild(el('p', 'No ranked change lists this commit.', 'muted')); return; }
  var list = el('ul');
  c.items.forEach(function (item) {
    var li = el('li');
    li.appendChild(el('span', item.level, 'badge lv-' + item.level));
    li.appendChild(document.createTextNode(' ' + item.title + (item.reasons.length ? ': ' + item.reasons.join('; ') : '')));
    list.appendChild(li);
  });
  if (c.moreItems) list.appendChild(el('li', 'and ' + c.moreItems + ' more', 'muted'));
  detail.appendChild(list);
}

function focusBar(i) {
  var bar = bars[i];
  if (!bar) return;
  bars.forEach(function (b) { b.setAttribute('tabindex', '-1'); });
  bar.setAttribute('tabindex', '0');
  bar.focus();
}

bars.forEach(function (bar, i) {
  bar.addEventListener('mouseenter', function () { show(i); });
  bar.addEventListener('mouseleave', function () { if (pinned >= 0) show(pinned); });
  bar.addEventListener('focus', function () { show(i); });
  bar.addEventListener('click', function () { pinned = i; focusBar(i); show(i); });
  bar.addEventListener('keydown', function (e) {
    var to = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = Math.min(bars.length - 1, i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = Math.max(0, i - 1);
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = bars.length - 1;
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pinned = i; show(i); return; }
    else return;
    e.preventDefault();
    focusBar(to);
  });
});

var table = document.getElementById('rank-table');
var form = document.getElementById('rank-filters');
var count = document.getElementById('rank-count');
if (!table) return;
var bodies = Array.prototype.slice.call(table.querySelectorAll('tbody.item'));
var levelOrder = { low: 0, medium: 1, high: 2, critical: 3 };
var sortKey = 'rank';
var sortDir = 1;

function rowOf(body) { return rows[Number(body.getAttribute('data-i'))] || {}; }
function key(row, name) { return name === 'level' ? (levelOrder[row.level] || 0) : row[name]; }
function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

function sort() {
  var sorted = bodies.slice().sort(function (x, y) {
    var a = rowOf(x), b = rowOf(y);
    return compare(key(a, sortKey), key(b, sortKey)) * sortDir || a.rank - b.rank;
  });
  var fragment = document.createDocumentFragment();
  sorted.forEach(function (body) { fragment.appendChild(body); });
  table.appendChild(fragment);
  Array.prototype.forEach.call(table.querySelectorAll('thead th'), function (th) {
    if (th.getAttribute('data-key') === sortKey) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  });
}

Array.prototype.forEach.call(table.querySelectorAll('thead th'), function (th) {
  var button = th.querySelector('button');
  if (!button) return;
  button.addEventListener('click', function () {
    var name = th.getAttribute('data-key');
    if (name === sortKey) sortDir = -sortDir;
    else { sortKey = name; sortDir = (name === 'score' || name === 'level' || name === 'commits') ? -1 : 1; }
    sort();
  });
});

function value(id) { var input = document.getElementById(id); return input ? String(input.value) : ''; }

function filter() {
  var kind = value('f-kind'), level = value('f-level'), eco = value('f-eco');
  var text = value('f-text').trim().toLowerCase();
  var shown = 0;
  bodies.forEach(function (body) {
    var row = rowOf(body);
    var ok = (!kind || row.kind === kind) && (!level || row.level === level) && (!eco || row.eco === eco)
      && (!text || String(row.path).toLowerCase().indexOf(text) >= 0);
    body.hidden = !ok;
    if (ok) shown++;
  });
  if (count) count.textContent = 'Showing ' + shown + ' of ' + bodies.length + ' changes.';
}

if (form) {
  form.hidden = false;
  form.addEventListener('input', filter);
  form.addEventListener('change', filter);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  filter();
}

table.addEventListener('click', function (e) {
  var button = e.target && e.target.closest ? e.target.closest('button.expand') : null;
  if (!button) return;
  var open = button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', open ? 'true' : 'false');
  var row = document.getElementById(button.getAttribute('aria-controls'));
  if (row) row.hidden = !open;
});
})();
`;
