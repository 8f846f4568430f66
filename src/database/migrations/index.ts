import { SecretCipher } from '../../common/crypto/secret-cipher';
import { Foundation1795313514672 } from './1795313514672-Foundation';
import { SecretChannel1795314036883 } from './1795314036883-SecretChannel';
import { VoiceClip1795314075516 } from './1795314075516-VoiceClip';
import { Invitation1795314298316 } from './1795314298316-Invitation';
import { MicroChannelReview1795315957505 } from './1795315957505-MicroChannelReview';
import { MembersAndEvents1796155475733 } from './1796155475733-MembersAndEvents';
import { LegacyImport1796155536658 } from './1796155536658-LegacyImport';
import { credentialLifecycleMigration } from './1796155545781-CredentialLifecycle';
import { PartnerReadIndexes1796156244957 } from './1796156244957-PartnerReadIndexes';
import { ConsoleCredential1796158335918 } from './1796158335918-ConsoleCredential';

/**
 * Every migration, in order; listed explicitly so the app, the CLI and ts-jest run the same set. The
 * cipher reaches the migrations that rewrite secrets (they never read the environment themselves).
 */
export function buildMigrations(cipher?: SecretCipher): Function[] {
  return [
    Foundation1795313514672,
    SecretChannel1795314036883,
    VoiceClip1795314075516,
    Invitation1795314298316,
    MicroChannelReview1795315957505,
    MembersAndEvents1796155475733,
    LegacyImport1796155536658,
    credentialLifecycleMigration(cipher),
    PartnerReadIndexes1796156244957,
    ConsoleCredential1796158335918,
  ];
}
