import { isKeyWords, isLogoUrl, isText } from './micro-channel.validators';

describe('micro-channel validators', () => {
  describe('isText', () => {
    it('should count characters, not bytes or UTF-16 units', () => {
      expect(isText('交通', 2, 2)).toBe(true);
      expect(isText('名'.repeat(16), 2, 16)).toBe(true);
      expect(isText('名'.repeat(17), 2, 16)).toBe(false);
      expect(isText('🚗🚕', 2, 2)).toBe(true);
    });

    it('should treat quotes and SQL metacharacters as data', () => {
      expect(isText("it's %_;--", 1, 16)).toBe(true);
    });

    it('should refuse control characters, blanks and non-strings', () => {
      expect(isText('a\nb', 1, 16)).toBe(false);
      expect(isText('a\u0000b', 1, 16)).toBe(false);
      expect(isText('   ', 2, 16)).toBe(false);
      expect(isText(12, 1, 16)).toBe(false);
      expect(isText(undefined, 0, 16)).toBe(false);
    });

    it('should allow the empty string only when the minimum is 0', () => {
      expect(isText('', 0, 64)).toBe(true);
      expect(isText('', 1, 64)).toBe(false);
    });
  });

  describe('isKeyWords', () => {
    it('should accept up to five tags of one to eight characters', () => {
      expect(isKeyWords('路况')).toBe(true);
      expect(isKeyWords('a,b,c,d,e')).toBe(true);
      expect(isKeyWords('八个字的关键词汇')).toBe(true);
    });

    it('should refuse six tags, long tags and empty tags', () => {
      expect(isKeyWords('a,b,c,d,e,f')).toBe(false);
      expect(isKeyWords('九个字的关键词汇啊')).toBe(false);
      expect(isKeyWords('a,,b')).toBe(false);
      expect(isKeyWords('a,')).toBe(false);
    });
  });

  describe('isLogoUrl', () => {
    it('should accept http and https image URLs in any case', () => {
      expect(isLogoUrl('http://img.example.com/a.png')).toBe(true);
      expect(isLogoUrl('https://img.example.com/a/B.JPEG')).toBe(true);
      expect(isLogoUrl('https://img.example.com/a.webp?size=2')).toBe(true);
    });

    it('should refuse other schemes, other extensions and URLs over 128 characters', () => {
      expect(isLogoUrl('ftp://img.example.com/a.png')).toBe(false);
      expect(isLogoUrl('http://img.example.com/a.png.exe')).toBe(false);
      expect(isLogoUrl('http://img.example.com/a.txt?x=.png')).toBe(false);
      expect(isLogoUrl('not a url.png')).toBe(false);
      expect(isLogoUrl(`http://img.example.com/${'a'.repeat(102)}.png`)).toBe(false);
    });
  });
});
