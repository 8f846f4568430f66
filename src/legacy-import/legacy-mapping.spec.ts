import { MemberStatus } from '../secret-channel/entities/secret-channel-member.entity';
import {
  catalogIdOf,
  channelIdOf,
  cityCodeOf,
  fromUnix,
  isUniqueCodeOf,
  keyBit,
  memberRoleOf,
  memberStatusOf,
  microStatusOf,
  parseLegacyToken,
  textProblem,
} from './legacy-mapping';

describe('legacy mapping', () => {
  it('should keep 9-10 digit numbers as the row id and leave 5-8 digit ones to the importer', () => {
    expect(channelIdOf('000000377')).toBe('377');
    expect(channelIdOf('1000000001')).toBe('1000000001');
    expect(channelIdOf('10086')).toBeNull();
    expect(channelIdOf('00391')).toBeNull();
    expect(channelIdOf('000000000')).toBeNull();
  });

  it('should make the channel owner the owner whatever the legacy role says', () => {
    expect(memberRoleOf(0, 'aaaaaaaaaa', 'aaaaaaaaaa')).toBe('owner');
    expect(memberRoleOf(1, 'bbbbbbbbbb', 'aaaaaaaaaa')).toBe('member');
    expect(memberRoleOf(2, 'bbbbbbbbbb', 'aaaaaaaaaa')).toBe('admin');
    expect(memberRoleOf(0, 'bbbbbbbbbb', 'aaaaaaaaaa')).toBe('member');
  });

  it('should map talkStatus to the member status, a quit pending row to normal, and refuse unknown values', () => {
    expect(memberStatusOf(1, true)).toBe(MemberStatus.Normal);
    expect(memberStatusOf(2, true)).toBe(MemberStatus.Muted);
    expect(memberStatusOf(3, false)).toBe(MemberStatus.Blacklisted);
    expect(memberStatusOf(4, true)).toBe(MemberStatus.Pending);
    expect(memberStatusOf(4, false)).toBe(MemberStatus.Normal);
    expect(memberStatusOf(0, true)).toBeNull();
    expect(memberStatusOf(5, true)).toBeNull();
  });

  it('should read the key bits of actionType 4 and 5 as 8 and 16', () => {
    expect(keyBit(4)).toBe(8);
    expect(keyBit(5)).toBe(16);
  });

  it('should accept only an invitation code of the channel with 32 lowercase hex characters', () => {
    expect(isUniqueCodeOf(`10086|${'a'.repeat(32)}`, '10086')).toBe(true);
    expect(isUniqueCodeOf(`10087|${'a'.repeat(32)}`, '10086')).toBe(false);
    expect(isUniqueCodeOf(`10086|${'A'.repeat(32)}`, '10086')).toBe(false);
    expect(isUniqueCodeOf('', '10086')).toBe(false);
  });

  it('should count characters, not bytes, in text limits', () => {
    expect(textProblem('name', '群聊频道群聊频道群聊频道群聊频道', 1, 16)).toBeNull();
    expect(textProblem('name', '群聊频道群聊频道群聊频道群聊频道x', 1, 16)).toBe(
      'name has 17 characters (allowed 1-16)',
    );
    expect(textProblem('name', null, 1, 16)).toBe('name has 0 characters (allowed 1-16)');
  });

  it('should accept city codes 0 and 6 digits and catalog ids of 6-11 digits', () => {
    expect(cityCodeOf(0)).toBe('0');
    expect(cityCodeOf(110000)).toBe('110000');
    expect(cityCodeOf(1100001)).toBeNull();
    expect(catalogIdOf(200001)).toBe('200001');
    expect(catalogIdOf(12345)).toBeNull();
  });

  it('should map micro statuses 1 and 2 to open and 3 to closed', () => {
    expect([1, 2, 3, 4].map(microStatusOf)).toEqual([1, 1, 2, null]);
  });

  it('should parse the original token field and refuse other shapes', () => {
    expect(parseLegacyToken(`${'A'.repeat(32)}_1800000000_0101`)).toEqual({
      token: 'A'.repeat(32),
      expiresAt: 1800000000,
    });
    expect(parseLegacyToken(`${'A'.repeat(31)}_1800000000_0101`)).toBeNull();
    expect(parseLegacyToken(`${'A'.repeat(32)}_soon_0101`)).toBeNull();
  });

  it('should fall back when a unix time is 0 or garbage', () => {
    const fallback = new Date(0);
    expect(fromUnix(1500000000, fallback)).toEqual(new Date(1500000000 * 1000));
    expect(fromUnix(0, fallback)).toBe(fallback);
    expect(fromUnix('x', fallback)).toBe(fallback);
  });
});
