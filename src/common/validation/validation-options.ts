import {
  ArgumentMetadata,
  Injectable,
  PipeTransform,
  ValidationError,
  ValidationPipe,
  ValidationPipeOptions,
} from '@nestjs/common';
import { ParamValidationError } from '../errors/partner-error';

function firstError(errors: ValidationError[], prefix = ''): ParamValidationError {
  const error = errors[0];
  const field = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints?.whitelistValidation) {
    return new ParamValidationError(field, 'is not a field of this route');
  }
  if (error.constraints && Object.keys(error.constraints).length > 0) {
    return new ParamValidationError(field, Object.values(error.constraints)[0]);
  }
  if (error.children && error.children.length > 0) {
    return firstError(error.children, field);
  }
  return new ParamValidationError(field, 'is invalid');
}

/**
 * One ValidationPipe for the partner and admin surfaces. DTO properties are checked in declaration
 * order and the first failure wins, so a DTO's field order is the route's check order (API.md 2).
 * Unknown parameters are dropped (API.md 5: ignored, though they count in the signature).
 */
export const validationOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: false,
  transform: true,
  stopAtFirstError: true,
  validateCustomDecorators: true,
  exceptionFactory: (errors: ValidationError[]) => firstError(errors),
};

/**
 * The global pipe of both surfaces. Partner parameters (read with @PartnerParams, a custom decorator) keep
 * the lenient options: unknown parameters are ignored, as API.md 5 says. Admin JSON bodies (@Body) are
 * strict: a field the route does not know is a 400 naming it (API.md 15), never silently dropped.
 */
@Injectable()
export class SurfaceValidationPipe implements PipeTransform {
  private readonly lenient = new ValidationPipe(validationOptions);
  private readonly strict = new ValidationPipe({ ...validationOptions, forbidNonWhitelisted: true });

  transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return (metadata.type === 'body' ? this.strict : this.lenient).transform(value, metadata) as Promise<unknown>;
  }
}
