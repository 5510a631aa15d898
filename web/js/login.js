// login.js - staff sign-in: POST /api/v1/login sets the session cookie;
// then on to the page asked for (only a staff page: no open redirect).
import { api } from './api.js';
import { $, say, param } from './dom.js';

$('#login').addEventListener('submit', async (ev) => {
	ev.preventDefault();
	const f = ev.target;
	if (!f.username.value || !f.password.value) {
		say('Give your user name and password.', 'error');
		(f.username.value ? f.password : f.username).focus();
		return;
	}
	try {
		await api('POST', '/api/v1/login', { json: { username: f.username.value, password: f.password.value } });
		const next = param('next') || '';
		location.assign(/^\/staff\/[^/]/.test(next) && !next.startsWith('//') ? next : '/staff/');
	} catch (e) {
		f.password.value = '';
		say(e.status === 401 ? 'The user name or password is wrong.' : e.message, 'error');
		f.password.focus();
	}
});
