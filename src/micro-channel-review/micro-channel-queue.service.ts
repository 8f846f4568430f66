import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PartnerError } from '../common/errors/partner-error';
import { containsPattern } from '../database/query-helpers';
import { ApplicationStatus, MicroChannelApplication } from './entities/micro-channel-application.entity';
import { MicroChannelEdit } from './entities/micro-channel-edit.entity';
import { MicroChannel } from './entities/micro-channel.entity';
import { EditListQuery } from './micro-channel-edit-list.service';
import { numberKeyOf } from './micro-channel-review.service';

/**
 * What the reviewers' console reads beside MicroChannelApplicationService and MicroChannelEditService
 * (which own every decision): the first-review queue and single rows in any status. Reads only; no rule
 * lives here.
 */
@Injectable()
export class MicroChannelQueueService {
  constructor(
    @InjectRepository(MicroChannelApplication) private readonly applications: Repository<MicroChannelApplication>,
    @InjectRepository(MicroChannel) private readonly channels: Repository<MicroChannel>,
    @InjectRepository(MicroChannelEdit) private readonly edits: Repository<MicroChannelEdit>,
  ) {}

  /**
   * Applications waiting for first review, oldest first, with the filters of recheckMicroChannel
   * infoType 1 applied to what the owner applied for.
   */
  async listPendingApplications(query: EditListQuery): Promise<{ total: number; items: MicroChannelApplication[] }> {
    const qb = this.applications
      .createQueryBuilder('a')
      .where('a.status = :pending', { pending: ApplicationStatus.Pending });
    if (query.cityCode !== undefined) {
      qb.andWhere('a.content.cityCode = :cityCode', { cityCode: query.cityCode });
    }
    if (query.catalogId !== undefined) {
      qb.andWhere('a.content.catalogId = :catalogId', { catalogId: query.catalogId });
    }
    if (query.channelName !== undefined) {
      qb.andWhere("a.content.name LIKE :name ESCAPE '!'", { name: containsPattern(query.channelName) });
    }
    if (query.channelNumber !== undefined) {
      qb.andWhere("a.pendingNumberKey LIKE :number ESCAPE '!'", {
        number: containsPattern(numberKeyOf(query.channelNumber)),
      });
    }
    const [items, total] = await qb
      .orderBy('a.id', 'ASC')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .getManyAndCount();
    return { total, items };
  }

  /** One application in any status; unknown -> ME01023 applyIdx. */
  async getApplication(applyIdx: string): Promise<MicroChannelApplication> {
    const application = await this.applications.findOneBy({ id: applyIdx });
    if (!application) {
      throw PartnerError.badParam('applyIdx');
    }
    return application;
  }

  /** A live micro channel by number (any case), open or closed, with its latest edits, newest first. */
  async channelWithEdits(
    channelNumber: string,
    editLimit: number,
  ): Promise<{ channel: MicroChannel; edits: MicroChannelEdit[] } | null> {
    const channel = await this.channels.findOneBy({ numberKey: numberKeyOf(channelNumber) });
    if (!channel) {
      return null;
    }
    const edits = await this.edits.find({ where: { channelId: channel.id }, order: { id: 'DESC' }, take: editLimit });
    return { channel, edits };
  }
}
