import { charCount, isImageUrl, isKeywordList, isText } from './param-rules';

describe('secret-channel param rules', () => {
  it('should count code points, not bytes or UTF-16 units', () => {
    expect(charCount('测试')).toBe(2);
    expect(charCount('a😀b')).toBe(3);
    expect(charCount('')).toBe(0);
  });

  it('should accept printable text with quotes and SQL metacharacters within the length', () => {
    expect(isText("x'; DROP TABLE t;--", 1, 32)).toBe(true);
    expect(isText('😀😀', 2, 2)).toBe(true);
    expect(isText('测'.repeat(16), 2, 16)).toBe(true);
  });

  it('should refuse text that is too short, too long, not a string or holds control characters', () => {
    expect(isText('测', 2, 16)).toBe(false);
    expect(isText('测'.repeat(17), 2, 16)).toBe(false);
    expect(isText(undefined, 0, 16)).toBe(false);
    expect(isText('ab\ncd', 2, 16)).toBe(false);
    expect(isText('ab\u0000', 2, 16)).toBe(false);
    expect(isText('ab\ud800', 2, 16)).toBe(false);
  });

  it('should accept image URLs over http and https whatever the extension case', () => {
    expect(isImageUrl('http://www.daoke.me/logo.png')).toBe(true);
    expect(isImageUrl('https://a.example/b/c.JPEG?v=2')).toBe(true);
    expect(isImageUrl('http://a/b.webp')).toBe(true);
  });

  it('should refuse other schemes, other extensions, spaces and overlong URLs', () => {
    expect(isImageUrl('ftp://a/b.png')).toBe(false);
    expect(isImageUrl('http://a/b.txt')).toBe(false);
    expect(isImageUrl('http://a/b.png.exe')).toBe(false);
    expect(isImageUrl('http://a/b c.png')).toBe(false);
    expect(isImageUrl('logo.png')).toBe(false);
    expect(isImageUrl(`http://a/${'x'.repeat(120)}.png`)).toBe(false);
  });

  it('should accept up to five tags of one to eight characters', () => {
    expect(isKeywordList('aa,bb,cc,cc')).toBe(true);
    expect(isKeywordList('一二三四五六七八,b,c,d,e')).toBe(true);
  });

  it('should refuse six tags, a nine-character tag and empty tags', () => {
    expect(isKeywordList('a,b,c,d,e,f')).toBe(false);
    expect(isKeywordList('abcdefghi')).toBe(false);
    expect(isKeywordList('a,,b')).toBe(false);
    expect(isKeywordList('a,')).toBe(false);
  });
});
