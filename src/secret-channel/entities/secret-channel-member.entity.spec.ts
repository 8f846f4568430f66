import { effectiveStatus, MemberStatus, muteHasRunOut } from './secret-channel-member.entity';

describe('effectiveStatus', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it('should read a timed mute as muted until its last millisecond and normal from its end on', () => {
    expect(effectiveStatus({ status: MemberStatus.Muted, muteUntil: at(1) }, now)).toBe(MemberStatus.Muted);
    expect(effectiveStatus({ status: MemberStatus.Muted, muteUntil: at(0) }, now)).toBe(MemberStatus.Normal);
    expect(effectiveStatus({ status: MemberStatus.Muted, muteUntil: at(-1) }, now)).toBe(MemberStatus.Normal);
  });

  it('should keep a mute without an end, and every other status, as stored', () => {
    expect(effectiveStatus({ status: MemberStatus.Muted, muteUntil: null }, now)).toBe(MemberStatus.Muted);
    for (const status of [MemberStatus.Normal, MemberStatus.Blacklisted, MemberStatus.Pending]) {
      expect(effectiveStatus({ status, muteUntil: at(-1000) }, now)).toBe(status);
      expect(muteHasRunOut({ status, muteUntil: at(-1000) }, now)).toBe(false);
    }
  });
});
