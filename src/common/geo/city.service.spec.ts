import { cityNameOf, CityService } from './city.service';

describe('CityService', () => {
  const cities = new CityService();

  it('should name the whole country for 0', () => {
    expect(cities.nameOf('0')).toBe('全国');
  });

  it('should name a province from an XX0000 code', () => {
    expect(cities.nameOf('110000')).toBe('北京市');
    expect(cities.nameOf('440000')).toBe('广东省');
  });

  it('should name a prefecture-level city from an XXXX00 code', () => {
    expect(cities.nameOf('440100')).toBe('广州市');
    expect(cities.nameOf('441900')).toBe('东莞市');
    expect(cities.nameOf('440300')).toBe('深圳市');
  });

  it('should use the province name for the district groupings of a municipality', () => {
    expect(cities.nameOf('110100')).toBe('北京市');
    expect(cities.nameOf('500200')).toBe('重庆市');
    expect(cities.nameOf('419000')).toBe('河南省');
  });

  it('should name a county-level area from any other code', () => {
    expect(cities.nameOf('110105')).toBe('朝阳区');
    expect(cities.nameOf('440305')).toBe('南山区');
    expect(cities.nameOf('110101')).toBe('东城区');
  });

  it('should return null for unknown or malformed codes', () => {
    expect(cities.nameOf('999999')).toBeNull();
    expect(cities.nameOf('110199')).toBeNull();
    expect(cities.nameOf('449900')).toBeNull();
    expect(cities.nameOf('00')).toBeNull();
    expect(cities.nameOf('000000')).toBeNull();
    expect(cities.nameOf('11000')).toBeNull();
    expect(cities.nameOf('1100000')).toBeNull();
    expect(cities.nameOf('11000a')).toBeNull();
    for (const code of ['111111', '', ' 110000', '1101011', '11010a']) {
      expect(cities.nameOf(code)).toBeNull();
    }
  });

  it('should answer the parameter rules the same as the service, without an instance', () => {
    expect(cityNameOf('0')).toBe('全国');
    expect(cityNameOf('110100')).toBe('北京市');
    expect(cityNameOf('440305')).toBe('南山区');
    expect(cityNameOf('999999')).toBeNull();
  });
});
