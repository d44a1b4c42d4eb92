/**
 * iCalendar (RFC 5545) content lines, shared by every writer of .ics text (scheduling's feeds,
 * notifications' invitations): lines end in CRLF and are folded at 75 octets (not characters: a
 * multi-byte UTF-8 character is never split); TEXT values escape backslashes, semicolons, commas
 * and newlines; parameter values with a colon, semicolon or comma are quoted.
 */

const MAX_OCTETS = 75;

/** TEXT escaping (RFC 5545 3.3.11). CR, CRLF and LF all become the two characters "\n". */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** UTC DATE-TIME form, e.g. 20300310T090000Z. */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Fold one content line (RFC 5545 3.1): at most 75 octets per physical line, continuation lines
 * start with a space (which counts toward their 75).
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      // Every line after the first begins with the folding space.
      limit = MAX_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/**
 * A parameter value (RFC 5545 3.2): quoted when it holds a colon, semicolon or comma. A double
 * quote cannot appear even quoted, and control characters are not allowed: both are dropped.
 */
export function paramValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/["\u0000-\u001f\u007f]/g, '');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/**
 * One folded content line, `NAME;PARAM=value:value`. The value is written as given (escape TEXT
 * values with `escapeText`); parameter values are quoted as needed.
 */
export function contentLine(name: string, value: string, params: Readonly<Record<string, string>> = {}): string {
  const rendered = Object.entries(params)
    .map(([key, param]) => `;${key}=${paramValue(param)}`)
    .join('');
  return foldLine(`${name}${rendered}:${value}`);
}

/** Content lines joined into one iCalendar object: CRLF line endings, ending with a CRLF. */
export function joinLines(lines: readonly string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}
