import { AccessToken } from '../access/entities/access-token.entity';
import { Account } from '../access/entities/account.entity';
import { PartnerApp } from '../access/entities/partner-app.entity';
import { AuditLog } from '../audit/entities/audit-log.entity';
import { Catalog } from '../catalog/entities/catalog.entity';
import { ConsoleCredential } from '../console/entities/console-credential.entity';
import { VoiceClip } from '../jobs/speech-synthesis/entities/voice-clip.entity';
import { Invitation } from '../invite/entities/invitation.entity';
import { MicroChannelApplication } from '../micro-channel-review/entities/micro-channel-application.entity';
import { MicroChannelEdit } from '../micro-channel-review/entities/micro-channel-edit.entity';
import { MicroChannel } from '../micro-channel-review/entities/micro-channel.entity';
import { PartnerEvent } from '../partner-events/entities/partner-event.entity';
import { WebhookDelivery } from '../partner-events/entities/webhook-delivery.entity';
import { WebhookSubscription } from '../partner-events/entities/webhook-subscription.entity';
import { SecretChannelKeyBinding } from '../secret-channel/entities/secret-channel-key-binding.entity';
import { SecretChannelMember } from '../secret-channel/entities/secret-channel-member.entity';
import { SecretChannel } from '../secret-channel/entities/secret-channel.entity';

/** Every TypeORM entity; listed explicitly so the app, the CLI and ts-jest load the same set. */
export const ENTITIES = [
  PartnerApp,
  Account,
  AccessToken,
  Catalog,
  AuditLog,
  VoiceClip,
  Invitation,
  MicroChannelApplication,
  MicroChannel,
  MicroChannelEdit,
  SecretChannel,
  SecretChannelMember,
  SecretChannelKeyBinding,
  PartnerEvent,
  WebhookSubscription,
  WebhookDelivery,
  ConsoleCredential,
];
