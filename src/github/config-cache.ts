// `.repol` files per repository, kept between events so an unchanged config costs no REST call.
//
// Invalidation: no webhook repol receives carries the default branch's head commit, so the file is
// revalidated with its ETag instead. Within a short freshness window (GitHub's own max-age, capped
// at FRESH_MS) the copy is used without asking; after it, a conditional request is made and GitHub
// answers 304, which does not count against the rate limit. A commit to `.repol/` on the default
// branch is therefore seen by every event from at most FRESH_MS later. Only answers GitHub gave a
// validator for are kept (a copy that cannot be revalidated is never trusted), and failures, missing
// files and oversized files are never kept.
import { MAX_CONFIG_BYTES } from "../policy/config-limits.js";
import type { GitHub, RepoRef } from "./github-client.js";
import { readConfigFileIfChanged, type ConfigFile } from "./read-config-file.js";

/** Long enough to absorb a burst (a push and a review together, many deployments of one repository). */
export const FRESH_MS = 10_000;

export interface ConfigCacheOptions {
  /** Upper bound of the freshness window; GitHub's Cache-Control max-age can only shorten it. */
  freshMs?: number;
  maxEntries?: number;
  /** Upper bound of the bytes of file content held. */
  maxBytes?: number;
  now?: () => number;
}

export interface ConfigCache {
  /** The file on `branch`, as readConfigFile would return it. */
  read(github: GitHub, repo: RepoRef, path: string, branch: string): Promise<ConfigFile | null>;
  readonly size: number;
  clear(): void;
}

interface Entry {
  file: ConfigFile;
  etag: string;
  maxAgeMs: number;
  freshUntil: number;
  bytes: number;
}

export function createConfigCache({ freshMs = FRESH_MS, maxEntries = 2_000, maxBytes = 32 * 2 ** 20, now = Date.now }: ConfigCacheOptions = {}): ConfigCache {
  // A Map iterates in insertion order; re-inserting on use makes its first key the least recently used.
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<ConfigFile | null>>();
  let bytes = 0;

  const forget = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const keep = (key: string, entry: Entry) => {
    forget(key);
    entries.set(key, entry);
    bytes += entry.bytes;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      forget(oldest);
    }
  };
  const freshFor = (maxAgeMs: number) => now() + Math.min(maxAgeMs, freshMs);

  async function revalidate(key: string, github: GitHub, repo: RepoRef, path: string, branch: string): Promise<ConfigFile | null> {
    const cached = entries.get(key);
    const read = await readConfigFileIfChanged(github, repo, path, branch, cached?.etag);
    if (read.kind === "unchanged" && cached) {
      keep(key, { ...cached, freshUntil: freshFor(cached.maxAgeMs) });
      return copy(cached.file);
    }
    if (read.kind !== "found") {
      forget(key);
      return null;
    }
    const size = typeof read.file.text === "string" ? Buffer.byteLength(read.file.text) : read.file.text.byteLength;
    if (read.etag === null || size > MAX_CONFIG_BYTES) {
      forget(key);
    } else {
      const maxAgeMs = (read.maxAgeSeconds ?? 0) * 1000;
      keep(key, { file: read.file, etag: read.etag, maxAgeMs, freshUntil: freshFor(maxAgeMs), bytes: size });
    }
    return copy(read.file);
  }

  return {
    async read(github, repo, path, branch) {
      const key = cacheKey(github, repo, path, branch);
      const entry = entries.get(key);
      if (entry && now() < entry.freshUntil) {
        keep(key, entry);
        return copy(entry.file);
      }
      // Events arriving together share one request instead of each asking GitHub.
      const pending = inFlight.get(key);
      if (pending) return copy(await pending);
      const request = revalidate(key, github, repo, path, branch).finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}

// The API host is part of the key: one process could be pointed at GitHub and at a test server.
function cacheKey(github: GitHub, repo: RepoRef, path: string, branch: string): string {
  const baseUrl = String(github.request.endpoint.DEFAULTS.baseUrl ?? "");
  // Owner and repository names are case-insensitive on GitHub; branch names and paths are not.
  return JSON.stringify([baseUrl, repo.owner.toLowerCase(), repo.repo.toLowerCase(), branch, path]);
}

function copy(file: ConfigFile | null): ConfigFile | null {
  return file === null ? null : { ...file };
}
