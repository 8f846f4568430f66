import { createHash } from 'node:crypto';
import { FakeHttpServer } from '../../../test/utils/fake-http-server';
import { OutboundHttpClient } from '../../common/outbound/outbound-http.client';
import { computeSign, signedForm } from '../../common/signature/sign';
import { loadConfig } from '../../config/configuration';
import { PartnerCallbackClient, PartnerCallbackError, PartnerCallbackFields } from './partner-callback.client';

const SECRET = 'FEDCBA9876543210FEDCBA9876543210FEDCBA98';
const fields: PartnerCallbackFields = {
  invitationID: '42',
  senderAccountID: 'senderAcct',
  receiverAccountID: 'receiverAc',
  tempChannelID: '012345',
  acceptTime: '1795313514',
  appKey: '1111111111',
};

async function rejection(promise: Promise<unknown>): Promise<PartnerCallbackError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PartnerCallbackError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a PartnerCallbackError');
}

describe('PartnerCallbackClient', () => {
  let partner: FakeHttpServer;
  const config = loadConfig({ OUTBOUND_ALLOW_PRIVATE: 'false', OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
  const client = new PartnerCallbackClient(new OutboundHttpClient(config));

  beforeAll(async () => {
    partner = await FakeHttpServer.start();
  });

  afterAll(() => partner.close());

  beforeEach(() => partner.reset(() => ({ status: 200, body: 'ok' })));

  it('should sign exactly the six fields with the given secret, as API.md 3.1 describes', () => {
    const signed = signedForm({ ...fields }, SECRET);
    // Names in byte order: "secret" sorts before "senderAccountID".
    const text = `acceptTime${fields.acceptTime}appKey${fields.appKey}invitationID42receiverAccountIDreceiverAcsecret${SECRET}senderAccountIDsenderAccttempChannelID012345`;
    const expected = createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();
    expect(signed.sign).toBe(expected);
    expect(signed.sign).toBe(computeSign({ ...fields }, SECRET));
  });

  it('should POST the signed form to the callback URL with its query string kept', async () => {
    await expect(
      client.send(`${partner.baseUrl}/cb?inviteAccountID=anjiklmkin&x=%E4%B8%AD`, fields, SECRET),
    ).resolves.toEqual({ httpStatus: 200 });
    const [req] = partner.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/cb');
    expect(req.query).toBe('inviteAccountID=anjiklmkin&x=%E4%B8%AD');
    expect(req.form).toEqual({ ...fields, sign: computeSign({ ...fields }, SECRET) });
  });

  it('should take any 2xx as delivered', async () => {
    partner.reset(() => ({ status: 204 }));
    await expect(client.send(`${partner.baseUrl}/cb`, fields, SECRET)).resolves.toEqual({ httpStatus: 204 });
  });

  it.each([301, 400, 404, 500, 503])(
    'should fail retryably on HTTP %i, without following redirects',
    async (status) => {
      partner.reset(() => ({ status, headers: status === 301 ? { Location: '/elsewhere' } : undefined }));
      const err = await rejection(client.send(`${partner.baseUrl}/cb`, fields, SECRET));
      expect(err.permanent).toBe(false);
      expect(err.message).toBe(`callback answered HTTP ${status}`);
      expect(partner.requests).toHaveLength(1);
    },
  );

  it('should fail permanently for a callback URL on a refused address', async () => {
    const err = await rejection(client.send('http://169.254.169.254/cb', fields, SECRET));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('metadata');
  });
});
