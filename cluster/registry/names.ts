// Object name syntax checks with apimachinery's exact wording, so `kubectl` shows the same
// messages a real cluster gives.
// https://github.com/kubernetes/apimachinery/blob/v0.35.2/pkg/util/validation/validation.go

/** Each check returns the problems found (empty when valid). */
export type NameCheck = (value: string) => string[];

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';

function anchored(fmt: string): RegExp {
  return new RegExp(`^${fmt}$`);
}

function regexError(what: string, fmt: string, examples: string[]): string {
  const eg = examples.map((e) => `'${e}'`).join(',  or ');
  return `${what} (e.g. ${eg}, regex used for validation is '${fmt}')`;
}

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export const isDns1123Label: NameCheck = (value) => {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!anchored(dns1123LabelFmt).test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        dns1123LabelFmt,
        ['my-name', '123-abc'],
      ),
    );
  }
  return errs;
};

export const isDns1123Subdomain: NameCheck = (value) => {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!anchored(dns1123SubdomainFmt).test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        ['example.com'],
      ),
    );
  }
  return errs;
};

export const isDns1035Label: NameCheck = (value) => {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!anchored(dns1035LabelFmt).test(value)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035LabelFmt,
        ['my-name', 'abc-123'],
      ),
    );
  }
  return errs;
};

/** RBAC objects only forbid what cannot appear in a URL path segment. */
export const isPathSegmentName: NameCheck = (value) => {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  for (const bad of ['/', '%']) if (value.includes(bad)) return [`may not contain '${bad}'`];
  return [];
};
