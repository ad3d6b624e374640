import { ARTICLES, type User } from './store.js';

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Every page loads this: it keeps the giveaway's track_id for the visit and sends it with every form. */
const PROOFDROP_SCRIPT = `<script type="module">
  import { addTrackIdField, captureTrackId } from '/proofdrop-browser.js';
  // Proofdrop: a participant arrives from the giveaway with ?track_id=…&send=…; keep it for the whole
  // visit, whichever page they land on and wherever the shop sends them next.
  captureTrackId();
  // Proofdrop: the callback is signed on the server (the API key must stay secret), so each form
  // carries the track_id to the server in a hidden field.
  for (const form of document.forms) addTrackIdField(form);
</script>`;

export function layout(title: string, user: User | undefined, body: string, notice?: string): string {
  const account = user
    ? `<span>Signed in as ${html(user.email)}</span>
       <form method="post" action="/logout"><button>Sign out</button></form>`
    : `<a href="/signup">Sign up</a> <a href="/login">Log in</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)} · Example Shop</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  header, nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
  header { justify-content: space-between; border-bottom: 1px solid #d0d7de; padding-bottom: .5rem; }
  form { display: inline; }
  article { border: 1px solid #d0d7de; border-radius: 8px; padding: .75rem 1rem; margin: .75rem 0; }
  label { display: block; margin: .5rem 0; }
  .stack form, form.stack { display: block; }
  .notice { background: #ddf4ff; border-radius: 8px; padding: .5rem 1rem; }
  button { font: inherit; padding: .25rem .75rem; cursor: pointer; }
</style>
</head>
<body>
<header>
  <nav aria-label="Shop"><strong>☕ Example Shop</strong> <a href="/">Articles</a> <a href="/deposit">Deposit</a></nav>
  <nav aria-label="Account">${account}</nav>
</header>
<main>
${notice ? `<p class="notice" role="status">${html(notice)}</p>` : ''}
<h1>${html(title)}</h1>
${body}
</main>
${PROOFDROP_SCRIPT}
</body>
</html>`;
}

export function articlesPage(user: User | undefined, notice?: string): string {
  const articles = ARTICLES.map((article) => {
    const action = !user
      ? '<a href="/signup">Sign up to like articles</a>'
      : user.liked.has(article.id)
        ? '<button disabled>Liked</button>'
        : `<form method="post" action="/articles/${article.id}/like"><button>Like</button></form>`;
    return `<article aria-labelledby="${article.id}">
  <h2 id="${article.id}">${html(article.title)}</h2>
  <p>${html(article.teaser)}</p>
  ${action}
</article>`;
  }).join('\n');
  return layout('Articles', user, articles, notice);
}

export function signUpPage(error?: string): string {
  return layout(
    'Create your account',
    undefined,
    `${error ? `<p role="alert">${html(error)}</p>` : ''}
<form method="post" action="/signup" class="stack">
  <label>Email <input name="email" type="email" autocomplete="email" required></label>
  <label>Password <input name="password" type="password" autocomplete="new-password" minlength="8" required></label>
  <button>Sign up</button>
</form>`,
  );
}

export function logInPage(error?: string): string {
  return layout(
    'Log in',
    undefined,
    `${error ? `<p role="alert">${html(error)}</p>` : ''}
<form method="post" action="/login" class="stack">
  <label>Email <input name="email" type="email" autocomplete="email" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button>Log in</button>
</form>`,
  );
}

export function depositPage(user: User | undefined, notice?: string): string {
  const body = user
    ? `<form method="post" action="/deposit" class="stack">
  <label>Amount (EUR) <input name="amount" type="number" min="1" max="10000" value="10" required></label>
  <button>Deposit</button>
</form>`
    : '<p><a href="/signup">Sign up</a> to make a deposit.</p>';
  return layout('Deposit', user, body, notice);
}

export function notFoundPage(user: User | undefined): string {
  return layout('Not found', user, '<p>There is no such page. <a href="/">Back to the articles</a>.</p>');
}
