import type { SourceDepartment, SourcePerson } from '../../connectors/kit/contract.js';
import { stateHash } from '../access/state-hash.js';

/** The directory columns a source person fills, keyed by entity property. */
export interface PersonColumns {
  employeeNumber: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  departmentExternalId: string | null;
  managerExternalId: string | null;
  jobTitle: string | null;
  rank: string | null;
  grade: string | null;
  costCenter: string | null;
  division: string | null;
  location: string | null;
  status: 'active' | 'inactive' | 'leaver';
  hireDate: string | null;
  terminationDate: string | null;
  attributes: Record<string, unknown>;
}

const cut = (value: string | null | undefined, max: number): string | null =>
  value === null || value === undefined || value === '' ? null : value.slice(0, max);

export function personColumns(source: SourcePerson): PersonColumns {
  return {
    employeeNumber: cut(source.employeeNumber, 64),
    givenName: cut(source.givenName, 200),
    familyName: cut(source.familyName, 200),
    displayName: (
      source.displayName ||
      [source.givenName, source.familyName].filter(Boolean).join(' ') ||
      source.externalId
    ).slice(0, 400),
    email: cut(source.email?.trim().toLowerCase(), 320),
    phone: cut(source.phone, 64),
    departmentExternalId: cut(source.departmentExternalId, 255),
    managerExternalId: cut(source.managerExternalId, 255),
    jobTitle: cut(source.jobTitle, 200),
    rank: cut(source.rank, 64),
    grade: cut(source.grade, 64),
    costCenter: cut(source.costCenter, 64),
    division: cut(source.division, 200),
    location: cut(source.location, 200),
    status: source.status,
    hireDate: cut(source.hireDate, 10),
    terminationDate: cut(source.terminationDate, 10),
    attributes: source.attributes,
  };
}

/** Hash of the mapped record: an unchanged hash means the sync writes nothing for this person. */
export function personHash(columns: PersonColumns): string {
  return stateHash(columns);
}

export interface DepartmentColumns {
  name: string;
  code: string | null;
  parentExternalId: string | null;
  costCenter: string | null;
}

export function departmentColumns(source: SourceDepartment): DepartmentColumns {
  return {
    name: (source.name || source.externalId).slice(0, 300),
    code: cut(source.code, 64),
    parentExternalId: cut(source.parentExternalId, 255),
    costCenter: cut(source.costCenter, 64),
  };
}
