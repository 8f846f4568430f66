import { escapeLike, numberKeyOf } from './micro-channel-review.service';

describe('MicroChannelReviewService helpers', () => {
  it('should escape LIKE wildcards and the escape character itself', () => {
    expect(escapeLike('100%')).toBe('100!%');
    expect(escapeLike('a_b')).toBe('a!_b');
    expect(escapeLike('wow!')).toBe('wow!!');
    expect(escapeLike('交通')).toBe('交通');
  });

  it('should normalise channel numbers to lower case for the unique key', () => {
    expect(numberKeyOf('FMtest01')).toBe('fmtest01');
    expect(numberKeyOf('fmTEST01')).toBe(numberKeyOf('FMTEST01'));
  });
});
