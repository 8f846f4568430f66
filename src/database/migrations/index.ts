import { Foundation1795313514672 } from './1795313514672-Foundation';
import { SecretChannel1795314036883 } from './1795314036883-SecretChannel';
import { VoiceClip1795314075516 } from './1795314075516-VoiceClip';
import { Invitation1795314298316 } from './1795314298316-Invitation';
import { MicroChannelReview1795315957505 } from './1795315957505-MicroChannelReview';

/** Every migration, in order; listed explicitly so the app, the CLI and ts-jest run the same set. */
export const MIGRATIONS: Function[] = [
  Foundation1795313514672,
  SecretChannel1795314036883,
  VoiceClip1795314075516,
  Invitation1795314298316,
  MicroChannelReview1795315957505,
];
