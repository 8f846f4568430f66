import { CityService } from './city.service';

describe('CityService', () => {
  const cities = new CityService();

  it('should name 0 as nationwide', () => {
    expect(cities.nameOf('0')).toBe('全国');
  });

  it('should name a province by its XX0000 code', () => {
    expect(cities.nameOf('110000')).toBe('北京市');
    expect(cities.nameOf('440000')).toBe('广东省');
  });

  it('should name a prefecture-level city by its XXXX00 code', () => {
    expect(cities.nameOf('440300')).toBe('深圳市');
  });

  it('should name a municipality district grouping by its province', () => {
    expect(cities.nameOf('110100')).toBe('北京市');
    expect(cities.nameOf('500200')).toBe('重庆市');
    expect(cities.nameOf('419000')).toBe('河南省');
  });

  it('should name a county-level area by its full code', () => {
    expect(cities.nameOf('110101')).toBe('东城区');
  });

  it('should not name codes outside the dataset or malformed ones', () => {
    for (const code of ['111111', '999999', '000000', '00', '1101011', '11010a', '', ' 110000']) {
      expect(cities.nameOf(code)).toBeUndefined();
    }
  });
});
