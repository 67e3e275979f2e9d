import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OverrideSourceValues1795629089410 implements MigrationInterface {
  name = 'OverrideSourceValues1795629089410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "departments" ADD "source_values" jsonb NOT NULL DEFAULT \'{}\'');
    await queryRunner.query('ALTER TABLE "people" ADD "source_values" jsonb NOT NULL DEFAULT \'{}\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "people" DROP COLUMN "source_values"');
    await queryRunner.query('ALTER TABLE "departments" DROP COLUMN "source_values"');
  }
}
