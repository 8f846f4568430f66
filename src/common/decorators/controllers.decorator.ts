import { applyDecorators, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../guards/admin.guard';
import { SkipSignature } from './partner.decorators';

/** A controller of the admin API (`/admin/<path>`): JSON, bearer ADMIN_TOKEN, no partner signature. */
export const AdminController = (path: string): ClassDecorator =>
  applyDecorators(
    Controller(`admin/${path}`),
    SkipSignature(),
    UseGuards(AdminGuard),
    ApiBearerAuth('admin'),
    ApiTags('admin'),
  );

/** A controller of the partner API (`/clientcustom/v2/<name>`): signed, tokened, answered in the envelope. */
export const PartnerController = (tag: string): ClassDecorator =>
  applyDecorators(Controller('clientcustom/v2'), ApiTags(tag));

/** One partner route: POST, HTTP 200, urlencoded or multipart, documented. */
export const PartnerRoute = (name: string, summary: string): MethodDecorator =>
  applyDecorators(
    Post(name),
    HttpCode(200),
    ApiOperation({
      summary,
      description: 'Signed partner route: see the API description for the signature and envelope.',
    }),
    ApiConsumes('application/x-www-form-urlencoded', 'multipart/form-data'),
    ApiOkResponse({
      description:
        '`{"ERRORCODE":"0","RESULT":...}` on success, `{"ERRORCODE":"MExxxxx","RESULT":"message"}` on failure; always HTTP 200.',
    }),
  );
