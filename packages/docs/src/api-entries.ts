import { relative } from 'node:path';
import ts from 'typescript';

/** One name a package exports, as a reader of its reference needs it. */
export interface ApiEntry {
  readonly name: string;
  readonly kind: 'function' | 'class' | 'interface' | 'type' | 'const' | 'namespace';
  /** How it is called or constructed (parameter names, `?` for optional ones); the name alone for types. */
  readonly signature: string;
  /** The first paragraph of its doc comment on one line; empty when it has none. */
  readonly summary: string;
  /** The source file that declares it, relative to the package's folder (`src/ops/conv2d.ts`). */
  readonly file: string;
  /** An interface's properties and methods (an options object's options) but those of `extends`; empty for the other kinds. */
  readonly members: readonly ApiMember[];
  /** The exported interfaces an interface inherits members from (`LayerConfig`); empty for the other kinds. */
  readonly extends: readonly string[];
}

/** A property or method of an exported interface. */
export interface ApiMember {
  /** The name, with `?` when optional and `()` for a method. */
  readonly name: string;
  readonly summary: string;
}

/**
 * Every name `packageDir`/src/index.ts exports, in the order the index exports them, read with
 * TypeScript's checker through the package's tsconfig.json, so re-exports resolve to the
 * declarations and their doc comments.
 */
export function readApi(packageDir: string): ApiEntry[] {
  const configPath = `${packageDir}/tsconfig.json`;
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`readApi: cannot read ${configPath}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  });
  if (!config) throw new Error(`readApi: cannot read ${configPath}`);
  const indexPath = `${packageDir}/src/index.ts`;
  const program = ts.createProgram({ rootNames: [indexPath], options: config.options });
  const index = program.getSourceFile(indexPath);
  if (!index) throw new Error(`readApi: expected the package's public API in ${indexPath}, but there is no such file`);
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(index);
  if (!module) return [];
  const exports = checker.getExportsOfModule(module).flatMap((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    return declaration ? [{ name: exported.name, symbol, declaration }] : [];
  });
  const exportedInterfaces = new Map(exports.filter((e) => ts.isInterfaceDeclaration(e.declaration)).map((e) => [e.declaration, e.name]));
  return exports.map(({ name, symbol, declaration }) => ({
    name,
    ...describe(name, symbol, declaration, checker),
    summary: summaryOf(symbol, checker),
    file: relative(packageDir, declaration.getSourceFile().fileName),
    ...(ts.isInterfaceDeclaration(declaration) ? membersOf(symbol, declaration, exportedInterfaces, checker) : { members: [], extends: [] }),
  }));
}

function describe(name: string, symbol: ts.Symbol, declaration: ts.Declaration, checker: ts.TypeChecker): Pick<ApiEntry, 'kind' | 'signature'> {
  if (ts.isFunctionDeclaration(declaration)) return { kind: 'function', signature: `${name}(${parameterList(declaration.parameters)})` };
  if (ts.isClassDeclaration(declaration)) {
    const constructor = declaration.members.find(ts.isConstructorDeclaration);
    const isAbstract = ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Abstract;
    return { kind: 'class', signature: isAbstract ? `abstract class ${name}` : `new ${name}(${constructor ? parameterList(constructor.parameters) : ''})` };
  }
  if (ts.isInterfaceDeclaration(declaration)) return { kind: 'interface', signature: name };
  if (ts.isTypeAliasDeclaration(declaration)) return { kind: 'type', signature: name };
  if (ts.isSourceFile(declaration)) return { kind: 'namespace', signature: name };
  // A const holding a function (`export const f = (x) => …`) reads as a function.
  const [call] = checker.getTypeOfSymbolAtLocation(symbol, declaration).getCallSignatures();
  const parameters = call?.getDeclaration()?.parameters;
  return parameters ? { kind: 'function', signature: `${name}(${parameterList(parameters)})` } : { kind: 'const', signature: name };
}

/**
 * An interface's members, inherited ones included, except those it inherits from an exported
 * interface: that interface's entry lists them, and `extends` names it. The bases are found
 * through the unexported interfaces between, and inside Omit<…>, Pick<…> and the like.
 */
function membersOf(symbol: ts.Symbol, declaration: ts.InterfaceDeclaration, exportedInterfaces: ReadonlyMap<ts.Declaration, string>, checker: ts.TypeChecker): Pick<ApiEntry, 'members' | 'extends'> {
  const bases: string[] = [];
  const covered = new Set<string>();
  const walk = (from: ts.InterfaceDeclaration) => {
    for (const written of (from.heritageClauses ?? []).flatMap((clause) => clause.types)) {
      const base = baseInterface(written, checker);
      if (!base) continue;
      const exportedName = exportedInterfaces.get(base.declaration);
      if (exportedName === undefined) {
        walk(base.declaration);
        continue;
      }
      bases.push(exportedName);
      for (const property of checker.getDeclaredTypeOfSymbol(base.symbol).getProperties()) covered.add(property.name);
    }
  };
  walk(declaration);
  const members = checker.getDeclaredTypeOfSymbol(symbol).getProperties().flatMap((property) => {
    const member = property.declarations?.[0];
    if (!member || !(ts.isPropertySignature(member) || ts.isMethodSignature(member))) return [];
    if (member.parent !== declaration && covered.has(property.name)) return [];
    return [{ name: `${property.name}${member.questionToken ? '?' : ''}${ts.isMethodSignature(member) ? '()' : ''}`, summary: summaryOf(property, checker) }];
  });
  return { members, extends: bases };
}

/** The interface an `extends` entry is built on: `Base`, or the `Base` of `Omit<Base, 'x'>`. */
function baseInterface(written: ts.ExpressionWithTypeArguments, checker: ts.TypeChecker): { symbol: ts.Symbol; declaration: ts.InterfaceDeclaration } | undefined {
  const resolve = (node: ts.Node) => {
    const found = checker.getSymbolAtLocation(node);
    return found && found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found;
  };
  let symbol = resolve(written.expression);
  const [first] = written.typeArguments ?? [];
  if (symbol?.declarations?.[0] && ts.isTypeAliasDeclaration(symbol.declarations[0]) && first && ts.isTypeReferenceNode(first)) symbol = resolve(first.typeName);
  const declaration = symbol?.declarations?.find(ts.isInterfaceDeclaration);
  return symbol && declaration ? { symbol, declaration } : undefined;
}

function parameterList(parameters: ts.NodeArray<ts.ParameterDeclaration>): string {
  return parameters
    .map((p) => `${p.dotDotDotToken ? '...' : ''}${p.name.getText()}${p.questionToken || p.initializer ? '?' : ''}`)
    .join(', ');
}

/** How long a summary may grow before it is cut at a sentence's end. */
const SUMMARY_LENGTH = 240;

/**
 * The doc comment's first paragraph on one line, cut after its last whole sentence within
 * SUMMARY_LENGTH characters, or after its last whole sentence when it runs on into a formula or a
 * list (it ends without a stop). A paragraph with no sentence end to cut at is kept whole.
 */
function summaryOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker));
  const paragraph = (text.split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ').trim();
  if (paragraph.length <= SUMMARY_LENGTH && /[.!?)`]$/.test(paragraph)) return paragraph;
  const ends = [...paragraph.matchAll(/[.!?](?= )/g)].map((m) => m.index + 1);
  const cut = ends.filter((end) => end <= SUMMARY_LENGTH).at(-1) ?? ends[0];
  return cut === undefined ? paragraph : paragraph.slice(0, cut);
}
