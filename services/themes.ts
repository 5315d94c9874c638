/** Display names of themes; the catalogue itself (data/themes.json) and the tagger live beside it. */
export interface ThemeLabel {
  name: string;
  nameEn: string;
}

export class ThemeCatalog {
  private readonly byId: Map<string, ThemeLabel>;

  constructor(themes: ReadonlyArray<{ id: string } & ThemeLabel>) {
    this.byId = new Map(themes.map((t) => [t.id, { name: t.name, nameEn: t.nameEn }]));
  }

  /** An id the catalogue does not know (a theme given by a source file) labels itself. */
  label(id: string): ThemeLabel {
    return this.byId.get(id) ?? { name: id, nameEn: id };
  }
}
