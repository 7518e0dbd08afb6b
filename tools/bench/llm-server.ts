/**
 * The scripted OpenAI-compatible server as a process of its own, for the model benchmark, so that the
 * server's CPU is not the pipeline's. `node llm-server.ts '<options JSON>'` prints `{url, stats}` on stdout;
 * `GET <stats>` gives the figures since the last `POST <stats>`: requests answered, most in flight, the
 * longest a freed slot waited for its next request, and TCP connections opened.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { startScriptedServer, type ScriptedServerOptions } from "#llm/scripted-server.ts"

const options = JSON.parse(process.argv[2] ?? "{}") as ScriptedServerOptions
let answered = 0
const server = await startScriptedServer({
  ...options,
  keepLog: false,
  answer: (r, i) => `answer ${i}: ${r.messages.at(-1)!.content.slice(0, 40)} #### 1`,
  onLogged: () => void answered++
})
const stats = createServer((req, res) => {
  if (req.method === "POST") {
    answered = 0
    server.resetFigures()
  }
  res.writeHead(200, { "content-type": "application/json" })
  res.end(JSON.stringify({ answered, maxInFlight: server.maxInFlight(), longestIdleMs: Math.round(server.longestIdleMs()), connections: server.connections(), latencies: server.latencies() }))
})
stats.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ url: server.url, stats: `http://127.0.0.1:${(stats.address() as AddressInfo).port}` }) + "\n")
})
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)))
