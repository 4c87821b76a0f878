// Raw baseline: the cheapest useful Fastify endpoint, with no logging, hooks or
// Nest, in its own process so that it does not share a core with the load generator.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
process.send({ port: app.server.address().port });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
