import { BadRequestException, Injectable, NestMiddleware } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

const parseJson = express.json({ limit: '1mb' });

/**
 * JSON bodies for the admin API. A malformed body becomes a 400 through the global filter (returning
 * a rejected promise hands the error to Nest rather than to Express' HTML error page).
 */
@Injectable()
export class AdminJsonMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): Promise<void> {
    return new Promise((resolve, reject) => {
      parseJson(req, res, (err?: unknown) => {
        if (err) {
          const message =
            (err as { type?: string }).type === 'entity.too.large' ? 'body too large' : 'body is not valid JSON';
          reject(new BadRequestException({ statusCode: 400, message, errors: { body: message } }));
          return;
        }
        next();
        resolve();
      });
    });
  }
}
