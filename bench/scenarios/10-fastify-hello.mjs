import { httpLoadSettings, httpRows, measureHttp } from '../lib/http-load.mjs';

/** Raw baseline: bare Fastify answering a constant JSON body. */
export const scenario = {
  name: 'fastify-hello',
  description: 'bare Fastify, GET /hello returning a constant JSON body',
  isBaseline: true,
  quick: true,
  async run(ctx) {
    const server = await ctx.startNode(
      'fastify-hello',
      new URL('../servers/fastify-hello.mjs', import.meta.url).pathname,
      { ipc: true },
    );
    const load = await measureHttp(`http://127.0.0.1:${server.ready.port}/hello`, {
      ...httpLoadSettings(ctx),
      serverPid: server.pid,
    });
    return httpRows(load);
  },
};
