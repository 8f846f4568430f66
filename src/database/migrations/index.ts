import { Foundation1795313514672 } from './1795313514672-Foundation';
import { MicroChannelReview1795314072015 } from './1795314072015-MicroChannelReview';

/** Every migration, in order; listed explicitly so the app, the CLI and ts-jest run the same set. */
 
export const MIGRATIONS: Function[] = [Foundation1795313514672, MicroChannelReview1795314072015];
