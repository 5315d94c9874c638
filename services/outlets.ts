import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from './paths';

export interface Outlet {
  id: string;
  name: string;
  nameEn: string;
}

const outletsFileSchema = z.object({
  outlets: z.array(
    z.object({ id: z.string().min(1), name: z.string().min(1), nameEn: z.string().min(1), aliases: z.array(z.string()) }),
  ),
});

export const OUTLETS_FILE = path.join(DATA_DIR, 'outlets.json');

/** Folds case, whitespace and punctuation so "Xin Hua She", "xinhuashe" and "XIN-HUA SHE" meet. */
function aliasKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

export class OutletRegistry {
  private readonly byAlias = new Map<string, Outlet>();
  private readonly byId = new Map<string, Outlet>();

  constructor(outlets: ReadonlyArray<Outlet & { aliases: readonly string[] }>) {
    for (const { aliases, ...outlet } of outlets) {
      this.byId.set(outlet.id, outlet);
      for (const alias of [outlet.id, outlet.name, outlet.nameEn, ...aliases]) this.byAlias.set(aliasKey(alias), outlet);
    }
  }

  static fromFile(file = OUTLETS_FILE): OutletRegistry {
    return new OutletRegistry(outletsFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).outlets);
  }

  /** Known outlets resolve to their id and names; an unknown one is kept as given. */
  resolve(raw: string): Outlet {
    const name = raw.trim().replace(/\s+/g, ' ');
    return this.byAlias.get(aliasKey(name)) ?? { id: name, name, nameEn: name };
  }

  /** Display names for a facet value (an outlet id); unknown ids label themselves. */
  label(id: string): Outlet {
    return this.byId.get(id) ?? { id, name: id, nameEn: id };
  }
}
