/**
 * The module specifiers a JavaScript file loads: `import … from "x"`, `import "x"`,
 * `export … from "x"`, `import("x")`, `require("x")` and `createRequire(…)("x")` (or a variable
 * holding `createRequire(…)`). Parsed with TypeScript (already a devDependency) rather than
 * matched with a regular expression, so strings and comments that merely look like imports are not
 * taken for them.
 */
import ts from 'typescript';
import type { ImportKind } from './description';

export interface FoundImport {
  readonly kind: ImportKind;
  /** null: the argument is computed, not a string literal. */
  readonly specifier: string | null;
  /** The source text of a computed argument. */
  readonly expression?: string;
  /** 1-based. */
  readonly line: number;
}

export function findImports(source: string, fileName: string): FoundImport[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: FoundImport[] = [];
  // Local names bound to node:module's createRequire, and variables holding a require it made.
  const createRequireNames = new Set(['createRequire']);
  const requireNames = new Set(['require']);
  const calls: { callee: ts.Expression; argument: ts.Expression | undefined; node: ts.Node }[] = [];

  const line = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const add = (kind: ImportKind, argument: ts.Expression | undefined, node: ts.Node) => {
    if (argument && ts.isStringLiteralLike(argument)) {
      found.push({ kind, specifier: argument.text, line: line(node) });
    } else {
      found.push({ kind, specifier: null, expression: argument?.getText(file) ?? '', line: line(node) });
    }
  };

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      add('import', node.moduleSpecifier, node);
      if (ts.isImportDeclaration(node)) collectCreateRequire(node, createRequireNames);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add('import', node.arguments[0], node);
      else calls.push({ callee: node.expression, argument: node.arguments[0], node });
    } else if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isCallExpression(node.initializer) &&
      ts.isIdentifier(node.initializer.expression) &&
      createRequireNames.has(node.initializer.expression.text)
    ) {
      requireNames.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);

  // Calls are classified after the walk: a require variable may be declared below its first use.
  const isCreateRequire = (callee: ts.Expression) =>
    ts.isCallExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    createRequireNames.has(callee.expression.text);
  for (const { callee, argument, node } of calls) {
    if ((ts.isIdentifier(callee) && requireNames.has(callee.text)) || isCreateRequire(callee)) {
      add('require', argument, node);
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** `import { createRequire as x } from 'node:module'` binds `x`. */
function collectCreateRequire(node: ts.ImportDeclaration, names: Set<string>): void {
  const from = (node.moduleSpecifier as ts.StringLiteral).text;
  const bindings = node.importClause?.namedBindings;
  if ((from !== 'node:module' && from !== 'module') || !bindings || !ts.isNamedImports(bindings)) return;
  for (const element of bindings.elements) {
    if ((element.propertyName ?? element.name).text === 'createRequire') names.add(element.name.text);
  }
}
