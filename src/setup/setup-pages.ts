// The setup pages' HTML. Every value is escaped; the manifest travels in a single-quoted attribute,
// where its JSON double quotes are safe and only & ' < > need escaping.

export interface WebhookTarget {
  /** The App's webhook URL. */
  url: string;
  /** True when it is a smee channel that `npm start` relays from (WEBHOOK_PROXY_URL). */
  relayed: boolean;
}

export function registerPage(createAppUrl: string, manifest: Record<string, unknown>, webhook: WebhookTarget): string {
  return page(
    "Register repol as a GitHub App",
    `<p>GitHub will show the App described by <code>app.yml</code>: its name, permissions and events.
    Change the name if <code>repol</code> is taken, then create it. GitHub sends you back here and repol
    writes the App's credentials to <code>.env</code>.</p>
    <form action="${escapeAttribute(createAppUrl)}" method="post">
      <button name="manifest" value='${escapeForSingleQuotes(JSON.stringify(manifest))}'>Register GitHub App</button>
    </form>
    ${webhookAdvice(webhook)}
    <p>Registered the App before? <a href="/probot/import">Use an existing App</a>.</p>`,
  );
}

export function importPage(settingsUrl: string, webhook: WebhookTarget, problem?: string): string {
  return page(
    "Use an existing GitHub App",
    `${problem ? `<p class="problem">${escapeAttribute(problem)}</p>` : ""}
    <h2>1. Webhook URL</h2>
    <p>In <a href="${escapeAttribute(settingsUrl)}">the App's settings</a>, set its Webhook URL to <code>${escapeAttribute(webhook.url)}</code>.</p>
    ${webhook.relayed ? "" : webhookAdvice(webhook)}
    <h2>2. Credentials</h2>
    <form method="post" action="/probot/import">
      <label>App ID <input name="appId" required inputmode="numeric"></label>
      <label>Webhook secret <input name="webhook_secret" type="password" required></label>
      <label>Private key (the .pem file's contents) <textarea name="pem" rows="8" required></textarea></label>
      <button>Save to .env</button>
    </form>`,
  );
}

export function messagePage(title: string, ...paragraphs: string[]): string {
  return page(title, paragraphs.map((text) => `<p>${escapeAttribute(text)}</p>`).join("\n"));
}

/** Where GitHub will send webhooks and, when that is this machine, what to do about it. */
function webhookAdvice({ url, relayed }: WebhookTarget): string {
  if (relayed) {
    return `<p>GitHub will send webhooks to the smee channel <code>${escapeAttribute(url)}</code>; <code>npm start</code> relays them to repol.</p>`;
  }
  return `<p class="problem">The App's Webhook URL will be <code>${escapeAttribute(url)}</code>, repol's webhook route on this
    machine, which GitHub cannot reach. After registering, either make a channel at <a href="https://smee.io/new">smee.io</a>,
    put it in <code>.env</code> as <code>WEBHOOK_PROXY_URL</code> and set it as the App's Webhook URL (see
    docs/local-development.md), or, once repol runs where GitHub can reach it, set the Webhook URL to
    <code>https://&lt;your host&gt;/api/github/webhooks</code>.</p>`;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeAttribute(title)} | repol</title>
  <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;line-height:1.5}
  label{display:block;margin:.75rem 0}input,textarea{display:block;width:100%}.problem{border-left:4px solid #d29922;padding-left:.75rem}</style>
</head>
<body>
  <h1>${escapeAttribute(title)}</h1>
  ${body}
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return escapeForSingleQuotes(text).replace(/"/g, "&quot;");
}

function escapeForSingleQuotes(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#39;");
}
