import { INestApplication, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { bearerMatches } from '../../common/guards/admin.guard';
import { AppConfig } from '../../config/configuration';
import { QUEUE_BOARD_PATH, QueueMonitorService } from './queue-monitor.service';

/**
 * Serves the Bull Board at /admin/queues to holders of the admin token, with the AdminGuard's rules
 * and answers: no ADMIN_TOKEN configured -> 404, missing or wrong bearer -> 401. Mounted on the
 * Express app itself because the board is an Express sub-app with its own routes and assets.
 */
export function mountQueueBoard(app: INestApplication, config: AppConfig): void {
  const requireAdmin = (req: Request, res: Response, next: NextFunction): void => {
    const expected = config.adminToken;
    if (!expected) {
      res.status(404).json(new NotFoundException().getResponse());
      return;
    }
    if (!bearerMatches(req, expected)) {
      res.status(401).json(new UnauthorizedException('admin token required').getResponse());
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  app.use(QUEUE_BOARD_PATH, requireAdmin, app.get(QueueMonitorService).boardRouter);
}
