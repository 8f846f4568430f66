import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { insertedOneRow } from '../database/query-helpers';
import { PartnerError } from '../common/errors/partner-error';
import { Catalog, CatalogType } from './entities/catalog.entity';

export type ChannelKind = 'group' | 'micro';

/** Channel catalogs (created through the admin API); features resolve a catalogID to its name here. */
@Injectable()
export class CatalogService {
  constructor(@InjectRepository(Catalog) private readonly catalogs: Repository<Catalog>) {}

  /** The catalog if it exists and may be used by this kind of channel, else `ME01023 <param> is error!`. */
  async requireUsable(catalogId: string, kind: ChannelKind, param = 'channelCatalogID'): Promise<Catalog> {
    const catalog = await this.catalogs.findOneBy({ catalogId });
    const allowed = kind === 'group' ? CatalogType.Group : CatalogType.Micro;
    if (!catalog || (catalog.catalogType !== CatalogType.Both && catalog.catalogType !== allowed)) {
      throw PartnerError.badParam(param);
    }
    return catalog;
  }

  /** Inserts a catalog; returns null when the catalogID is taken. */
  async create(input: { catalogId: string; name: string; catalogType: CatalogType }): Promise<Catalog | null> {
    const result = await this.catalogs.createQueryBuilder().insert().orIgnore().values(input).execute();
    if (!insertedOneRow(result)) {
      return null;
    }
    return this.catalogs.findOneByOrFail({ catalogId: input.catalogId });
  }

  list(): Promise<Catalog[]> {
    return this.catalogs.find({ order: { catalogId: 'ASC' } });
  }
}
