// charts.js - SVG drawn in the browser from the API's JSON: a bar chart of
// counts and the link graph of a case.  Both carry a title and description
// for screen readers; the pages show the same figures as tables too.
import { h, s } from './dom.js';

const esc = (t, n) => (t.length > n ? `${t.slice(0, n - 1)}…` : t);

// bars(rows, {title}): rows are [{label, value}] with numeric values.
export function bars(rows, { title }) {
	const W = 720, labelW = 220, barMax = W - labelW - 70, rowH = 26, top = 10;
	const H = top * 2 + Math.max(1, rows.length) * rowH;
	const max = Math.max(1, ...rows.map((r) => r.value));
	const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc', id: 'chart-svg' },
		s('title', { id: 'chart-title', text: title }),
		s('desc', { id: 'chart-desc', text: rows.map((r) => `${r.label}: ${r.value}`).join('; ') || 'No data.' }));
	svg.append(s('line', { class: 'axis', x1: labelW, x2: labelW, y1: 0, y2: H }));
	rows.forEach((r, i) => {
		const y = top + i * rowH;
		const w = Math.max(1, Math.round((r.value / max) * barMax));
		svg.append(s('text', { x: labelW - 8, y: y + 17, 'text-anchor': 'end', text: esc(r.label, 30) }),
			s('rect', { class: 'bar', x: labelW, y: y + 4, width: w, height: rowH - 8 }),
			s('text', { x: labelW + w + 6, y: y + 17, text: String(r.value) }));
	});
	if (!rows.length) svg.append(s('text', { x: labelW + 8, y: top + 17, text: 'No reports in this period.' }));
	return svg;
}

// graph(reports, indicators, edges, current, links): reports on the left,
// indicators on the right, a line for each report holding an indicator.
// edges are [reportIndex, indicatorIndex]; links (optional) are
// [reportIndex, reportIndex] pairs an analyst merged, drawn dashed.
export function graph(reports, indicators, edges, current, links = []) {
	const W = 720, rowH = 44, top = 24, rx = 150, ix = 470;
	const n = Math.max(reports.length, indicators.length, 1);
	const H = top * 2 + n * rowH;
	const ry = (i) => top + (i + 0.5) * (n * rowH / Math.max(1, reports.length));
	const iy = (i) => top + (i + 0.5) * (n * rowH / Math.max(1, indicators.length));
	const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'graph-title graph-desc', id: 'graph-svg' },
		s('title', { id: 'graph-title', text: `Case graph: ${reports.length} reports, ${indicators.length} shared indicators` }),
		s('desc', { id: 'graph-desc', text: [...edges.map(([r, i]) => `${reports[r].reference} holds ${indicators[i].value}`),
			...links.map(([a, b]) => `${reports[a].reference} merged with ${reports[b].reference}`)].join('; ') }));
	for (const [r, i] of edges) svg.append(s('line', { class: 'edge', x1: rx, y1: ry(r), x2: ix, y2: iy(i) }));
	for (const [a, b] of links) {
		svg.append(s('path', { class: 'edge merged', d: `M ${rx} ${ry(a)} C ${rx + 90} ${ry(a)}, ${rx + 90} ${ry(b)}, ${rx} ${ry(b)}` }));
	}
	reports.forEach((r, k) => {
		const g = s('a', { href: `/staff/report?ref=${encodeURIComponent(r.reference)}` },
			s('circle', { class: r.reference === current ? 'node-report this' : 'node-report', cx: rx, cy: ry(k), r: 9 }),
			s('text', { x: rx - 16, y: ry(k) + 5, 'text-anchor': 'end', text: r.reference }));
		g.setAttribute('data-ref', r.reference);
		svg.append(g);
	});
	indicators.forEach((ind, k) => {
		svg.append(s('rect', { class: 'node-ioc', x: ix - 8, y: iy(k) - 8, width: 16, height: 16 }),
			s('text', { x: ix + 16, y: iy(k) + 5, text: esc(`${ind.type}: ${ind.value}`, 32) }));
	});
	return svg;
}

// graphList(...): the same graph as nested lists, for a phone's screen
// (where the SVG's labels would shrink to half their size) and for anyone
// who prefers text: each report with the shared indicators it holds and the
// reports an analyst merged it with.
export function graphList(reports, indicators, edges, current, links = []) {
	return h('ul', { class: 'graph-list', id: 'graph-list' }, ...reports.map((r, k) => {
		const held = edges.filter(([ri]) => ri === k).map(([, i]) => indicators[i]);
		const merged = links.filter(([a, b]) => a === k || b === k).map(([a, b]) => reports[a === k ? b : a].reference);
		return h('li', { 'data-ref': r.reference },
			h('a', { href: `/staff/report?ref=${encodeURIComponent(r.reference)}`, class: 'mono', text: r.reference }),
			r.reference === current ? ' (this report)' : '',
			held.length ? h('ul', {}, ...held.map((ind) => h('li', {}, `${ind.type}: `, h('span', { class: 'mono', text: ind.value })))) : h('p', { class: 'hint', text: 'No indicator shared with the others shown.' }),
			merged.length ? h('p', { class: 'hint', text: `Merged by an analyst with ${merged.join(', ')}.` }) : null);
	}));
}
