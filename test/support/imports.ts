/**
 * The module specifiers a file imports statically: imports and re-exports (type ones too, as
 * statements at the start of a line, so comments and strings are not read as imports) and
 * side-effect imports.
 */
export function staticImportsOf(text: string): string[] {
  const statements = [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  const bare = [...text.matchAll(/^import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return [...statements, ...bare];
}

/** Every module specifier a file imports: the static ones and dynamic `import('…')`. */
export function importsOf(text: string): string[] {
  const dynamic = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return [...staticImportsOf(text), ...dynamic];
}
