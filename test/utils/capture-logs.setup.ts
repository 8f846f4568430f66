import { captureNestLogs } from './captured-logs';

captureNestLogs();
