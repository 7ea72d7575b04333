import Fastify from "fastify";

// The ceiling for page benchmarks: a bare Fastify route sending a static
// HTML page of a requested size, with nothing computed per request.
const app = Fastify({ logger: false });
const pages = new Map<number, string>();

app.get<{ Params: { bytes: string } }>("/bytes/:bytes", async (request, reply) => {
  const bytes = Math.min(Number(request.params.bytes) || 0, 5_000_000);
  let page = pages.get(bytes);
  if (!page) {
    page = `<!doctype html><p>${"x".repeat(Math.max(0, bytes - 18))}</p>`;
    pages.set(bytes, page);
  }

  return reply.type("text/html; charset=utf-8").send(page);
});

await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
