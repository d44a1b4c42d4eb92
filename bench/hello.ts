// The ceiling: raw Fastify answering a constant, nothing else. Started as its own process by the bench (lib.ts startScript).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const port = Number(process.argv[2] ?? 0);
await app.listen({ host: '127.0.0.1', port });
process.stderr.write('Timeslot is running (hello-world baseline)\n');
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
