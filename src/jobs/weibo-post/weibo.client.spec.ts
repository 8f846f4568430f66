import { FakeHttpServer } from '../../../test/utils/fake-http-server';
import { OutboundHttpClient } from '../../common/outbound/outbound-http.client';
import { computeSign } from '../../common/signature/sign';
import { loadConfig } from '../../config/configuration';
import { WEIBO_SEND_PATH, WeiboClient, WeiboPostError } from './weibo.client';

const SECRET = '0123456789ABCDEF0123456789ABCDEF01234567';
const message = {
  senderAccountId: 'senderAcct',
  receiverAccountId: 'receiverAc',
  multimediaUrl: 'http://media.example/a.amr',
  callbackUrl: 'http://partner.example/cb?a=1&b=中',
};

function clientFor(env: Record<string, string>): WeiboClient {
  const config = loadConfig({ OUTBOUND_ALLOW_PRIVATE: 'false', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', ...env });
  return new WeiboClient(config, new OutboundHttpClient(config));
}

async function rejection(promise: Promise<unknown>): Promise<WeiboPostError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WeiboPostError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a WeiboPostError');
}

describe('WeiboClient', () => {
  let weibo: FakeHttpServer;
  let client: WeiboClient;

  beforeAll(async () => {
    weibo = await FakeHttpServer.start();
    client = clientFor({ WEIBO_API_URL: `${weibo.baseUrl}/`, WEIBO_APP_KEY: '4444444444', WEIBO_APP_SECRET: SECRET });
  });

  afterAll(() => weibo.close());

  beforeEach(() => weibo.reset(() => ({ status: 200, body: '{"ERRORCODE":"0","RESULT":{"bizid":"b-1"}}' })));

  it('should POST the documented form, signed over the raw values, and return the bizid', async () => {
    await expect(client.sendMultimediaPersonalWeibo(message)).resolves.toEqual({ bizid: 'b-1' });
    const [req] = weibo.requests;
    expect(req.path).toBe(WEIBO_SEND_PATH);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const { sign, ...fields } = req.form;
    expect(fields).toEqual({
      appKey: '4444444444',
      senderAccountID: 'senderAcct',
      receiverAccountID: 'receiverAc',
      multimediaURL: 'http://media.example/a.amr',
      callbackURL: 'http://partner.example/cb?a=1&b=中',
      level: '19',
      interval: '300',
      senderType: '2',
    });
    expect(sign).toBe(computeSign(fields, SECRET));
    expect(req.body.toString()).toContain(`callbackURL=${encodeURIComponent('http://partner.example/cb?a=1&b=中')}`);
  });

  it('should accept a numeric bizid', async () => {
    weibo.reset(() => ({ body: '{"ERRORCODE":"0","RESULT":{"bizid":12345}}' }));
    await expect(client.sendMultimediaPersonalWeibo(message)).resolves.toEqual({ bizid: '12345' });
  });

  it.each([
    [
      'an error code',
      { body: '{"ERRORCODE":"ME01019","RESULT":"sign is not match"}' },
      'weibo service refused: {"ERRORCODE":"ME01019","RESULT":"sign is not match"}',
    ],
    ['no bizid', { body: '{"ERRORCODE":"0","RESULT":{}}' }, 'weibo service refused'],
    ['an empty bizid', { body: '{"ERRORCODE":"0","RESULT":{"bizid":""}}' }, 'weibo service refused'],
    ['no JSON', { body: '<html>busy</html>' }, 'weibo service answered no JSON: <html>busy</html>'],
    ['HTTP 502', { status: 502, body: 'bad gateway' }, 'weibo service answered HTTP 502: bad gateway'],
  ])('should fail, retryably, on %s', async (_name, reply, message_) => {
    weibo.reset(() => reply);
    const err = await rejection(client.sendMultimediaPersonalWeibo(message));
    expect(err.permanent).toBe(false);
    expect(err.message).toContain(message_);
  });

  it('should fail retryably when the service is unreachable', async () => {
    const down = await FakeHttpServer.start();
    const url = down.baseUrl;
    await down.close();
    const err = await rejection(
      clientFor({
        WEIBO_API_URL: url,
        WEIBO_APP_KEY: '4444444444',
        WEIBO_APP_SECRET: SECRET,
      }).sendMultimediaPersonalWeibo(message),
    );
    expect(err.permanent).toBe(false);
    expect(err.message).toContain('weibo service unreachable');
  });

  it('should fail permanently when the Weibo service is not configured', async () => {
    const err = await rejection(
      clientFor({ WEIBO_API_URL: '', WEIBO_APP_KEY: '', WEIBO_APP_SECRET: '' }).sendMultimediaPersonalWeibo(message),
    );
    expect(err.permanent).toBe(true);
  });

  it('should fail permanently when the Weibo host is a refused address', async () => {
    const strict = clientFor({
      OUTBOUND_ALLOWED_HOSTS: '',
      WEIBO_API_URL: weibo.baseUrl,
      WEIBO_APP_KEY: '4444444444',
      WEIBO_APP_SECRET: SECRET,
    });
    const err = await rejection(strict.sendMultimediaPersonalWeibo(message));
    expect(err.permanent).toBe(true);
    expect(weibo.requests).toHaveLength(0);
  });
});
