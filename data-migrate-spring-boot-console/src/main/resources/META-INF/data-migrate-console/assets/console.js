/*
 * data-migrate operations console. Reads and acts through the application's datamigrations Actuator
 * endpoint with the viewer's own credentials; builds every element with the DOM API and puts text in
 * with textContent, so nothing the endpoint returns is ever run as markup.
 */
(() => {
	'use strict';

	const FAST = 2000;
	const SLOW = 10000;
	const body = document.body;
	const consolePath = body.dataset.console;
	const endpoint = body.dataset.endpoint;
	const content = document.getElementById('content');
	const message = document.getElementById('message');
	const summary = document.getElementById('summary');
	const updated = document.getElementById('updated');
	const runButton = document.getElementById('run');
	const refreshButton = document.getElementById('refresh');
	const version = versionInPath();
	const openErrors = new Set();
	const numbers = new Intl.NumberFormat();
	const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric',
		hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
	const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
	let timer = null;
	let loading = false;
	let again = false;
	let fastUntil = 0;
	let busy = false;
	let readFailed = false;

	const ACTIONS = { PENDING: ['pause', 'skip'], RUNNING: ['pause'], PAUSED: ['resume', 'skip'], FAILED: ['retry', 'skip'] };
	const LABELS = { pause: 'Pause', resume: 'Resume', retry: 'Retry', skip: 'Skip' };
	const CONFIRMATIONS = {
		retry: (m) => `Retry data migration ${m.version} (${m.description})? It is queued to run again.`,
		skip: (m) => `Skip data migration ${m.version} (${m.description})? It is marked SKIPPED and never runs; `
			+ 'the migrations after it go on.'
	};

	/** Whether to offer actions: read at each render, the server's answer stays the judge. */
	function writable() {
		return body.dataset.writable === 'true';
	}

	function versionInPath() {
		const path = location.pathname.replace(/\/+$/, '');
		if (!path.startsWith(consolePath + '/')) {
			return null;
		}
		const rest = path.substring(consolePath.length + 1);
		try {
			return decodeURIComponent(rest);
		}
		catch (e) {
			return rest;
		}
	}

	// ---- talking to the endpoint

	async function call(method, path, payload) {
		const headers = { Accept: 'application/json' };
		if (method !== 'GET') {
			headers['Content-Type'] = 'application/json';
			if (body.dataset.csrfHeader && body.dataset.csrfToken) {
				headers[body.dataset.csrfHeader] = body.dataset.csrfToken;
			}
		}
		const response = await fetch(endpoint + path, { method, headers, credentials: 'same-origin', cache: 'no-store',
			body: (payload === undefined) ? undefined : JSON.stringify(payload) });
		let json = null;
		try {
			json = await response.json();
		}
		catch (e) {
			// 401 and 403 come without a body
		}
		return { status: response.status, json };
	}

	function refusal(answer, what) {
		const detail = answer.json && (answer.json.error || answer.json.reason || answer.json.message);
		const more = detail ? `: ${detail}` : '';
		switch (answer.status) {
			case 401:
				return `Not signed in (401): reload the page and sign in to ${what}.`;
			case 403:
				return `Not allowed (403): your user may not ${what}.`;
			case 404:
				return `No such migration (404)${more}`;
			case 405:
				return 'The endpoint is read-only (405): management.endpoint.datamigrations.access=unrestricted '
					+ 'allows changes.';
			case 409:
				return `Refused (409)${more}`;
			default:
				return `Could not ${what} (${answer.status})${more}`;
		}
	}

	function say(text, error) {
		message.textContent = text;
		message.classList.toggle('error', Boolean(error));
	}

	// ---- reading

	/** Read and render; one read at a time, and one timer for the next. */
	async function refresh() {
		if (loading) {
			again = true;
			return;
		}
		loading = true;
		clearTimeout(timer);
		let running = false;
		try {
			running = (version === null) ? await loadList() : await loadOne();
			updated.textContent = `Updated ${clock.format(new Date())}; refreshes every `
				+ (running ? '2 s while a migration runs' : '10 s');
		}
		catch (e) {
			readError(`The application did not answer: ${e.message}`);
		}
		finally {
			loading = false;
		}
		if (again) {
			again = false;
			await refresh();
			return;
		}
		timer = setTimeout(refresh, (running || Date.now() < fastUntil) ? FAST : SLOW);
	}

	function readError(text) {
		readFailed = true;
		say(text, true);
	}

	function readOk() {
		if (readFailed) {
			readFailed = false;
			say('');
		}
	}

	async function loadList() {
		const answer = await call('GET', '');
		if (answer.status !== 200) {
			readError(refusal(answer, 'read data migrations'));
			return false;
		}
		readOk();
		renderList(answer.json);
		return answer.json.running > 0;
	}

	async function loadOne() {
		const answer = await call('GET', '/' + encodeURIComponent(version));
		if (answer.status === 404) {
			renderMissing();
			return false;
		}
		if (answer.status !== 200) {
			readError(refusal(answer, 'read data migrations'));
			return false;
		}
		readOk();
		renderOne(answer.json);
		return answer.json.status === 'RUNNING' && !answer.json.interrupted;
	}

	// ---- acting

	async function act(migration, action) {
		const confirmation = CONFIRMATIONS[action];
		if (confirmation && !window.confirm(confirmation(migration))) {
			say(`${LABELS[action]} of ${migration.version} cancelled.`);
			return;
		}
		await send(() => call('POST', '/' + encodeURIComponent(migration.version), { action }),
			(answer) => `${migration.version} is now ${answer.json.status}.`,
			`${action} data migrations`);
	}

	async function runPending() {
		await send(() => call('POST', ''), (answer) => (answer.status === 202)
			? `Started: ${answer.json.pending.join(', ')}.`
			: (answer.json.reason ? `Nothing started: ${answer.json.reason}.` : 'Nothing started.'),
			'run data migrations');
	}

	async function send(request, success, what) {
		if (busy) {
			return;
		}
		busy = true;
		document.querySelectorAll('button[data-action], #run').forEach((button) => button.disabled = true);
		try {
			const answer = await request();
			if (answer.status >= 200 && answer.status < 300) {
				say(success(answer));
			}
			else {
				say(refusal(answer, what), true);
			}
			fastUntil = Date.now() + SLOW;
		}
		catch (e) {
			say(`The application did not answer: ${e.message}`, true);
		}
		finally {
			busy = false;
			runButton.disabled = false;
			await refresh();
		}
	}

	// ---- building the page

	function el(tag, attributes, ...children) {
		const node = document.createElement(tag);
		for (const [name, value] of Object.entries(attributes || {})) {
			if (value === null || value === undefined || value === false) {
				continue;
			}
			if (name.startsWith('on')) {
				node.addEventListener(name.substring(2), value);
			}
			else {
				node.setAttribute(name, (value === true) ? '' : String(value));
			}
		}
		for (const child of children.flat()) {
			if (child !== null && child !== undefined && child !== false) {
				node.append((child instanceof Node) ? child : document.createTextNode(String(child)));
			}
		}
		return node;
	}

	function count(value) {
		return (value === null || value === undefined) ? '–' : numbers.format(value);
	}

	function time(iso) {
		return iso ? el('time', { datetime: iso }, dateTime.format(new Date(iso))) : null;
	}

	function duration(seconds) {
		const total = Math.max(0, Math.round(seconds));
		const hours = Math.floor(total / 3600);
		const minutes = Math.floor((total % 3600) / 60);
		if (hours > 0) {
			return `${hours} h ${minutes} min`;
		}
		return (minutes > 0) ? `${minutes} min ${total % 60} s` : `${total} s`;
	}

	function decimal(value) {
		return numbers.format((value >= 100) ? Math.round(value) : Math.round(value * 10) / 10);
	}

	function state(migration) {
		return (migration.status === 'RUNNING' && migration.interrupted) ? 'INTERRUPTED' : migration.status;
	}

	function badge(word) {
		return el('span', { class: `badge status-${word.toLowerCase().replace(/ /g, '-')}` }, word);
	}

	function link(migration) {
		return el('a', { href: `${consolePath}/${encodeURIComponent(migration.version)}`,
			'data-key': `link:${migration.version}` }, migration.version);
	}

	function progress(migration) {
		let value = migration.progress;
		if ((value === null || value === undefined) && ['SUCCEEDED', 'SKIPPED', 'BASELINE'].includes(migration.status)) {
			value = 1;
		}
		const records = (migration.recordsTotal !== null && migration.recordsTotal !== undefined)
			? `${count(migration.recordsProcessed)} / ${count(migration.recordsTotal)} records`
			: `${count(migration.recordsProcessed)} records`;
		const known = value !== null && value !== undefined;
		// a bar without a value moves to and fro: only for a run whose total is not known
		const bar = (known || migration.status === 'RUNNING')
			? el('progress', { max: 1, value: known ? value : false, 'aria-label': `Progress of ${migration.version}` })
			: null;
		return el('div', { class: 'progress' }, bar,
			el('span', { class: 'records' }, records + (known ? ` (${Math.floor(value * 100)}%)` : '')));
	}

	function speed(migration) {
		const parts = [];
		if (migration.rowsPerSecond !== null && migration.rowsPerSecond !== undefined) {
			parts.push(el('span', { class: 'rate' }, `${decimal(migration.rowsPerSecond)} rows/s over the last minute`));
		}
		if (migration.etaSeconds !== null && migration.etaSeconds !== undefined) {
			const end = new Date(Date.now() + migration.etaSeconds * 1000);
			parts.push(el('span', { class: 'eta' }, `about ${duration(migration.etaSeconds)} left, ends around `,
				el('time', { datetime: end.toISOString() }, clock.format(end))));
		}
		return parts.length ? el('p', { class: 'speed' }, parts) : null;
	}

	function throttle(migration) {
		if (!migration.throttledBy) {
			return null;
		}
		return el('p', { class: 'throttle' }, badge('THROTTLED'), ' ',
			migration.throttledSince ? ['since ', time(migration.throttledSince), ': '] : '', migration.throttledBy);
	}

	function ranges(walk) {
		const states = [[walk.done, 'done'], [walk.running, 'running'], [walk.waiting, 'waiting'], [walk.failed, 'failed']]
			.filter(([n]) => n > 0).map(([n, state]) => `${count(n)} ${state}`).join(', ');
		const instances = [...new Set(walk.workers)];
		return instances.length ? `${states}; ${count(walk.workers.length)} workers on ${instances.join(', ')}` : states;
	}

	function facts(migration, detailed) {
		const rows = [
			['Batch size', migration.batchSize, count],
			['Ranges', migration.ranges, ranges],
			['Attempts', migration.attempts, count],
			['Executed by', migration.executedBy],
			['Triggered by', migration.triggeredBy],
			['Started', migration.startedAt, time],
			['Finished', migration.finishedAt, time]
		];
		if (detailed) {
			rows.push(['Duration', migration.durationMs, (ms) => duration(ms / 1000)],
				['Batches done', migration.batchesDone, count],
				['Checkpoint', migration.checkpoint],
				['No heartbeat since', migration.interrupted, time],
				['Application version', migration.appVersion]);
		}
		const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
		return shown.length ? el('dl', { class: 'facts' }, shown.map(([name, value, format]) =>
			el('div', {}, el('dt', {}, name), el('dd', {}, format ? format(value) : value)))) : null;
	}

	function error(migration) {
		if (!migration.error) {
			return null;
		}
		const [first, ...rest] = migration.error.split('\n');
		const block = el('div', { class: 'error-text' }, el('p', {}, el('strong', {}, 'Error: '), first));
		if (rest.join('').trim()) {
			const details = el('details', {}, el('summary', { 'data-key': `error:${migration.version}` },
				'Rest of the error'), el('pre', {}, rest.join('\n')));
			details.open = openErrors.has(migration.version);
			details.addEventListener('toggle', () => details.open
				? openErrors.add(migration.version) : openErrors.delete(migration.version));
			block.append(details);
		}
		return block;
	}

	function actions(migration) {
		const names = writable() ? (ACTIONS[migration.status] || []) : [];
		return names.length ? el('div', { class: 'actions' }, names.map((name) => el('button', {
			type: 'button', class: (name === 'skip') ? 'danger' : null, 'data-action': name,
			'data-key': `${name}:${migration.version}`, 'aria-label': `${LABELS[name]} ${migration.version}`,
			disabled: busy, onclick: () => act(migration, name) }, LABELS[name]))) : null;
	}

	function migrationCard(tag, migration, detailed) {
		const word = state(migration);
		return el(tag, { class: `migration status-${word.toLowerCase()}`, 'data-version': migration.version },
			el('div', { class: 'head' }, badge(word), ' ',
				detailed ? el('h2', {}, migration.version) : el('h2', {}, link(migration)),
				el('p', { class: 'description' }, migration.description)),
			progress(migration), speed(migration), throttle(migration), facts(migration, detailed), error(migration),
			actions(migration));
	}

	function postDeploy(changes) {
		if (!changes || !changes.length) {
			return null;
		}
		return el('section', { class: 'post-deploy', 'aria-labelledby': 'post-deploy-title' },
			el('h2', { id: 'post-deploy-title' }, 'Post-deploy changesets'),
			el('ul', {}, changes.map((change) => el('li', {},
				badge(change.applied ? 'APPLIED' : 'NOT APPLIED'), ' ', el('code', {}, change.id),
				change.description ? el('span', { class: 'description' }, change.description) : null,
				change.waitsFor ? el('span', { class: 'waits' }, `waits for ${change.waitsFor}`) : null))));
	}

	/** Re-render, keeping the keyboard focus on the same control when it is still there. */
	function replaceContent(...children) {
		const focused = document.activeElement;
		const key = (focused && content.contains(focused)) ? focused.dataset.key : null;
		content.replaceChildren(...children.filter(Boolean));
		if (key) {
			const same = content.querySelector(`[data-key="${CSS.escape(key)}"]`);
			// an action that is gone with the state it applied to leaves the focus on its migration's link
			const fallback = content.querySelector(`[data-key="link:${CSS.escape(key.substring(key.indexOf(':') + 1))}"]`);
			(same || fallback || content).focus();
		}
	}

	function renderList(data) {
		document.title = 'Data migrations';
		const counts = [`${count(data.pending)} pending`, `${count(data.running)} running`];
		if (data.interrupted) {
			counts.push(`${count(data.interrupted)} interrupted`);
		}
		counts.push(`${count(data.failed)} failed`);
		summary.textContent = counts.join(' · ');
		const waiting = data.migrations.some((m) => m.status === 'PENDING' || (m.status === 'RUNNING' && m.interrupted))
			|| (data.postDeploy || []).some((change) => !change.applied);
		runButton.hidden = !(writable() && waiting && !data.running);
		replaceContent(el('h2', { class: 'visually-hidden' }, 'Migrations in version order'),
			data.migrations.length
				? el('ol', { class: 'migrations' }, data.migrations.map((m) => migrationCard('li', m, false)))
				: el('p', {}, 'This application has no data migrations.'),
			postDeploy(data.postDeploy),
			writable() ? null : el('p', { class: 'note' }, 'Read-only: the endpoint\'s access '
				+ '(management.endpoint.datamigrations.access) or your user does not allow changes here.'));
	}

	function renderOne(migration) {
		document.title = `${migration.version} · Data migrations`;
		summary.textContent = migration.description;
		runButton.hidden = true;
		replaceContent(el('p', { class: 'back' }, el('a', { href: consolePath }, '← All data migrations')),
			migrationCard('article', migration, true),
			(migration.batchesDone || (migration.recentBatches || []).length) ? charts(migration.recentBatches || []) : null);
	}

	function renderMissing() {
		document.title = 'No such migration · Data migrations';
		summary.textContent = '';
		runButton.hidden = true;
		replaceContent(el('h2', {}, 'No such migration'),
			el('p', { class: 'missing' }, 'No such migration: this application has no data migration with version ',
				el('code', {}, version), '.'),
			el('p', { class: 'back' }, el('a', { href: consolePath }, '← All data migrations')));
	}

	// ---- the chart of the current run's batches, as inline SVG

	const SVG = 'http://www.w3.org/2000/svg';

	function svg(tag, attributes, text) {
		const node = document.createElementNS(SVG, tag);
		for (const [name, value] of Object.entries(attributes)) {
			node.setAttribute(name, String(value));
		}
		if (text !== undefined) {
			node.textContent = text;
		}
		return node;
	}

	function charts(batches) {
		const section = el('section', { class: 'charts', 'aria-labelledby': 'charts-title' },
			el('h2', { id: 'charts-title' }, 'Batches of the current run on this instance'));
		if (batches.length < 2) {
			section.append(el('p', { class: 'note' }, 'Fewer than two batches of a run on this instance: the charts '
				+ 'show the batches that the instance running the migration committed since its run began.'));
			return section;
		}
		const times = batches.map((batch) => Date.parse(batch.at));
		const rates = [];
		for (let i = 1; i < batches.length; i++) {
			// over up to five batches, so that one short gap does not spike the line
			const from = Math.max(0, i - 5);
			let records = 0;
			for (let j = from + 1; j <= i; j++) {
				records += batches[j].records;
			}
			const seconds = (times[i] - times[from]) / 1000;
			if (seconds > 0) {
				rates.push({ t: times[i], v: records / seconds });
			}
		}
		const durations = batches.map((batch, i) => ({ t: times[i], v: batch.durationMs }));
		section.append(lineChart('Rows per second', 'rows/s', rates), lineChart('Batch duration', 'ms', durations),
			el('p', { class: 'note' }, `${count(batches.length)} batches`
				+ ((batches.length >= 1000) ? ' (the last 1,000)' : '') + ' from ', time(batches[0].at), ' to ',
				time(batches[batches.length - 1].at), '.'));
		return section;
	}

	function lineChart(title, unit, points) {
		const figure = el('figure', { class: 'chart' }, el('figcaption', {}, `${title} (${unit})`));
		if (!points.length) {
			return figure;
		}
		const width = 600, height = 170, left = 64, right = 12, top = 12, bottom = 26;
		const first = points[0].t, last = points[points.length - 1].t;
		const highest = Math.max(...points.map((point) => point.v)) || 1;
		const x = (t) => left + ((last === first) ? 0 : (t - first) / (last - first)) * (width - left - right);
		const y = (v) => top + (1 - v / highest) * (height - top - bottom);
		const text = `${title}: last ${decimal(points[points.length - 1].v)} ${unit}, highest ${decimal(highest)} ${unit}`
			+ `, over ${duration((last - first) / 1000)}`;
		const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': text });
		chart.append(svg('title', {}, text),
			svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom }),
			svg('line', { class: 'axis', x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }),
			svg('text', { x: left - 6, y: top + 10, 'text-anchor': 'end' }, decimal(highest)),
			svg('text', { x: left - 6, y: height - bottom, 'text-anchor': 'end' }, '0'),
			svg('text', { x: left, y: height - 6 }, clock.format(new Date(first))),
			svg('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, clock.format(new Date(last))),
			svg('polyline', { class: 'line', points: points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') }));
		figure.append(chart);
		return figure;
	}

	// ---- start

	runButton.addEventListener('click', runPending);
	refreshButton.addEventListener('click', refresh);
	if (body.dataset.problem) {
		say(body.dataset.problem, true);
		return;
	}
	refresh();
})();
