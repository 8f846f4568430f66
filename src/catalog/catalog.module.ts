import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogService } from './catalog.service';
import { Catalog } from './entities/catalog.entity';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Catalog])],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
