import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { SkipSignature } from '../../common/decorators/partner.decorators';
import { VoiceClipService } from './voice-clip.service';

const FILE_PATTERN = /^([0-9a-f]{32})\.amr$/;
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
 * Voice clips for devices and partner apps (API.md 8): `GET /media/voice/<id>.amr`. Public like any
 * media URL (no partner signature); clips live in MySQL, so every instance serves every clip.
 */
@Controller('media/voice')
@SkipSignature()
@ApiTags('media')
export class VoiceMediaController {
  constructor(private readonly clips: VoiceClipService) {}

  @Get(':file')
  @ApiOperation({
    summary: 'A synthesised clip (AMR-NB, 8 kHz mono); the URL is what speech synthesis wrote to the owning row.',
  })
  @ApiProduces('audio/amr')
  @ApiOkResponse({ description: 'The clip, with ETag and immutable cache headers; 304 on a matching If-None-Match.' })
  @ApiNotFoundResponse({ description: 'Unknown or malformed clip id (JSON).' })
  async clip(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const id = FILE_PATTERN.exec(file)?.[1];
    const clip = id ? await this.clips.find(id) : null;
    if (!clip) {
      throw new NotFoundException({ statusCode: 404, message: 'voice clip not found' });
    }
    const etag = `"${createHash('sha256').update(clip.bytes).digest('base64url')}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', CACHE_CONTROL);
    if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'audio/amr');
    res.setHeader('Content-Length', String(clip.bytes.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(clip.bytes);
  }
}
