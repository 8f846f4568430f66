import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from './config/configuration';
import { ConsoleSessionService } from './console/console-session.service';
import { documentLiveProbe, mountLiveProbe } from './health/live-probe';
import { mountQueueBoard } from './jobs/queue-monitor/queue-board';

const API_DESCRIPTION = `
Partner routes (\`POST /clientcustom/v2/<name>\`) take \`application/x-www-form-urlencoded\` or \`multipart/form-data\`
and always answer HTTP 200 with \`{"ERRORCODE":"<code>","RESULT":<payload or message>}\`.

**Signature.** Take every parameter except \`sign\` (and file parts), add \`secret\`=<your app secret>, sort the names by
byte order (case-sensitive), concatenate name+value with no separators, and send the uppercase hex SHA-1 of the
UTF-8 bytes as \`sign\`. Example: \`appKey=1111111111&accountID=aaaaaaaaaa&channelNumber=000000001&accessToken=T\`
with secret \`S\` signs the string
\`accessTokenTaccountIDaaaaaaaaaaappKey1111111111channelNumber000000001secretS\` → \`B9FED1695722512CE9CD173C39938136562BD01E\`.

**Token.** Routes acting for an account carry \`accessToken\` (32 letters/digits) issued by \`POST /admin/tokens\`.

Admin routes (\`/admin/...\`) take and return JSON and need \`Authorization: Bearer <ADMIN_TOKEN>\`.
`;

/** Everything that must happen on the app object; shared by main.ts and the e2e tests. */
export function setupApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Every answer is a fresh JSON document no client revalidates: an ETag (a SHA-1 of each body) is waste.
  express.set('etag', false);
  express.set('trust proxy', 'loopback');
  // process.exit once the app has closed, rather than Nest re-raising the signal: the exit lets the logger flush
  // what it buffered during the stop (JsonLogger writes once per event-loop turn), which the signal would drop.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  mountLiveProbe(app);
  const sessions = app.get(ConsoleSessionService);
  mountQueueBoard(app, config, (req) => sessions.boardAccess(req));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Channel service')
      .setDescription(API_DESCRIPTION)
      .setVersion('1')
      .addServer(config.publicBaseUrl)
      .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'admin')
      .build(),
  );
  documentLiveProbe(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
