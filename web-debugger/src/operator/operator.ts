/**
 * The operator view at the top of /debugger/ (issue 30): sign in with an API key, which the
 * server exchanges for an HttpOnly session cookie (POST /v1/session) — the key leaves the page
 * with that one request and is never kept — then every recording that key may see. Signing out
 * ends the session on the server (DELETE /v1/session). A page opened on one recording
 * (`?recording=`) shows only the way back to the list.
 */
import { el } from '../dom.ts';
import { api, ApiFailure, describeFailure } from './api.ts';
import { recordingList, type RecordingList } from './recording-list.ts';
import type { Caller } from './types.ts';

const root = document.getElementById('operator');

const mountOperator = (section: HTMLElement) => {
  const onRecording = new URLSearchParams(location.search).has('recording');
  const notice = el('p', { class: 'operator-notice', role: 'status', 'aria-live': 'polite' });
  const heading = el('h2', { id: 'operator-title' }, 'Recordings');
  let list: RecordingList | null = null;

  const signInForm = () => {
    const input = el('input', {
      id: 'api-key',
      name: 'apiKey',
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      required: '',
      placeholder: 'rt_…',
      'aria-describedby': 'api-key-help',
    }) as HTMLInputElement;
    const submit = el('button', { type: 'submit', class: 'button primary' }, 'Sign in') as HTMLButtonElement;
    const form = el(
      'form',
      { id: 'sign-in', class: 'sign-in', 'aria-labelledby': 'operator-title' },
      el('label', { for: 'api-key' }, 'API key'),
      input,
      submit,
      el('p', { id: 'api-key-help', class: 'help' }, 'The key is exchanged for a session cookie and not kept by this page. Signing out ends the session.'),
    ) as HTMLFormElement;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit.disabled = true;
      const apiKey = input.value.trim();
      input.value = '';
      api<{ caller: Caller }>('session', { method: 'POST', body: { apiKey } })
        .then(({ caller }) => showSignedIn(caller))
        .catch((error: unknown) => {
          notice.replaceChildren(el('span', { class: 'error', role: 'alert' }, `Sign-in refused: ${describeFailure(error)}`));
          input.focus();
        })
        .finally(() => (submit.disabled = false));
    });
    return form;
  };

  const showSignedOut = (message = '') => {
    list?.destroy();
    list = null;
    section.dataset.signedIn = 'false';
    notice.textContent = message;
    section.replaceChildren(heading, onRecording ? el('a', { href: './', class: 'button' }, 'Sign in to see all recordings') : signInForm(), notice);
  };

  const showSignedIn = (caller: Caller) => {
    list?.destroy();
    section.dataset.signedIn = 'true';
    section.dataset.scope = caller.scope;
    const signOut = el('button', { type: 'button', class: 'button', id: 'sign-out' }, 'Sign out') as HTMLButtonElement;
    signOut.addEventListener('click', () => {
      signOut.disabled = true;
      api('session', { method: 'DELETE' })
        .catch(() => undefined) // an ended session is signed out already
        .finally(() => showSignedOut('Signed out.'));
    });
    const who = el('p', { class: 'who' }, 'Signed in as ', el('strong', {}, caller.name), ` (${caller.scope})`);
    const bar = el('div', { class: 'operator-bar' }, who, ...(onRecording ? [el('a', { href: './', class: 'button' }, '← All recordings')] : []), signOut);
    notice.textContent = '';
    if (onRecording) {
      list = null;
      section.replaceChildren(bar, notice);
      return;
    }
    list = recordingList(
      caller,
      (text) => (notice.textContent = text),
      (message) => showSignedOut(message),
    );
    section.replaceChildren(heading, bar, notice, list.element);
  };

  api<{ caller: Caller }>('session')
    .then(({ caller }) => showSignedIn(caller))
    .catch((error: unknown) => showSignedOut(error instanceof ApiFailure && error.status === 401 ? '' : describeFailure(error)));
};

if (root) mountOperator(root);
