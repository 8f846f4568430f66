import { ParamValidationError, PartnerError } from './partner-error';

describe('partner errors', () => {
  it('should capture no stack frames, and leave the stack limit of other errors as it was', () => {
    const before = Error.stackTraceLimit;
    const refused = new PartnerError('ME01003');
    const invalid = new ParamValidationError('channelNumber', 'is invalid');
    expect(refused.stack).toBe('PartnerError: access token not matched');
    expect(invalid.stack).toBe('ParamValidationError: channelNumber is error!');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('other').stack).toContain('\n    at ');
  });

  it('should keep the code, the parameter and the message of the envelope', () => {
    const bad = PartnerError.badParam('uniqueCode');
    expect([bad.code, bad.param, bad.message]).toEqual(['ME01023', 'uniqueCode', 'uniqueCode is error!']);
    expect(bad).toBeInstanceOf(PartnerError);
  });
});
