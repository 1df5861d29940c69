/**
 * Text as Markdown that shows it as it is: its Markdown, HTML and icon syntax escaped, its spaces kept as spaces.
 * VS Code's MarkdownString.appendText writes every space as a no-break space, so a hover could then only break a
 * long line inside a word ("Use the f / ront month"). One line: a line break is a space.
 */
export function markdownText(text: string): string {
  return (
    text
      .replace(/\s*\n\s*/g, ' ')
      .replace(/&/g, '&amp;')
      // emphasis, code, links and images, tables, strikethrough, icons ("$(error)")
      .replace(/[\\`*_[\]|~$]/g, '\\$&')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // a paragraph that would start a heading, a quote or a list
      .replace(/^(\s*)([#+-])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  );
}
