/** The machine's ceiling: node:http answering constant JSON, no framework. Port from argv[2]. */
import { createServer } from 'node:http';

const body = JSON.stringify({ ERRORCODE: '0', RESULT: 'ok' });
createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.argv[2]), '127.0.0.1');
