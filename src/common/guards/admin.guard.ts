import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { AppConfig } from '../../config/configuration';
import { safeEqual } from '../signature/sign';

/**
 * Admin API auth: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. With no
 * ADMIN_TOKEN configured the admin routes do not exist (404).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminToken;
    if (!expected) {
      throw new NotFoundException();
    }
    if (!bearerMatches(context.switchToHttp().getRequest<Request>(), expected)) {
      throw new UnauthorizedException('admin token required');
    }
    return true;
  }
}

/** Takes any request with headers (Express, or the plain Node server of a worker). */
export function bearerMatches(
  req: Pick<Request, 'headers'> | { headers: { authorization?: string } },
  expected: string,
): boolean {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return match !== null && safeEqual(match[1], expected);
}

/** /health/ready and /metrics: open, unless OPS_REQUIRE_ADMIN_TOKEN asks for the admin bearer token. */
@Injectable()
export class OpsGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!opsAllowed(this.config, context.switchToHttp().getRequest<Request>())) {
      throw new UnauthorizedException('admin token required');
    }
    return true;
  }
}

/** The ops rule for any request with headers: OpsGuard's, and the worker's plain Node ops server's. */
export function opsAllowed(config: AppConfig, req: Parameters<typeof bearerMatches>[0]): boolean {
  if (!config.opsRequireAdminToken) {
    return true;
  }
  return !!config.adminToken && bearerMatches(req, config.adminToken);
}
