// The webhook route's answers: a status and a small JSON object, written straight onto the response.
// express's res.json would also hash every answer for an ETag (nothing caches a webhook answer) and
// walk its content-type and charset machinery, work that showed in the intake's CPU profile.
import type { ServerResponse } from "node:http";

export interface AnswerOptions {
  /** Closes the connection after the answer (a body left unread, a server going away). */
  close?: boolean;
}

/** Answers `status` with `body` as JSON, with the same headers express's res.json sets bar the ETag. */
export function answerJson(res: ServerResponse, status: number, body: object, options: AnswerOptions = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  if (options.close) res.setHeader("connection", "close");
  res.end(text);
}
