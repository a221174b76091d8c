// The one line repol logs once it listens: where it listens, where GitHub must send webhooks, and
// whether the audit API is on, so a new user sees at once what to configure next.

export interface StartFacts {
  /** The address the server is bound to, as the socket reports it (0.0.0.0, ::, 127.0.0.1...). */
  address: string;
  port: number;
  webhookPath: string;
  /** Where the relay from a smee channel (WEBHOOK_PROXY_URL) posts deliveries; null without one. */
  relayTarget: string | null;
  auditApiEnabled: boolean;
}

export function startLine({ address, port, webhookPath, relayTarget, auditApiEnabled }: StartFacts): string {
  const shown = address.includes(":") ? `[${address}]` : address;
  const listening = `http://${shown}:${port}`;
  const wildcard = address === "0.0.0.0" || address === "::";
  const webhooks = relayTarget
    ? `webhooks arrive through the smee channel in WEBHOOK_PROXY_URL, relayed to ${relayTarget}`
    : wildcard
      ? `GitHub must send webhooks to https://<this server's public host>${webhookPath} (the App's Webhook URL; this port: ${port})`
      : `GitHub must send webhooks to ${listening}${webhookPath} (the App's Webhook URL)`;
  const audit = auditApiEnabled
    ? "audit API on (/audit, /evaluate with AUDIT_API_TOKEN)"
    : "audit API off (set AUDIT_API_TOKEN to enable /audit and /evaluate)";
  return `repol listening on ${listening}; ${webhooks}; ${audit}`;
}
