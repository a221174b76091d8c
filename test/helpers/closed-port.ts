// An address on 127.0.0.1 where nothing listens: bound, then closed, so connecting is refused at once.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** fetch that counts the attempts made through it, by path below the API root. */
export function countingFetch(): { fetch: typeof fetch; attempts: string[] } {
  const attempts: string[] = [];
  return {
    attempts,
    fetch: (input, init) => {
      attempts.push(new URL(input instanceof Request ? input.url : String(input)).pathname.replace(/^\/api\/v3/, ""));
      return fetch(input, init);
    },
  };
}
