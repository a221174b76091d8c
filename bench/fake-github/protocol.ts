// Messages between the bench and the fake GitHub process.
import type { Answer } from "./rest-routes.js";

export type ToFakeGitHub = { type: "take-counts"; id: number };

export type FromFakeGitHub =
  | { type: "listening"; port: number }
  | { type: "answer"; answer: Answer }
  /** Requests answered since the previous take, by route ("GET /repos/{owner}/{repo}/pulls/{pull_number}"). */
  | { type: "counts"; id: number; counts: Record<string, number> };
