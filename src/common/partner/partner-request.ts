import type { Request } from 'express';
import type { PartnerError } from '../errors/partner-error';

/** What the partner pipeline learns about a request, stage by stage. */
export interface PartnerContext {
  /** Decoded parameters (urlencoded or multipart text fields), each name at most once. */
  params: Record<string, string>;
  /** Names of multipart file parts: not parameters, not signed. */
  fileFields: string[];
  /** Set by the body parser when the body cannot become a parameter map. */
  parseError?: PartnerError;
  /** Set by the SignatureGuard. */
  appKey?: string;
  /** Set by the TokenGuard: the account the request acts as. */
  actingAccountId?: string;
}

export type PartnerRequest = Request & { partner?: PartnerContext; requestId?: string };

export const PARTNER_PREFIX = '/clientcustom/v2/';

export function isPartnerPath(path: string): boolean {
  return path.startsWith('/clientcustom/');
}
