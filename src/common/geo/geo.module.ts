import { Global, Module } from '@nestjs/common';
import { CityService } from './city.service';

/** Administrative divisions (city codes to names), shared by every channel kind. */
@Global()
@Module({ providers: [CityService], exports: [CityService] })
export class GeoModule {}
