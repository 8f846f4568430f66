import { InsertResult } from 'typeorm';
import { containsPattern, insertedOneRow } from './query-helpers';

describe('containsPattern', () => {
  it('should escape LIKE wildcards and the escape character itself', () => {
    expect(containsPattern('100%')).toBe('%100!%%');
    expect(containsPattern('a_b')).toBe('%a!_b%');
    expect(containsPattern('wow!')).toBe('%wow!!%');
    expect(containsPattern('交通')).toBe('%交通%');
    expect(containsPattern('a\\b')).toBe('%a\\b%');
  });
});

describe('insertedOneRow', () => {
  it('should tell a written row from an ignored duplicate', () => {
    expect(insertedOneRow({ raw: { affectedRows: 1 } } as InsertResult)).toBe(true);
    expect(insertedOneRow({ raw: { affectedRows: 0 } } as InsertResult)).toBe(false);
  });
});
