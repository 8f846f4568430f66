import { ForbiddenException, INestApplication, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { bearerMatches } from '../../common/guards/admin.guard';
import { AppConfig } from '../../config/configuration';
import { QUEUE_BOARD_PATH, QueueMonitorService } from './queue-monitor.service';

/** What a console session (API.md 14) says about the board: an operator's, another role's, or none. */
export type ConsoleBoardAccess = (req: Request) => Promise<'operator' | 'other' | null>;

/**
 * Serves the Bull Board at /admin/queues to holders of the admin token, with the AdminGuard's rules
 * and answers (no ADMIN_TOKEN configured -> 404, missing or wrong bearer -> 401), and to operators
 * signed in to the console, so the board opens in a browser; a signed-in reviewer gets 403.
 * Mounted on the Express app itself because the board is an Express sub-app with its own routes and assets.
 */
export function mountQueueBoard(app: INestApplication, config: AppConfig, consoleAccess?: ConsoleBoardAccess): void {
  const allow = (req: Request, res: Response, next: NextFunction): Promise<void> | void => {
    const expected = config.adminToken;
    if (expected && bearerMatches(req, expected)) {
      res.setHeader('Cache-Control', 'no-store');
      next();
      return;
    }
    return (consoleAccess ? consoleAccess(req) : Promise.resolve(null)).then(
      (access) => {
        if (access === 'operator') {
          res.setHeader('Cache-Control', 'no-store');
          next();
        } else if (access === 'other') {
          res.status(403).json(new ForbiddenException('operators only').getResponse());
        } else if (!expected) {
          res.status(404).json(new NotFoundException().getResponse());
        } else {
          res.status(401).json(new UnauthorizedException('admin token required').getResponse());
        }
      },
      () => {
        res.status(503).json({ statusCode: 503, message: 'redis unavailable' });
      },
    );
  };
  app.use(
    QUEUE_BOARD_PATH,
    (req: Request, res: Response, next: NextFunction) => void allow(req, res, next),
    app.get(QueueMonitorService).boardRouter,
  );
}
