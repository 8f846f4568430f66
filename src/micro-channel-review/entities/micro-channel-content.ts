import { Column } from 'typeorm';

/**
 * What an owner describes about a micro channel. The same columns appear on the application (first
 * review), the live channel and an edit waiting for re-review, so a decision copies them as a whole.
 * Lengths count characters (utf8mb4 varchar), matching the partner parameter limits.
 */
export class MicroChannelContent {
  @Column({ name: 'channel_name', type: 'varchar', length: 16 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  introduction: string;

  @Column({ name: 'chief_announcer_intr', type: 'varchar', length: 128 })
  chiefAnnouncerIntr: string;

  /** `0` (nationwide) or a 6-digit GB/T 2260 code. */
  @Column({ name: 'city_code', type: 'varchar', length: 6 })
  cityCode: string;

  @Column({ name: 'city_name', type: 'varchar', length: 64 })
  cityName: string;

  @Column({ name: 'catalog_id', type: 'varchar', length: 11 })
  catalogId: string;

  @Column({ name: 'catalog_name', type: 'varchar', length: 64 })
  catalogName: string;

  @Column({ name: 'logo_url', type: 'varchar', length: 128, default: '' })
  logoUrl: string;

  /** Comma-separated tags, stored as given. */
  @Column({ name: 'key_words', type: 'varchar', length: 64, default: '' })
  keyWords: string;
}

export const CONTENT_FIELDS = [
  'name',
  'introduction',
  'chiefAnnouncerIntr',
  'cityCode',
  'cityName',
  'catalogId',
  'catalogName',
  'logoUrl',
  'keyWords',
] as const satisfies ReadonlyArray<keyof MicroChannelContent>;

export function copyContent(source: MicroChannelContent): MicroChannelContent {
  const copy = new MicroChannelContent();
  for (const field of CONTENT_FIELDS) {
    copy[field] = source[field];
  }
  return copy;
}

/** The fields whose values differ between two contents, in a stable order. */
export function changedFields(from: MicroChannelContent, to: MicroChannelContent): Array<keyof MicroChannelContent> {
  return CONTENT_FIELDS.filter((field) => from[field] !== to[field]);
}
