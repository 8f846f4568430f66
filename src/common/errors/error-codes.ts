/**
 * The partner API's error catalogue (API.md section 2): the one place codes and messages live.
 * ME01023's message names the offending parameter.
 */
export const ERROR_MESSAGES = {
  ME01002: 'appKey error',
  ME01003: 'access token not matched',
  ME01004: 'access token expired',
  ME01019: 'sign is not match',
  ME01020: 'mysql failed!',
  ME01021: 'redis failed!',
  ME01022: 'internal data error!',
  ME01023: '%s is error!',
  ME01024: 'http body is null!',
  ME01025: 'timestamp expired!',
  ME01026: 'nonce is replayed!',
  ME01027: 'request too frequent!',
  ME01028: 'server busy!',
  ME18053: 'this accountID is not exist!',
  ME18090: 'invite too frequent!',
  ME18092: 'current channel not start',
  ME18104: 'current user channel already exist',
  ME18105: 'Repeat submitted',
  ME18106: 'user channel Maximum',
  ME18107: 'uniquecode is error',
  ME18108: 'user too many',
  ME18109: 'channel number is error',
  ME18305: 'do not manage self',
  ME18306: 'you are not manager',
  ME18307: 'txt2voice failed!',
  ME18308: 'do not join yourself',
  ME18309: 'already joined',
  ME18311: 'current channel is binded',
  ME18312: 'did not join',
  ME18313: 'deny quit',
  ME18314: 'current user is BLACK',
  ME18315: 'admin Maximum',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export function errorMessage(code: ErrorCode, param?: string): string {
  const template: string = ERROR_MESSAGES[code];
  return template.includes('%s') ? template.replace('%s', param ?? 'args') : template;
}
