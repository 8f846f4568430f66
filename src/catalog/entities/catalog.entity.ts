import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Which kind of channel may use a catalog: 0 both, 1 micro only, 2 group only. */
export enum CatalogType {
  Both = 0,
  Micro = 1,
  Group = 2,
}

@Entity({ name: 'catalog' })
export class Catalog {
  @PrimaryColumn({ name: 'catalog_id', type: 'varchar', length: 11 })
  catalogId: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'catalog_type', type: 'tinyint' })
  catalogType: CatalogType;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
