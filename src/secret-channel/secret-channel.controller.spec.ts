import { Test } from '@nestjs/testing';
import { ManageSecretChannelUsersDto } from './dto/secret-channel.dto';
import { SecretChannelMembersService } from './secret-channel-members.service';
import { SecretChannelMembershipService } from './secret-channel-membership.service';
import { SecretChannelController } from './secret-channel.controller';
import { SecretChannelReadService } from './secret-channel-reads.service';
import { SecretChannelService } from './secret-channel.service';

describe('SecretChannelController', () => {
  const caller = { appKey: '1111111111', accountId: 'aaaaaaaaaa' };
  let controller: SecretChannelController;
  const channels = {
    setChannelStatus: jest.fn().mockResolvedValue(undefined),
    transfer: jest.fn(),
    dissolve: jest.fn(),
  };
  const memberships = {
    setMemberStatus: jest.fn().mockResolvedValue(undefined),
    quit: jest.fn().mockResolvedValue(undefined),
  };

  beforeEach(async () => {
    jest.clearAllMocks();
    const moduleRef = await Test.createTestingModule({
      controllers: [SecretChannelController],
      providers: [
        { provide: SecretChannelService, useValue: channels },
        { provide: SecretChannelReadService, useValue: {} },
        { provide: SecretChannelMembershipService, useValue: memberships },
        { provide: SecretChannelMembersService, useValue: {} },
      ],
    }).compile();
    controller = moduleRef.get(SecretChannelController);
  });

  const dto = (fields: Partial<ManageSecretChannelUsersDto>): ManageSecretChannelUsersDto =>
    Object.assign(new ManageSecretChannelUsersDto(), { channelNumber: '000000001', ...fields });

  it('should let accountID act on userAccountID for infoType 2', async () => {
    await expect(
      controller.manage(
        dto({ accountID: 'ownerowner', infoType: '2', curStatus: '2', userAccountID: 'membermemb' }),
        caller,
      ),
    ).resolves.toBe('ok');
    expect(memberships.setMemberStatus).toHaveBeenCalledWith(
      'ownerowner',
      'membermemb',
      '000000001',
      2,
      caller,
      undefined,
    );
  });

  it('should pass muteSeconds of a mute on as a number', async () => {
    await controller.manage(
      dto({ accountID: 'ownerowner', infoType: '2', curStatus: '2', userAccountID: 'membermemb', muteSeconds: '60' }),
      caller,
    );
    expect(memberships.setMemberStatus).toHaveBeenCalledWith('ownerowner', 'membermemb', '000000001', 2, caller, 60);
  });

  it.each([
    ['1', '2'],
    ['2', '1'],
    ['2', '3'],
  ])('should refuse muteSeconds with infoType %s curStatus %s', async (infoType, curStatus) => {
    await expect(
      controller.manage(
        dto({ accountID: 'ownerowner', infoType, curStatus, userAccountID: 'membermemb', muteSeconds: '60' }),
        caller,
      ),
    ).rejects.toMatchObject({ code: 'ME01023', param: 'muteSeconds' });
    expect(memberships.setMemberStatus).not.toHaveBeenCalled();
    expect(channels.setChannelStatus).not.toHaveBeenCalled();
  });

  it('should let adminAccountID act on accountID when it is sent, ignoring userAccountID', async () => {
    await controller.manage(
      dto({
        adminAccountID: 'ownerowner',
        accountID: 'membermemb',
        infoType: '2',
        curStatus: '3',
        userAccountID: 'otherother',
      }),
      caller,
    );
    expect(memberships.setMemberStatus).toHaveBeenCalledWith(
      'ownerowner',
      'membermemb',
      '000000001',
      3,
      caller,
      undefined,
    );
  });

  it('should send infoType 1 to the channel status with the acting account', async () => {
    await controller.manage(
      dto({ adminAccountID: 'operatorop', accountID: 'ownerowner', infoType: '1', curStatus: '2' }),
      caller,
    );
    expect(channels.setChannelStatus).toHaveBeenCalledWith('operatorop', '000000001', 2, caller);
    expect(memberships.setMemberStatus).not.toHaveBeenCalled();
  });

  it('should answer quit with "ok"', async () => {
    await expect(controller.quit({ accountID: 'membermemb', channelNumber: '000000001' }, caller)).resolves.toBe('ok');
  });
});
