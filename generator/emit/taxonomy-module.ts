/** Emits `taxonomy.ts`: the vocabulary types every other module uses, and the taxonomy table. */
import type { StatementStructures } from 'ts-morph';
import type { Model } from '../model.js';
import { taxonomyTable } from '../tables.js';
import { commentText, printLiteral, quote } from './literal.js';
import type { SourceModule } from './output.js';
import { unionAlias, type Printer } from './printer.js';
import { importFrom } from './structures.js';

export function emitTaxonomyModule(model: Model, printer: Printer): SourceModule {
  const { StructureKind, VariableDeclarationKind } = printer.tsMorph;
  const { taxonomy } = model;
  const ids = model.providers.map((p) => p.id);
  const constant = (name: string, type: string, value: unknown, docs: string): StatementStructures => ({
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [docs],
    declarations: [{ name, type, initializer: printLiteral(value) }],
  });

  const statements: (string | StatementStructures)[] = [
    importFrom(printer.tsMorph, './runtime/types.js', ['ClassifiedErrorOf', 'TaxonomyTable', 'Vocabulary'], true),
    unionAlias(printer.tsMorph, 'ProviderId', ids.map(quote), 'The providers of the spec.'),
    unionAlias(printer.tsMorph, 'Category', taxonomy.categories.map((c) => quote(c.id)), 'What went wrong, in the canonical taxonomy.'),
    unionAlias(printer.tsMorph, 'Action', taxonomy.actions.map((a) => quote(a.id)), 'What the caller should do next.'),
    unionAlias(printer.tsMorph, 'Fault', ["'caller'", "'provider'", "'network'", "'unknown'"], 'Whose fault a failure is.'),
    {
      kind: StructureKind.Interface,
      name: 'SpecVocabulary',
      isExported: true,
      docs: ["The spec's names, for the runtime's generic types."],
      extends: ['Vocabulary'],
      properties: [
        { name: 'provider', type: 'ProviderId' },
        { name: 'category', type: 'Category' },
        { name: 'action', type: 'Action' },
      ],
    },
    {
      kind: StructureKind.Interface,
      name: 'ClassifiedError',
      isExported: true,
      docs: ['What went wrong, whose fault it is, whether to retry, and what to do next.'],
      extends: ['ClassifiedErrorOf<SpecVocabulary>'],
    },
    constant('providerIds', 'readonly ProviderId[]', ids, 'Every provider id, in order.'),
    constant(
      'categoryInfo',
      'ReadonlyMap<Category, { readonly fault: Fault; readonly description: string }>',
      new Map(taxonomy.categories.map((c) => [c.id, { fault: c.fault, description: c.outcome.description }])),
      'Every category with whose fault it is and what it means.',
    ),
    constant(
      'actionInfo',
      'ReadonlyMap<Action, string>',
      new Map(taxonomy.actions.map((a) => [a.id, a.description])),
      'Every action with what it asks of the caller.',
    ),
    constant(
      'taxonomy',
      'TaxonomyTable<SpecVocabulary>',
      taxonomyTable(model),
      `The canonical defaults: category outcomes, status fallback and network errors (${commentText(taxonomy.file)}).`,
    ),
  ];
  return { path: 'taxonomy.ts', text: printer.print('taxonomy.ts', statements), from: taxonomy.file };
}
