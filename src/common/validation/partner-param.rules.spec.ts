import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  charCount,
  IsCityCode,
  IsIntBetween,
  isImageUrl,
  isKeywordList,
  isText,
  OptionalParam,
} from './partner-param.rules';

class RulesProbe {
  @IsCityCode()
  city: string;

  @IsIntBetween(1, 499)
  pageCount: string;

  @OptionalParam()
  @IsIntBetween(1, 9)
  optional?: string;
}

function failures(params: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(RulesProbe, params)).map((e) => e.property);
}

describe('partner parameter rules', () => {
  describe('charCount', () => {
    it('should count code points, not bytes or UTF-16 units', () => {
      expect(charCount('测试')).toBe(2);
      expect(charCount('a😀b')).toBe(3);
      expect(charCount('')).toBe(0);
    });
  });

  describe('isText', () => {
    it('should count characters, not bytes or UTF-16 units', () => {
      expect(isText('交通', 2, 2)).toBe(true);
      expect(isText('名'.repeat(16), 2, 16)).toBe(true);
      expect(isText('名'.repeat(17), 2, 16)).toBe(false);
      expect(isText('🚗🚕', 2, 2)).toBe(true);
      expect(isText('😀😀', 2, 2)).toBe(true);
      expect(isText('测', 2, 16)).toBe(false);
    });

    it('should treat quotes and SQL metacharacters as data', () => {
      expect(isText("it's %_;--", 1, 16)).toBe(true);
      expect(isText("x'; DROP TABLE t;--", 1, 32)).toBe(true);
    });

    it('should refuse control characters, lone surrogates, blanks and non-strings', () => {
      expect(isText('a\nb', 1, 16)).toBe(false);
      expect(isText('a\u0000b', 1, 16)).toBe(false);
      expect(isText('ab\ud800', 2, 16)).toBe(false);
      expect(isText('   ', 2, 16)).toBe(false);
      expect(isText(12, 1, 16)).toBe(false);
      expect(isText(undefined, 0, 16)).toBe(false);
    });

    it('should allow the empty string only when the minimum is 0', () => {
      expect(isText('', 0, 64)).toBe(true);
      expect(isText('', 1, 64)).toBe(false);
    });
  });

  describe('isImageUrl', () => {
    it('should accept http and https image URLs whatever the extension case', () => {
      expect(isImageUrl('http://www.daoke.me/logo.png')).toBe(true);
      expect(isImageUrl('http://img.example.com/a.png')).toBe(true);
      expect(isImageUrl('https://img.example.com/a/B.JPEG')).toBe(true);
      expect(isImageUrl('https://a.example/b/c.JPEG?v=2')).toBe(true);
      expect(isImageUrl('https://img.example.com/a.webp?size=2')).toBe(true);
      expect(isImageUrl('http://a/b.webp')).toBe(true);
      expect(isImageUrl(`http://a/${'x'.repeat(115)}.png`)).toBe(true);
    });

    it('should refuse other schemes, other extensions, white space and URLs over 128 characters', () => {
      expect(isImageUrl('ftp://a/b.png')).toBe(false);
      expect(isImageUrl('http://a/b.txt')).toBe(false);
      expect(isImageUrl('http://a/b.png.exe')).toBe(false);
      expect(isImageUrl('http://img.example.com/a.txt?x=.png')).toBe(false);
      expect(isImageUrl('http://a/b c.png')).toBe(false);
      expect(isImageUrl(' http://a/b.png')).toBe(false);
      expect(isImageUrl('http://a/b.png\u0000')).toBe(false);
      expect(isImageUrl('logo.png')).toBe(false);
      expect(isImageUrl('not a url.png')).toBe(false);
      expect(isImageUrl('')).toBe(false);
      expect(isImageUrl(`http://a/${'x'.repeat(120)}.png`)).toBe(false);
      expect(isImageUrl(`http://img.example.com/${'a'.repeat(102)}.png`)).toBe(false);
    });
  });

  describe('isKeywordList', () => {
    it('should accept up to five tags of one to eight characters, repeats included', () => {
      expect(isKeywordList('路况')).toBe(true);
      expect(isKeywordList('a,b,c,d,e')).toBe(true);
      expect(isKeywordList('aa,bb,cc,cc')).toBe(true);
      expect(isKeywordList('八个字的关键词汇')).toBe(true);
      expect(isKeywordList('一二三四五六七八,b,c,d,e')).toBe(true);
    });

    it('should refuse six tags, long tags, empty and blank tags', () => {
      expect(isKeywordList('a,b,c,d,e,f')).toBe(false);
      expect(isKeywordList('abcdefghi')).toBe(false);
      expect(isKeywordList('九个字的关键词汇啊')).toBe(false);
      expect(isKeywordList('a,,b')).toBe(false);
      expect(isKeywordList('a,')).toBe(false);
      expect(isKeywordList('a, ,b')).toBe(false);
      expect(isKeywordList(5)).toBe(false);
    });
  });

  describe('decorators', () => {
    it('should accept 0 and codes of real divisions as a city code', () => {
      expect(failures({ city: '0', pageCount: '1' })).toEqual([]);
      expect(failures({ city: '440305', pageCount: '499' })).toEqual([]);
    });

    it('should refuse well-formed codes of no division and malformed city codes', () => {
      expect(failures({ city: '999999', pageCount: '1' })).toEqual(['city']);
      expect(failures({ city: '11000a', pageCount: '1' })).toEqual(['city']);
      expect(failures({ city: 110000, pageCount: '1' })).toEqual(['city']);
    });

    it('should take whole numbers in range without sign or leading zeros', () => {
      expect(failures({ city: '0', pageCount: '0' })).toEqual(['pageCount']);
      expect(failures({ city: '0', pageCount: '500' })).toEqual(['pageCount']);
      expect(failures({ city: '0', pageCount: '020' })).toEqual(['pageCount']);
      expect(failures({ city: '0', pageCount: '+20' })).toEqual(['pageCount']);
    });

    it('should treat an empty optional parameter as absent', () => {
      expect(failures({ city: '0', pageCount: '1', optional: '' })).toEqual([]);
      expect(failures({ city: '0', pageCount: '1', optional: '10' })).toEqual(['optional']);
    });
  });
});
