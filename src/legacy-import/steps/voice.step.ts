import { MICRO_CHANNEL_VOICE_OWNER_KIND } from '../../micro-channel-review/micro-channel-voice.writer';
import { VOICE_PREFIX } from '../../micro-channel-review/micro-channel-review.service';
import { SpeechSynthesisProducer } from '../../jobs/speech-synthesis/speech-synthesis.producer';
import { VOICE_OWNER_KIND, VOICE_TEXT_PREFIX } from '../../secret-channel/secret-channel.service';
import { ImportContext } from '../import-context';
import { skip } from '../import-report';
import { LEGACY_APP_KEY } from '../legacy-mapping';

/** Jobs added to Redis at once; each is one round trip. */
const ENQUEUE_PARALLELISM = 50;

/**
 * The original's voice URLs point at its own file service, which goes away with it: every imported channel's
 * spoken name is synthesised again through the speech queue (API.md 15), and the workers fill the URL in.
 * Only imported rows still without a URL are queued, so a resumed run does not queue a channel twice.
 */
export async function queueVoiceNames(ctx: ImportContext, speech: SpeechSynthesisProducer): Promise<void> {
  const groups = {
    step: 'voiceGroup',
    sql: "SELECT id, channel_number AS owner, name FROM secret_channel WHERE app_key = ? AND voice_url = '' AND status <> 3 AND id > ? ORDER BY id LIMIT ?",
    kind: VOICE_OWNER_KIND,
    prefix: VOICE_TEXT_PREFIX,
  };
  const micros = {
    step: 'voiceMicro',
    sql: "SELECT id, id AS owner, channel_name AS name FROM micro_channel WHERE voice_url = '' AND application_id IN (SELECT id FROM micro_channel_application WHERE app_key = ?) AND id > ? ORDER BY id LIMIT ?",
    kind: MICRO_CHANNEL_VOICE_OWNER_KIND,
    prefix: VOICE_PREFIX,
  };
  for (const spec of [groups, micros]) {
    if (ctx.dryRun) {
      const tally = ctx.tally(spec.step);
      tally.notes.push('a real run queues one speech job per imported channel that is not dissolved');
      continue;
    }
    await ctx.keyset<{ id: string; owner: string; name: string }>({
      step: spec.step,
      count: () => Promise.resolve(0),
      fetch: (cursor, limit) => ctx.read(null, spec.sql, [LEGACY_APP_KEY, cursor ?? '0', limit]),
      cursorOf: (row) => String(row.id),
      handle: async (rows, _m, tally) => {
        for (let i = 0; i < rows.length; i += ENQUEUE_PARALLELISM) {
          const slice = rows.slice(i, i + ENQUEUE_PARALLELISM);
          const results = await Promise.allSettled(
            slice.map((r) => speech.enqueue(spec.prefix + r.name, { kind: spec.kind, id: String(r.owner) })),
          );
          results.forEach((result, j) => {
            tally.read++;
            if (result.status === 'fulfilled') {
              tally.imported++;
            } else {
              skip(tally, `could not queue: ${(result.reason as Error).message}`, `id ${slice[j].id}`);
            }
          });
        }
      },
    });
  }
}
