// The distributed read's ceiling: bare Fastify forwarding every request to one upstream with
// @fastify/reply-from (its default undici pool), nothing else: no logger, no auth, no rate limit.
// Started as its own process by the bench: `proxy.ts <port> <upstream URL>`.
import Fastify from 'fastify';
import replyFrom from '@fastify/reply-from';

const [port, upstream] = process.argv.slice(2);
if (upstream === undefined) throw new Error('usage: proxy.ts <port> <upstream URL>');
const app = Fastify({ logger: false });
await app.register(replyFrom, { base: upstream });
app.all('/*', (request, reply) => reply.from(request.url));
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stderr.write(`Proxy to ${upstream} is running\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
