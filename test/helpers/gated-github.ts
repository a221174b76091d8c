// The fake GitHub of fake-github.ts, plus gates: a test can hold a request open (GitHub slow or
// hanging) and release it later, to stop or kill repol in the middle of a call.
import { fakeGitHub, type FakeGitHub } from "./fake-github.js";
import type { GitHubRequest, Route } from "./github-router.js";

export interface Hold {
  /** Resolves when a matching request has arrived and is being held. */
  arrived: Promise<GitHubRequest>;
  /**
   * Resolves when the client of the held request has closed its connection (killed, or gave up). A
   * process exit is seen before its sockets close: wait for this before releasing, or the reply races it.
   */
  gone: Promise<void>;
  /** Lets the held request (and any later one) be answered. */
  release(): void;
}

export interface GatedGitHub extends FakeGitHub {
  /** Holds every request matching method and path until released. */
  hold(method: string, path: RegExp): Hold;
  /** Requests that arrived, including held ones that were never answered. */
  readonly arrivals: GitHubRequest[];
}

export async function gatedGitHub(routes: Route[] = []): Promise<GatedGitHub> {
  const holds: { method: string; path: RegExp; arrived: (request: GitHubRequest, gone: Promise<void>) => void; released: Promise<void> }[] = [];
  const arrivals: GitHubRequest[] = [];
  const github = await fakeGitHub(routes, {
    async beforeReply(request, gone) {
      arrivals.push(request);
      for (const hold of holds.filter((h) => h.method === request.method && h.path.test(request.path))) {
        hold.arrived(request, gone);
        await hold.released;
      }
    },
  });
  const closeServer = github.close;
  return Object.assign(github, {
    arrivals,
    hold(method: string, path: RegExp): Hold {
      let arrived!: (request: GitHubRequest) => void;
      let heldGone!: (gone: Promise<void>) => void;
      let release!: () => void;
      const hold = {
        method,
        path,
        arrived: (request: GitHubRequest, gone: Promise<void>) => {
          arrived(request);
          heldGone(gone);
        },
        released: new Promise<void>((resolve) => (release = resolve)),
      };
      const arrival = new Promise<GitHubRequest>((resolve) => (arrived = resolve));
      const gone = new Promise<Promise<void>>((resolve) => (heldGone = resolve)).then((closed) => closed);
      holds.push(hold);
      return {
        arrived: arrival,
        gone,
        release: () => {
          const at = holds.indexOf(hold);
          if (at >= 0) holds.splice(at, 1);
          release();
        },
      };
    },
    close: () => {
      holds.length = 0;
      return closeServer();
    },
  });
}
