import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One synthesised clip (AMR-NB), served at /media/voice/<id>.amr. Immutable once written: the same
 * text through the same driver always maps to the same row (text_sha256), so a clip is made once.
 */
@Entity({ name: 'voice_clip' })
export class VoiceClip {
  /** 32 random hex characters, so clip URLs cannot be enumerated. */
  @PrimaryColumn({ type: 'char', length: 32, charset: 'ascii', collation: 'ascii_bin' })
  id: string;

  /** SHA-256 (hex) of the driver name and the text: the de-duplication key. */
  @Index('uq_voice_clip_text_sha256', { unique: true })
  @Column({ name: 'text_sha256', type: 'char', length: 64, charset: 'ascii', collation: 'ascii_bin' })
  textSha256: string;

  /** The TTS driver that produced the clip (espeak or http). */
  @Column({ type: 'varchar', length: 16 })
  driver: string;

  /** What the clip says; kept so ops can tell clips apart. */
  @Column({ type: 'varchar', length: 200 })
  text: string;

  @Column({ type: 'mediumblob' })
  bytes: Buffer;

  @Column({ name: 'duration_ms', type: 'int', unsigned: true })
  durationMs: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
