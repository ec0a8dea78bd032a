/**
 * The metric names a PromQL expression selects, found by a small lexer: identifiers that are not
 * functions, aggregation operators, keywords, label names (inside `{}` or after by/without/on/
 * ignoring/group_left/group_right), strings, numbers or durations, plus `__name__="x"` matchers.
 * It does not judge the syntax: promtool does that (./promtool.ts); this only says what is named.
 */

const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk',
  'quantile', 'limitk', 'limit_ratio']);
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'atan2']);

export interface SelectedNames {
  /** Metric names, each once, in order of appearance. */
  names: string[];
  /** Selectors whose metric cannot be known without a server, e.g. {__name__=~"x.*"}. */
  unresolved: string[];
}

const IDENT = /[A-Za-z_:][A-Za-z0-9_:]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]+|[0-9.]+(?:[eE][+-]?[0-9]+)?(?:[a-zA-Z]+[0-9]*)*)/y;

function skipString(s: string, i: number): number {
  const quote = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== quote) j += quote !== '`' && s[j] === '\\' ? 2 : 1;
  return j + 1;
}

function readString(s: string, i: number): { value: string; end: number } {
  const end = skipString(s, i);
  const raw = s.slice(i + 1, end - 1);
  return { value: s[i] === '`' ? raw : raw.replace(/\\(.)/g, '$1'), end };
}

function skipSpace(s: string, i: number): number {
  for (;;) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (s[i] !== '#') return i;
    while (i < s.length && s[i] !== '\n') i++;
  }
}

/** The index after the bracket that closes the one at i, strings skipped. */
function skipBalanced(s: string, i: number, open: string, close: string): number {
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const c = s[j];
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(s, j);
      continue;
    }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
    j++;
  }
  return j;
}

/** Reads the matchers of `{...}` at i for a __name__ matcher; returns the index after `}`. */
function readMatchers(s: string, i: number, out: SelectedNames): number {
  let j = i + 1;
  while (j < s.length && s[j] !== '}') {
    j = skipSpace(s, j);
    IDENT.lastIndex = j;
    const m = IDENT.exec(s);
    if (m) {
      j = skipSpace(s, j + m[0].length);
      const op = /^(=~|!~|!=|=)/.exec(s.slice(j))?.[0] ?? '';
      j = skipSpace(s, j + op.length);
      if (s[j] === '"' || s[j] === "'" || s[j] === '`') {
        const str = readString(s, j);
        if (m[0] === '__name__') {
          if (op === '=') out.names.push(str.value);
          else out.unresolved.push(`{__name__${op}${JSON.stringify(str.value)}}`);
        }
        j = str.end;
      }
    } else if (s[j] === '"' || s[j] === "'" || s[j] === '`') {
      // Prometheus 3 allows a quoted metric name inside the braces: {"my.metric"}.
      const str = readString(s, j);
      j = skipSpace(s, str.end);
      if (s[j] === ',' || s[j] === '}') out.names.push(str.value);
    } else {
      j++;
    }
  }
  return j + 1;
}

export function selectedNames(expr: string): SelectedNames {
  const out: SelectedNames = { names: [], unresolved: [] };
  const s = expr;
  let i = 0;
  while (i < s.length) {
    i = skipSpace(s, i);
    if (i >= s.length) break;
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(s, i);
    } else if (c === '{') {
      i = readMatchers(s, i, out);
    } else if (c === '[') {
      i = skipBalanced(s, i, '[', ']');
    } else if (/[0-9.]/.test(c)) {
      NUMBER.lastIndex = i;
      i += NUMBER.exec(s)?.[0].length || 1;
    } else if (/[A-Za-z_:]/.test(c)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(s)![0];
      i += word.length;
      const next = skipSpace(s, i);
      const lower = word.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower)) {
        if (s[next] === '(') i = skipBalanced(s, next, '(', ')');
      } else if (KEYWORDS.has(lower)) {
        // an operator or a modifier
      } else if (AGGREGATIONS.has(lower) && (s[next] === '(' || /^(by|without)\b/i.test(s.slice(next)))) {
        // an aggregation, its labels are skipped by the branch above
      } else if (s[next] === '(') {
        // a function call
      } else {
        out.names.push(word);
      }
    } else {
      i++;
    }
  }
  out.names = [...new Set(out.names)];
  return out;
}
