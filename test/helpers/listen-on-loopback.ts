// Serves repol's express app on an ephemeral 127.0.0.1 port; closing drains its background work first.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RepolServer } from "../../src/server.js";

export interface Listening {
  url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(app: RepolServer, drainMs = 5_000): Promise<Listening> {
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await app.work.drain(drainMs);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
