import net from "node:net";

// A TCP proxy in front of PostgreSQL or Redis that can go silent: while frozen it accepts connections and reads
// what either side sends but passes nothing on (a hung server, or a network that drops packets without resets);
// thawed, it delivers everything it held, in order, closes included, and carries on. It can also refuse: every
// open connection is dropped and the port refuses new ones (a stopped or restarting server) until it accepts.

export interface FreezeProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  /** Drops every connection and stops listening: connecting is refused (ECONNREFUSED). */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

export async function startFreezeProxy(target: { host: string; port: number }): Promise<FreezeProxy> {
  let frozen = false;
  /** What arrived while frozen, in order: data to write, or a socket to close. */
  let held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();

  const later = (action: () => void) => (frozen ? held.push(action) : action());

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    const pass = (from: net.Socket, to: net.Socket) => {
      from.on("data", (chunk) => later(() => to.write(chunk)));
      from.on("close", () => later(() => to.destroy()));
    };
    pass(client, upstream);
    pass(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  let listening = true;

  return {
    port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      const pending = held;
      held = [];
      for (const action of pending) action();
    },
    refuse: async () => {
      if (!listening) return;
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    accept: async () => {
      if (listening) return;
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          server.off("error", reject);
          resolve();
        });
      });
      listening = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      listening = false;
    },
  };
}
