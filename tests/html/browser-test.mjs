// Loads each HTML report from a file:// URL in headless Chromium and checks
// what a reader sees: the red hop is the expected one, every finding is
// there and linked to its hop and back, the picture has a text
// alternative, nothing is fetched, nothing logs an error, hostile strings
// stay text, and the page fits 1280 and 390 px. Screenshots go to OUTDIR.
// Usage: node browser-test.mjs CASES.json OUTDIR
// Prints "ok NAME" / "FAIL NAME: why" lines, then "N passed, N failed,
// N skipped".
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [casesFile, outDir] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
let pass = 0, fail = 0, skip = 0;

function check(name, ok, why) {
	if (ok) {
		pass++;
		console.log(`ok ${name}`);
	} else {
		fail++;
		console.log(`FAIL ${name}: ${why}`);
	}
}

// Every check that only reads the DOM, run in the page; returns a list of
// [name, ok, why].
function domChecks(c) {
	const out = [];
	const add = (n, ok, why) => out.push([n, !!ok, why || '']);
	const $$ = (s, e = document) => Array.from(e.querySelectorAll(s));
	const byId = (id) => document.getElementById(id);

	const ids = $$('[id]').map((e) => e.id);
	const dup = ids.filter((x, i) => ids.indexOf(x) !== i);
	add('ids unique', dup.length === 0, `duplicates: ${dup.slice(0, 5)}`);

	const broken = $$('a[href^="#"]').map((a) => a.getAttribute('href'))
		.filter((h) => !byId(h.slice(1)));
	add('internal links resolve', broken.length === 0, `broken: ${broken.slice(0, 5)}`);

	const levels = $$('h1,h2,h3,h4,h5,h6').map((h) => +h.tagName[1]);
	let jump = levels[0] !== 1 ? 'first heading is not h1' : '';
	for (let i = 1; i < levels.length && !jump; i++)
		if (levels[i] > levels[i - 1] + 1)
			jump = `h${levels[i - 1]} then h${levels[i]}`;
	add('heading levels', !jump && $$('h1').length === 1, jump);

	const svgs = $$('svg');
	const noAlt = svgs.filter((s) => {
		if (s.getAttribute('role') !== 'img') return true;
		const ref = (s.getAttribute('aria-labelledby') || '').split(/\s+/);
		const t = ref.map(byId);
		return ref.length !== 2 || t.some((e) => !e || !e.textContent.trim()) ||
			t[0].tagName !== 'title' || t[1].tagName !== 'desc';
	});
	add('every diagram has role=img, title and desc', svgs.length === 0 ||
		noAlt.length === 0, `${noAlt.length} without`);

	// The red hops: exactly the expected ones among the first of each
	// listed flow; each red box in a picture has its hop in the list.
	const redBoxes = $$('svg g.n.fail');
	const redItems = $$('li.hop.fail');
	add('each red box has its hop in the list',
		redBoxes.every((g) => {
			const li = byId(g.dataset.hop);
			return li && li.classList.contains('fail');
		}) && redBoxes.length === redItems.length,
		`${redBoxes.length} boxes, ${redItems.length} items`);
	for (const r of c.red) {
		const g = document.querySelector(`svg g.n[data-hop="${r.hop}"]`);
		const li = byId(r.hop);
		const rect = g && g.querySelector('rect');
		const fill = rect ? getComputedStyle(rect).fill : '';
		add(`red hop ${r.hop} is ${r.site} ${r.kind}`,
			g && g.classList.contains('fail') && li &&
			li.classList.contains('fail') &&
			li.textContent.includes(r.site) && li.textContent.includes(r.kind) &&
			g.textContent.includes('\u2717') && g.textContent.includes(r.label) &&
			fill === 'rgb(255, 235, 233)',
			`box ${g ? g.getAttribute('class') + ' ' + fill + ' ' + g.textContent : 'missing'}`);
		const path = g && g.closest('section.path');
		const first = path && path.querySelector('svg g.n.fail');
		add(`${r.hop} is the first red hop of its path`, first === g, '');
	}
	if (c.red.length === 0)
		add('no red hop', redBoxes.length === 0 && redItems.length === 0,
			`${redBoxes.length} red`);

	// Findings: each expected id present; each finding tied to a hop links
	// to a failing hop that links back to it.
	const fs = $$('.finding');
	const got = fs.map((f) => f.dataset.id);
	for (const id of c.findings)
		add(`finding ${id} present`, got.includes(id), `got ${got}`);
	add('no unexpected findings', got.length === c.findings.length, `got ${got}`);
	for (const f of fs) {
		const to = f.querySelector('a.to-hop');
		if (!to) {
			add(`finding ${f.dataset.id} says it is not tied to a hop`,
				/Not tied/.test(f.textContent), '');
			continue;
		}
		const hop = byId(to.getAttribute('href').slice(1));
		const back = hop && hop.querySelector('a.to-finding');
		add(`finding ${f.dataset.id} links to its hop and back`,
			hop && hop.classList.contains('fail') && back &&
			back.getAttribute('href') === `#${f.id}`,
			`hop ${hop ? hop.id : 'missing'} back ${back ? back.getAttribute('href') : 'none'}`);
	}
	for (const a of $$('a.to-finding')) {
		const t = byId(a.getAttribute('href').slice(1));
		if (!t || !t.classList.contains('finding')) {
			add('hop links go to findings', false, a.getAttribute('href'));
			break;
		}
	}

	// Colour is not the only signal: every hop and path result has a mark.
	const unmarked = $$('li.hop').filter((li) => !/^[\u2713\u2717?\u00b7]/.test(li.textContent));
	add('every hop has a mark', unmarked.length === 0, `${unmarked.length} without`);

	const healthy = $$('.flow').filter((e) => e.classList.contains('ok'));
	add('healthy flows collapsed', healthy.every((e) => e.tagName === 'DETAILS' && !e.open), '');

	add('one script only (the print helper)', $$('script').length === 1,
		`${$$('script').length} scripts`);
	add('no external resources', $$('link,img,iframe,object,embed,[src]').length === 0, '');
	add('no clock times', !/\d{4}-\d\d-\d\d[ T]\d\d:\d\d/.test(document.body.textContent), '');
	// paths on the firewall that "what to collect" names are not local paths
	const local = document.body.textContent
		.replaceAll('/usr/local/www/status.php', '').replaceAll('/tmp/status_output.tgz', '');
	add('no absolute paths', !/(^|[\s(\[])\/(home|root|work|tmp|usr)\//.test(local), '');

	// Both ends compared: the table of `ipsecdiag compare`, each expected
	// row visible with its mark, its values and its words for a screen
	// reader; the heading counts the rows that differ.
	if (c.compare) {
		const sec = byId('compare');
		add('compare table shown', sec && $$('table.cmp', sec).length > 0 &&
			sec.getBoundingClientRect().height > 0, 'no #compare section');
		const rows = sec ? $$('table.cmp tbody tr', sec) : [];
		const differ = rows.filter((r) => r.dataset.match === 'differ').length;
		const h = sec ? sec.querySelector('h3') : null;
		add('compare heading counts the differences', h &&
			h.textContent.includes(`${differ} difference`), h ? h.textContent : 'none');
		add('no difference unless expected', differ === c.compare.filter((e) => e.match === 'differ').length,
			`${differ} differ`);
		const marks = { agree: '\u2713', differ: '\u2717', unknown: '?', info: '' };
		for (const e of c.compare) {
			const r = rows.find((x) => x.querySelector('th').textContent === e.row &&
				x.closest('table').querySelector('caption').textContent.startsWith(e.block));
			const td = r ? r.querySelectorAll('td') : [];
			add(`compare ${e.block} ${e.row}: ${e.match}`, r && r.dataset.match === e.match &&
				td[0].querySelector('[aria-hidden]').textContent === marks[e.match] &&
				td[0].querySelector('.sr').textContent.length > 0 &&
				td[1].textContent === e.a && td[2].textContent === e.b &&
				r.getBoundingClientRect().height > 0,
				r ? `${r.dataset.match} ${td[1].textContent} / ${td[2].textContent}` : 'row missing');
		}
	}

	if (c.hostile) {
		const txt = document.body.textContent;
		add('hostile text shown as text', txt.includes('<script>alert(1)</script>') &&
			txt.includes('"quotes" & ampersands'), '');
		add('hostile markup not parsed', !document.querySelector('b.pwned,img') &&
			window.__pwned === undefined, '');
	}
	return out;
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
		'--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync'],
});
// Playwright starts Chromium with a fresh empty profile of its own.
try {
	for (const c of cases) {
		const file = resolve(outDir, `${c.name}.html`);
		const url = pathToFileURL(file).href;
		for (const width of [1280, 390]) {
			const tag = `${c.name}@${width}`;
			const ctx = await browser.newContext({ viewport: { width, height: 900 } });
			const page = await ctx.newPage();
			const errors = [], requests = [], dialogs = [];
			page.on('console', (m) => {
				if (m.type() === 'error' || m.type() === 'warning')
					errors.push(m.text());
			});
			page.on('pageerror', (e) => errors.push(String(e)));
			page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
			page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
			await page.goto(url, { waitUntil: 'load' });
			if (width === 1280)
				for (const [n, ok, why] of await page.evaluate(domChecks, c))
					check(`${c.name}: ${n}`, ok, why);
			const over = await page.evaluate(() =>
				document.documentElement.scrollWidth - window.innerWidth);
			check(`${tag}: page does not overflow sideways`, over <= 0, `${over}px too wide`);
			// A real click: the finding's link brings its hop into view.
			const link = page.locator('a.to-hop').first();
			if (await link.count()) {
				const href = await link.getAttribute('href');
				await link.click();
				const seen = await page.evaluate((id) => {
					const r = document.getElementById(id).getBoundingClientRect();
					return location.hash === `#${id}` && r.top >= -2 && r.top < innerHeight;
				}, href.slice(1));
				check(`${tag}: clicking the finding's hop link shows ${href}`, seen, '');
				await page.evaluate(() => { history.replaceState(null, '', location.pathname); scrollTo(0, 0); });
			}
			await page.screenshot({ path: join(outDir, `${c.name}-${width}.png`), fullPage: true });
			if (width === 1280) {
				await page.emulateMedia({ media: 'print' });
				await page.pdf({ path: join(outDir, `${c.name}.pdf`), format: 'A4' });
				const closed = await page.evaluate(() =>
					Array.from(document.querySelectorAll('details')).filter((d) => !d.open).length);
				check(`${tag}: printing opens every collapsed part`, closed === 0, `${closed} closed`);
			}
			check(`${tag}: no console errors`, errors.length === 0, errors.slice(0, 3).join(' | '));
			check(`${tag}: no network requests`, requests.length === 0, requests.slice(0, 3).join(' '));
			check(`${tag}: no dialogs`, dialogs.length === 0, dialogs.join(' '));
			await ctx.close();
		}
	}
} finally {
	await browser.close();
}
console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);
process.exit(fail ? 1 : 0);
