import { computeSign, safeEqual } from './sign';

describe('computeSign', () => {
  it('should give the worked example of API.md 3.1', () => {
    const params = { appKey: '1111111111', accountID: 'aaaaaaaaaa', channelNumber: '000000001', accessToken: 'T' };
    expect(computeSign(params, 'S')).toBe('B9FED1695722512CE9CD173C39938136562BD01E');
  });

  it('should ignore a sign parameter and the order of the parameters', () => {
    const a = computeSign({ b: '2', a: '1', sign: 'X' }, 'S');
    const b = computeSign({ a: '1', b: '2' }, 'S');
    expect(a).toBe(b);
  });

  it('should sort names by byte order, uppercase before lowercase', () => {
    // "Zeta" < "alpha" in byte order, so the string is "Zeta1alpha2secretS".
    const expected = require('node:crypto').createHash('sha1').update('Zeta1alpha2secretS').digest('hex').toUpperCase();
    expect(computeSign({ alpha: '2', Zeta: '1' }, 'S')).toBe(expected);
  });

  it('should hash the UTF-8 bytes of Chinese text and keep empty values', () => {
    const expected = require('node:crypto')
      .createHash('sha1')
      .update(Buffer.from('channelName测试测试checkRemarksecretS', 'utf8'))
      .digest('hex')
      .toUpperCase();
    expect(computeSign({ channelName: '测试测试', checkRemark: '' }, 'S')).toBe(expected);
  });
});

describe('safeEqual', () => {
  it('should compare equal strings as equal and differing ones of any length as different', () => {
    expect(safeEqual('ABC', 'ABC')).toBe(true);
    expect(safeEqual('ABC', 'ABD')).toBe(false);
    expect(safeEqual('ABC', 'ABCD')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
