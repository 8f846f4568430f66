/** What the secret-channel routes answer in RESULT (strings throughout, as the seed pages do). */

export interface ApplySecretChannelResponseDto {
  channelNumber: string;
  uniqueCode: string;
}

export interface JoinSecretChannelResponseDto {
  channelNumber: string;
  isVerify: '0' | '1';
}

/** One channel as getSecretChannelInfo and fetchSecretChannel show it to one account. */
export interface SecretChannelResponseDto {
  channelNumber: string;
  channelName: string;
  channelIntroduction: string;
  cityCode: string;
  cityName: string;
  catalogID: string;
  catalogName: string;
  logoURL: string;
  keyWords: string;
  openType: string;
  isVerify: string;
  capacity: string;
  memberCount: string;
  ownerAccountID: string;
  channelStatus: string;
  /** Absolute URL of the spoken channel name; empty until speech synthesis has finished. */
  voiceURL: string;
  createTime: string;
  /** The invitation code: shown when the channel is public (openType 1) or the caller is a member; else empty. */
  uniqueCode: string;
  /** The caller's membership: "1" if active (pending counts), else "0". */
  isJoined: string;
  /** owner | admin | member, or empty when not joined. */
  role: string;
  /** 1 normal, 2 muted, 3 blacklisted, 4 pending; empty when not joined. */
  memberStatus: string;
  /** The caller's device keys bound to this channel, comma-separated ("4", "5", "4,5"), or empty. */
  bindKey: string;
}

export interface FetchSecretChannelResponseDto {
  /** Total matching channels (not the page size), as a string. */
  count: string;
  list: SecretChannelResponseDto[];
}
