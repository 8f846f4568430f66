import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { SkipSignature } from '../../common/decorators/partner.decorators';
import { VoiceClipService } from './voice-clip.service';
import { VoiceWavService } from './voice-wav.service';

const FILE_PATTERN = /^([0-9a-f]{32})\.(amr|wav)$/;
/** A clip id never gets other bytes, so caches may keep it for good. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** If-None-Match uses the weak comparison (RFC 9110 13.1.3): a W/ prefix is ignored, `*` matches any tag. */
function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) {
    return false;
  }
  return header.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}

/**
 * Voice clips for devices and partner apps (API.md 8): `GET /media/voice/<id>.amr`, and the same clip as
 * `<id>.wav` for browsers, which cannot play AMR (API.md 14). Public like any media URL (no partner
 * signature); clips live in MySQL, so every instance serves every clip.
 */
@Controller('media/voice')
@SkipSignature()
@ApiTags('media')
export class VoiceMediaController {
  constructor(
    private readonly clips: VoiceClipService,
    private readonly wav: VoiceWavService,
  ) {}

  @Get(':file')
  @ApiOperation({
    summary:
      'A synthesised clip: `<id>.amr` (AMR-NB, 8 kHz mono) as speech synthesis wrote it to the owning row, ' +
      'or `<id>.wav` (converted for browsers).',
  })
  @ApiProduces('audio/amr', 'audio/wav')
  @ApiOkResponse({ description: 'The clip, with ETag and immutable cache headers; 304 on a matching If-None-Match.' })
  @ApiNotFoundResponse({ description: 'Unknown or malformed clip id (JSON).' })
  async clip(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const [, id, format] = FILE_PATTERN.exec(file) ?? [];
    const clip = id ? await this.clips.find(id) : null;
    if (!clip) {
      throw new NotFoundException({ statusCode: 404, message: 'voice clip not found' });
    }
    const bytes = format === 'wav' ? await this.wav.wavOf(clip.id, clip.bytes) : clip.bytes;
    const etag = `"${createHash('sha256').update(bytes).digest('base64url')}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', CACHE_CONTROL);
    if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', format === 'wav' ? 'audio/wav' : 'audio/amr');
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(bytes);
  }
}
