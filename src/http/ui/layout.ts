// The frame of every /ui page: one stylesheet served by repol, navigation, and sign-out as a form
// (a state change is never a link a third-party page could trigger).
import type { Response } from "express";
import { html, type Html } from "./html.js";
import { STYLESHEET_PATH } from "./stylesheet.js";

export interface PageOptions {
  title: string;
  /** False on pages shown before signing in. */
  signedIn?: boolean;
}

export function page({ title, signedIn = true }: PageOptions, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · repol audit</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<header class="top">
  <a class="brand" href="/ui">repol audit</a>
  ${
    signedIn &&
    html`<nav><a href="/ui">Overview</a><a href="/ui/decisions">Decisions</a></nav>
  <form method="post" action="/ui/sign-out" class="sign-out"><button type="submit">Sign out</button></form>`
  }
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

export function sendPage(res: Response, status: number, options: PageOptions, body: Html): void {
  res.status(status).type("html").send(page(options, body).text);
}

/** A page that only explains something went wrong (not found, bad filter, disabled). */
export function sendMessage(res: Response, status: number, title: string, message: string, signedIn = true): void {
  sendPage(res, status, { title, signedIn }, html`<p class="message">${message}</p>`);
}
