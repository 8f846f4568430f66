import { numberKeyOf } from './micro-channel-review.service';

describe('MicroChannelReviewService helpers', () => {
  it('should normalise channel numbers to lower case for the unique key', () => {
    expect(numberKeyOf('FMtest01')).toBe('fmtest01');
    expect(numberKeyOf('fmTEST01')).toBe(numberKeyOf('FMTEST01'));
  });
});
