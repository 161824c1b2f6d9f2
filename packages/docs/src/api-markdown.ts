import type { ApiEntry } from './api-entries.js';

/** Section titles for the folders under a package's src/; any other folder is titled by its name. */
const SECTION_TITLES: Readonly<Record<string, string>> = {
  backend: 'Backends',
  tensor: 'Tensors and variables',
  engine: 'Memory and tracing',
  tape: 'Automatic differentiation',
  ops: 'Ops',
  random: 'Random numbers',
  layers: 'Layers',
  models: 'Models',
  losses: 'Losses',
  metrics: 'Metrics',
  optimizers: 'Optimizers and learning-rate schedules',
  callbacks: 'Callbacks',
  data: 'Datasets',
  io: 'Saving and loading',
  initializers: 'Initializers',
  regularizers: 'Regularizers',
  util: 'Utilities',
  export: 'Export',
  import: 'Import',
  runtime: 'Runtime',
  cases: 'Cases',
  reference: 'Float64 references',
};

/** What the page is about and where its entries' sources are, relative to the page. */
export interface ApiPage {
  readonly packageName: string;
  /** One paragraph under the title. */
  readonly description: string;
  /** The package's folder, relative to the page (`../../packages/core`), for links to the sources. */
  readonly sourcePath: string;
}

/**
 * The package's reference as Markdown: a section per folder of src/ (in the order the index first
 * exports from it), then within it a line per export in index order — the signature linked to its
 * source file, the kind, and the doc comment's first paragraph — with an interface's members
 * listed under it. Files directly in src/ make the "General" section.
 */
export function apiMarkdown(page: ApiPage, entries: readonly ApiEntry[]): string {
  const sections = new Map<string, ApiEntry[]>();
  for (const entry of entries) {
    const folder = /^src\/([^/]+)\//.exec(entry.file)?.[1] ?? '';
    const list = sections.get(folder) ?? [];
    if (list.length === 0) sections.set(folder, list);
    list.push(entry);
  }
  const titleOf = (folder: string) => (folder === '' ? 'General' : SECTION_TITLES[folder] ?? folder);
  const lines = [
    `# ${page.packageName}`,
    '',
    '<!-- Written by `npm run docs` from the doc comments of the sources; edit those, not this page. -->',
    '',
    page.description,
    '',
    `${entries.length} exports: ${[...sections].map(([folder, list]) => `[${titleOf(folder)}](#${anchorOf(titleOf(folder))}) (${list.length})`).join(', ')}.`,
  ];
  for (const [folder, list] of sections) {
    lines.push('', `## ${titleOf(folder)}`, '');
    for (const entry of list) {
      const kind = entry.kind === 'function' ? '' : ` *${entry.kind}*`;
      const extended = entry.extends.length > 0 ? ` extends ${entry.extends.map((name) => `\`${name}\``).join(', ')}` : '';
      lines.push(`- [\`${entry.signature}\`](${page.sourcePath}/${entry.file})${kind}${extended}${entry.summary ? ` — ${entry.summary}` : ''}`);
      for (const member of entry.members) lines.push(`  - \`${member.name}\`${member.summary ? ` — ${member.summary}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** GitHub's anchor for a heading: lower case, spaces to hyphens, punctuation dropped. */
function anchorOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}
