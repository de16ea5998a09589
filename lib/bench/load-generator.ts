// The load generator of the gate's rounds (gate.ts measure()), in a process of its own: the bench's
// process holds what its other parts left (10,000 statuses in the scale part), and its garbage
// collector's pauses would be counted as the app's latency. Fresh and small, this one only sends.
//
// Protocol (stdin/stdout, one line each): argv[2] is the round as JSON ({ target, seconds, rate });
// it warms its connections for one second, prints "ready", waits for a line on stdin, runs the
// round, and prints the result as one line of JSON.
import http from "node:http";
import readline from "node:readline";
import { run, type Target } from "./gate";

const { target, seconds, rate } = JSON.parse(process.argv[2]!) as { target: Target; seconds: number; rate: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

async function main() {
  await run(agent, target, 1, rate);
  process.stdout.write("ready\n");
  const lines = readline.createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once("line", () => resolve()));
  lines.close();
  const result = await run(agent, target, seconds, rate);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  agent.destroy();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
