/** What each step of the import is called: on its progress bar and in the final report. */
export const STEP_TITLES: Record<string, string> = {
  apps: 'apps (Redis appKeyInfo)',
  tokens: 'access tokens (Redis appKeyInfo)',
  catalogs: 'catalogs (channelCatalog)',
  channels: 'group channels (checkSecretChannelInfo)',
  members: 'memberships (joinMemberList)',
  joinRequests: 'join requests (userVerifyMsgInfo)',
  keyBindings: 'key bindings (userKeyInfo)',
  ownerMemberships: 'owner memberships (repaired)',
  memberCounts: 'member counts (recomputed rows)',
  countCheck: 'member counts (userCount check)',
  microApplications: 'micro applications (pending)',
  microChannels: 'micro channels (checkMicroChannelInfo)',
  microEdits: 'micro edits (pending re-review)',
  accounts: 'accounts named by the rows above',
  voiceGroup: 'voice names queued, group',
  voiceMicro: 'voice names queued, micro',
};
