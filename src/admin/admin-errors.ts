import { ConflictException, NotFoundException } from '@nestjs/common';

/** 404 naming the field whose value names nothing (API.md 10). */
export function notFound(field: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, message: `${field} not found`, errors: { [field]: 'not found' } });
}

/** 409 naming the field whose value is taken (API.md 7, 15). */
export function conflict(field: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    message: `${field} already exists`,
    errors: { [field]: 'already exists' },
  });
}
