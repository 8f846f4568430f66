import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { PartnerError } from '../errors/partner-error';
import { parsePartnerBody } from './partner-body.parser';
import { PartnerRequest } from './partner-request';

/** Parses partner bodies (urlencoded or multipart) into req.partner; never fails the request itself. */
@Injectable()
export class PartnerBodyMiddleware implements NestMiddleware {
  use(req: PartnerRequest, _res: Response, next: NextFunction): void {
    parsePartnerBody(req)
      .then((ctx) => {
        req.partner = ctx;
        next();
      })
      .catch(() => {
        req.partner = { params: {}, fileFields: [], parseError: PartnerError.badParam('args') };
        next();
      });
  }
}
