import { z } from 'zod';
import { Timestamp } from './schemas.js';

/** The members every configurable object's representation starts with. */
export const recordFields = {
  id: z.uuid(),
  version: z.number().int().describe('Increases on every change; the ETag is this number in quotes'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export function presentRecord(entity: { id: string; version: number; createdAt: Date; updatedAt: Date }) {
  return {
    id: entity.id,
    version: entity.version,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function isoOrNull(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}
