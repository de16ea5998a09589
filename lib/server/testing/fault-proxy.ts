// A fault-injecting TCP proxy for the fault experiments: the app connects to PostgreSQL through
// it, and a test turns faults on and off while the app is under load.
//  - blackHole(): packets vanish. Nothing is forwarded either way and nothing is closed or reset,
//    so each side sees a silent peer; bytes sent meanwhile wait in the kernel, as TCP would
//    retransmit them, and arrive when the partition heals. New connections are accepted and
//    held the same way (their SYN is answered by the proxy's kernel, their first bytes are not).
//  - latency(ms): each chunk is held ms/2 in each direction, ms per round trip.
//  - reset(): every open connection is reset (RST) at once; new ones work.
//  - heal(): back to a clean link.
// Toxiproxy does the same as a separate Go server; this keeps the tests to one process and no
// extra install.
import net from "node:net";

type Pair = { client: net.Socket; upstream: net.Socket };

export type FaultProxy = {
  port: number;
  /** The URL of `target` with its host and port replaced by the proxy's. */
  url: string;
  blackHole(): void;
  latency(ms: number): void;
  reset(): void;
  heal(): void;
  /** Connections open through the proxy now. */
  open(): number;
  close(): Promise<void>;
};

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5432);
  const pairs = new Set<Pair>();
  let holding = false;
  let delayMs = 0;

  const pipe = (from: net.Socket, to: net.Socket) => {
    from.on("data", (chunk) => {
      if (delayMs > 0) {
        // Keep order: pause reading until this chunk is written.
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          if (!holding) from.resume();
        }, delayMs / 2);
      } else if (!to.destroyed) to.write(chunk);
    });
    from.on("end", () => to.end());
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, target.hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    pipe(client, upstream);
    pipe(upstream, client);
    if (holding) {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  const each = (fn: (s: net.Socket) => void) => {
    for (const p of pairs) {
      fn(p.client);
      fn(p.upstream);
    }
  };
  return {
    port,
    url: url.toString(),
    blackHole() {
      holding = true;
      each((s) => s.pause());
    },
    latency(ms) {
      delayMs = ms;
    },
    reset() {
      for (const p of [...pairs]) {
        p.client.resetAndDestroy();
        p.upstream.resetAndDestroy();
        pairs.delete(p);
      }
    },
    heal() {
      holding = false;
      delayMs = 0;
      each((s) => s.resume());
    },
    open: () => pairs.size,
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
