// Every migration, in order. `npm run migration:generate -- <Name>` writes a new file and rewrites this list.
import { Initial1795617035084 } from './1795617035084-Initial.js';
import { OverrideSourceValues1795629089410 } from './1795629089410-OverrideSourceValues.js';

export const MIGRATIONS = [Initial1795617035084, OverrideSourceValues1795629089410];
