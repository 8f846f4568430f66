import { ValidationError, ValidationPipeOptions } from '@nestjs/common';
import { ParamValidationError } from '../errors/partner-error';

function firstError(errors: ValidationError[], prefix = ''): ParamValidationError {
  const error = errors[0];
  const field = prefix ? `${prefix}.${error.property}` : error.property;
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
