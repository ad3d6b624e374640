// The yardstick: a bare Fastify server, same version as Proofdrop's, with a JSON POST and a GET route.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/json', async () => ({ ok: true, code: 'recorded', message: 'counted' }));
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.send?.('ready');
