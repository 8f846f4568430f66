import { Module } from '@nestjs/common';
import { OutboundHttpClient } from './outbound-http.client';

/** The guarded HTTP client for every call to a URL outside this service. */
@Module({ providers: [OutboundHttpClient], exports: [OutboundHttpClient] })
export class OutboundModule {}
