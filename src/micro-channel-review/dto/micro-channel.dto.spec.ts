import { ValidationPipe } from '@nestjs/common';
import { ParamValidationError } from '../../common/errors/partner-error';
import { validationOptions } from '../../common/validation/validation-options';
import { RecheckMicroChannelDto } from './micro-channel.dto';

const pipe = new ValidationPipe(validationOptions);

/** Runs the global pipe as the partner routes do; resolves to the DTO or to the failing field. */
async function check(params: Record<string, string>): Promise<RecheckMicroChannelDto | string> {
  try {
    return (await pipe.transform(params, {
      type: 'custom',
      metatype: RecheckMicroChannelDto,
    })) as RecheckMicroChannelDto;
  } catch (err) {
    if (err instanceof ParamValidationError) {
      return err.field;
    }
    throw err;
  }
}

const REVIEWER = { checkAccountID: 'reviewer01' };
const DECIDE = {
  ...REVIEWER,
  infoType: '2',
  accountID: 'owner00001',
  channelNumber: 'FMtest01',
  checkStatus: '2',
  applyIdx: '7',
};

describe('RecheckMicroChannelDto', () => {
  it('should report infoType 2 parameters in the contract order', async () => {
    expect(await check({ ...DECIDE, accountID: 'bad', channelNumber: 'bad', checkStatus: '9', applyIdx: 'x' })).toBe(
      'accountID',
    );
    expect(await check({ ...DECIDE, channelNumber: 'bad', checkStatus: '9', applyIdx: 'x' })).toBe('channelNumber');
    expect(await check({ ...DECIDE, checkStatus: '9', applyIdx: 'x' })).toBe('checkStatus');
    expect(await check({ ...DECIDE, applyIdx: 'x', checkRemark: 'r'.repeat(65) })).toBe('applyIdx');
    expect(await check({ ...DECIDE, checkRemark: 'r'.repeat(65) })).toBe('checkRemark');
  });

  it('should require applyIdx only to reject or approve an edit', async () => {
    const withoutIdx: Record<string, string> = { ...DECIDE };
    delete withoutIdx.applyIdx;
    expect(await check({ ...withoutIdx, checkStatus: '1' })).toBe('applyIdx');
    expect(await check({ ...withoutIdx, checkStatus: '3' })).toMatchObject({ checkStatus: '3' });
    expect(await check({ ...withoutIdx, checkStatus: '4', applyIdx: 'anything' })).toMatchObject({ checkStatus: '4' });
  });

  it('should ignore the other infoType parameters', async () => {
    expect(
      await check({ ...REVIEWER, infoType: '1', accountID: 'bad', checkStatus: '9', applyIdx: 'x' }),
    ).toMatchObject({ infoType: '1' });
    expect(await check({ ...DECIDE, cityCode: 'bad', pageCount: '0', startPage: '0' })).toMatchObject({
      infoType: '2',
    });
  });

  it('should validate channelNumber as a number to decide and as text to search for', async () => {
    expect(await check({ ...DECIDE, channelNumber: 'FM' })).toBe('channelNumber');
    expect(await check({ ...REVIEWER, infoType: '1', channelNumber: 'FM' })).toMatchObject({ channelNumber: 'FM' });
    expect(await check({ ...REVIEWER, infoType: '1', channelNumber: '%_' })).toMatchObject({ channelNumber: '%_' });
    expect(await check({ ...REVIEWER, infoType: '1', channelNumber: 'x'.repeat(16) })).toBe('channelNumber');
  });

  it('should take empty filters as absent and bound the paging', async () => {
    expect(
      await check({
        ...REVIEWER,
        infoType: '1',
        cityCode: '',
        catalogID: '',
        channelName: '',
        startPage: '',
        pageCount: '',
      }),
    ).toMatchObject({
      cityCode: undefined,
      startPage: undefined,
      pageCount: undefined,
    });
    expect(await check({ ...REVIEWER, infoType: '1', pageCount: '499', startPage: '999999999' })).toMatchObject({
      pageCount: '499',
    });
    expect(await check({ ...REVIEWER, infoType: '1', pageCount: '500' })).toBe('pageCount');
    expect(await check({ ...REVIEWER, infoType: '1', pageCount: '0' })).toBe('pageCount');
    expect(await check({ ...REVIEWER, infoType: '1', pageCount: '020' })).toBe('pageCount');
    expect(await check({ ...REVIEWER, infoType: '1', startPage: '0' })).toBe('startPage');
  });
});
