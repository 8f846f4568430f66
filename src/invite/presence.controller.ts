import { Body, Get, HttpCode, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AccountService } from '../access/account.service';
import { AdminController } from '../common/decorators/controllers.decorator';
import { ParamValidationError } from '../common/errors/partner-error';
import { AccountParamDto, TempChannelParamDto, UpdatePresenceDto, UpdateTempChannelDto } from './dto/presence.dto';
import { Presence, PresenceService } from './presence.service';

/** What the device gateway reports (API.md 7): account presence and live temp channels. */
@AdminController('')
export class PresenceController {
  constructor(
    private readonly presence: PresenceService,
    private readonly accounts: AccountService,
  ) {}

  @Put('presence/:accountID')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report an account online/offline, its temp channel and whether it accepts invitations.' })
  async updatePresence(@Param() params: AccountParamDto, @Body() dto: UpdatePresenceDto): Promise<Presence> {
    if (!dto.online && typeof dto.tempChannelID === 'string') {
      throw new ParamValidationError('tempChannelID', 'must be null or absent when online is false');
    }
    if (!(await this.accounts.find(params.accountID))) {
      throw new NotFoundException({
        statusCode: 404,
        message: 'accountID not found',
        errors: { accountID: 'not found' },
      });
    }
    return this.presence.update(params.accountID, {
      online: dto.online,
      tempChannelID: dto.tempChannelID,
      acceptInvites: dto.acceptInvites,
    });
  }

  @Get('presence/:accountID')
  @ApiOperation({ summary: "What is known about an account's presence." })
  getPresence(@Param() params: AccountParamDto): Promise<Presence> {
    return this.presence.get(params.accountID);
  }

  @Put('temp-channels/:tempChannelID')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report a temp channel live (invitations may be sent to it) or not.' })
  async updateTempChannel(
    @Param() params: TempChannelParamDto,
    @Body() dto: UpdateTempChannelDto,
  ): Promise<{ tempChannelID: string; live: boolean }> {
    await this.presence.setTempChannelLive(params.tempChannelID, dto.live);
    return { tempChannelID: params.tempChannelID, live: dto.live };
  }

  @Get('temp-channels/:tempChannelID')
  @ApiOperation({ summary: 'Whether a temp channel is live and how long until it may invite again.' })
  async getTempChannel(
    @Param() params: TempChannelParamDto,
  ): Promise<{ tempChannelID: string; live: boolean; inviteAgainInSeconds: number }> {
    const [live, wait] = await Promise.all([
      this.presence.isTempChannelLive(params.tempChannelID),
      this.presence.inviteSlotTtl(params.tempChannelID),
    ]);
    return { tempChannelID: params.tempChannelID, live, inviteAgainInSeconds: wait };
  }
}
