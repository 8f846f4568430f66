import { isHttpUrl } from './http-url.validator';

describe('isHttpUrl', () => {
  it.each([
    'http://example.com/a.amr',
    'https://example.com:8443/a.amr?x=1&y=2',
    'HTTP://EXAMPLE.COM/',
    'http://192.168.11.159:80/inviteToTempChannelCallback?inviteAccountID=anjiklmkin&inviteTempChannelID=12349',
    'http://[::1]:8080/cb',
    'http://host/%E4%BD%A0?q=%20',
    'http://例子.测试/语音.amr',
  ])('should accept %s', (url) => {
    expect(isHttpUrl(url, 512)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['ftp://example.com/a', 'another scheme'],
    ['javascript:alert(1)', 'no authority'],
    ['http:example.com', 'no slashes'],
    ['//example.com/a', 'no scheme'],
    ['http://', 'no host'],
    ['http://exa mple.com/', 'a space'],
    ['http://example.com/a\nb', 'a newline'],
    ['http://example.com/\u0000', 'a control character'],
    [' http://example.com/', 'leading whitespace'],
  ])('should refuse %j (%s)', (url) => {
    expect(isHttpUrl(url, 512)).toBe(false);
  });

  it('should count the length limit in characters', () => {
    const base = 'http://example.com/';
    expect(isHttpUrl(base + 'a'.repeat(512 - base.length), 512)).toBe(true);
    expect(isHttpUrl(base + 'a'.repeat(513 - base.length), 512)).toBe(false);
  });

  it('should refuse non-strings', () => {
    expect(isHttpUrl(42, 512)).toBe(false);
    expect(isHttpUrl(undefined, 512)).toBe(false);
  });
});
